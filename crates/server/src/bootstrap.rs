//! `atende bootstrap`: the first organization and its administrator.

use atende_domain::{Email, Permissions, Role};
use atende_store::Store;
use atende_store::accounts::NewUser;
use serde::Serialize;

use crate::auth;

#[derive(Debug, Serialize)]
pub struct Bootstrapped {
    pub org_id: String,
    pub user_id: String,
    /// False when both already existed (nothing was changed).
    pub created: bool,
}

/// Creates the organization and its admin when missing. Idempotent: run
/// again with the same arguments it changes nothing and prints the same ids.
/// An e-mail that belongs to another organization is an error.
pub async fn bootstrap(
    store: &Store,
    org: &str,
    email: &str,
    password: &str,
    reseller: bool,
) -> anyhow::Result<Bootstrapped> {
    let org = org.trim();
    if org.is_empty() {
        anyhow::bail!("--org must not be empty");
    }
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    auth::check_password_rules(password)
        .map_err(|e| anyhow::anyhow!("--password: {}", e.message))?;
    let existing_org = store.org_by_name(org).await?;
    let existing_user = store.user_by_email(email.as_str()).await?;
    if let (Some(o), Some(u)) = (&existing_org, &existing_user) {
        if u.org_id != o.id {
            anyhow::bail!("{} already belongs to another organization", email.as_str());
        }
        return Ok(Bootstrapped {
            org_id: o.id.to_string(),
            user_id: u.id.to_string(),
            created: false,
        });
    }
    if let (None, Some(_)) = (&existing_org, &existing_user) {
        anyhow::bail!("{} already belongs to another organization", email.as_str());
    }
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await?
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let mut tx = store.begin().await?;
    let org = match existing_org {
        Some(o) => o,
        None => {
            tx.create_org(org, if reseller { "reseller" } else { "agency" }, None)
                .await?
        }
    };
    let user = tx
        .create_user(NewUser {
            org_id: org.id,
            email: email.as_str().to_string(),
            name: "Administrador".into(),
            password_hash: hash,
            role: Role::Admin,
            permissions: Permissions::for_role(Role::Admin),
        })
        .await?;
    tx.audit(
        org.id,
        None,
        "bootstrap",
        "user",
        serde_json::json!({"user_id": user.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Bootstrapped {
        org_id: org.id.to_string(),
        user_id: user.id.to_string(),
        created: true,
    })
}
