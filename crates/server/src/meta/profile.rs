//! Customers' names. Meta's webhooks carry only a customer's page-scoped
//! id, so a new contact is first named by it; once a delivery is stored,
//! a contact still named so gets the name the User Profile API gives —
//! Messenger's `first_name` and `last_name`, Instagram's `name`, else its
//! `@username`. Best effort, off the acknowledgement's path; a contact a
//! person renamed keeps that name (CT-1). Each customer is asked once per
//! process: a restart asks again for those still unnamed.

use std::sync::Arc;

use atende_channels::meta::Product;
use atende_store::ingest::InboxRoute;
use serde_json::Value;

use super::MetaShared;
use crate::state::AppState;

/// Most customers remembered as asked before the memory starts over.
const ASKED_MAX: usize = 100_000;

impl MetaShared {
    /// Asks, in the background, the names of the customers of a stored
    /// delivery not asked yet.
    pub(super) fn learn_names(
        self: &Arc<Self>,
        st: &AppState,
        product: Product,
        who: Vec<(Arc<InboxRoute>, String)>,
    ) {
        let fresh: Vec<_> = {
            let mut asked = self.asked.lock().unwrap_or_else(|p| p.into_inner());
            if asked.len() > ASKED_MAX {
                asked.clear();
            }
            who.into_iter()
                .filter(|(route, key)| asked.insert((route.id, key.clone())))
                .collect()
        };
        if fresh.is_empty() {
            return;
        }
        let (meta, st) = (self.clone(), st.clone());
        tokio::spawn(async move {
            for (route, key) in fresh {
                if let Err(e) = meta.learn_name(&st, product, &route, &key).await {
                    tracing::debug!(inbox = %route.id, error = %e, "Meta profile name not learned");
                }
            }
        });
    }

    async fn learn_name(
        &self,
        st: &AppState,
        product: Product,
        route: &InboxRoute,
        key: &str,
    ) -> Result<(), String> {
        let mut tx = st.store.begin().await.map_err(|e| e.to_string())?;
        let Some(id) = tx
            .contact_by_identity(route.org_id, route.id, key)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        let contact = tx
            .contact(route.org_id, id)
            .await
            .map_err(|e| e.to_string())?;
        // Named already (by the profile, or by a person).
        if contact.name != key {
            return Ok(());
        }
        let token = route.secret("access_token").ok_or("no access token")?;
        let fields = match product {
            Product::Messenger => "first_name,last_name",
            Product::Instagram => "name,username",
        };
        // Page-scoped ids are digits: anything else is not looked up.
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(());
        }
        let r = self
            .http
            .get(format!(
                "{}/{}/{key}?fields={fields}",
                self.graph_url, self.version
            ))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("User Profile API answered {}", r.status()));
        }
        let profile: Value = r.json().await.map_err(|e| e.to_string())?;
        let Some(name) = name_of(&profile) else {
            return Ok(());
        };
        tx.set_contact_name(&contact, &name)
            .await
            .map_err(|e| e.to_string())?;
        st.commit(tx).await.map_err(|e| e.to_string())
    }
}

/// The name a profile gives: first and last name, the name, or the
/// username.
fn name_of(profile: &Value) -> Option<String> {
    let s = |k: &str| {
        profile
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let full = [s("first_name"), s("last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = if full.is_empty() {
        s("name")
            .map(str::to_string)
            .or_else(|| s("username").map(|u| format!("@{u}")))?
    } else {
        full
    };
    Some(name.chars().take(80).collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::name_of;

    #[test]
    fn a_profile_names_by_full_name_then_name_then_username() {
        assert_eq!(
            name_of(&json!({"first_name": "Carla", "last_name": "Dias", "id": "1"})).as_deref(),
            Some("Carla Dias")
        );
        assert_eq!(
            name_of(&json!({"first_name": "Carla"})).as_deref(),
            Some("Carla")
        );
        assert_eq!(
            name_of(&json!({"name": "Bia Lima", "username": "bia.lima"})).as_deref(),
            Some("Bia Lima")
        );
        assert_eq!(
            name_of(&json!({"name": null, "username": "bia.lima"})).as_deref(),
            Some("@bia.lima")
        );
        assert_eq!(name_of(&json!({"id": "1"})), None);
        assert_eq!(name_of(&json!({"name": "  "})), None);
    }
}
