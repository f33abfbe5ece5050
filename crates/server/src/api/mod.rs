//! The JSON API under `/api/v1`. Each module exports `router()`.

pub mod absences;
pub mod auth;
pub mod campaigns;
pub mod contacts;
pub mod conversations;
pub mod directory;
pub mod events;
pub mod flows;
pub mod media;
pub mod monitoring;
pub mod orgs;
pub mod presence;
pub mod ready;
pub mod report_agile;
pub mod report_conversations;
pub mod reports;
pub mod users;
pub mod ws;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use crate::extract::{AppJson, AppPath, AppQuery, MaybeJson, opt_time, time};

use crate::error::ApiError;
use crate::state::AppState;

/// An optional whole number, also when written with a zero fraction
/// (`8.0`): JSON Schema's `integer` (which the document says) allows it.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::Deserialize as _;
    use serde::de::Error as _;
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{n} is not a whole number"))),
    }
}

/// A unique-constraint violation as 409 with `msg`; other errors as they are.
pub fn conflict(e: atende_store::StoreError, msg: &str) -> ApiError {
    match e {
        atende_store::StoreError::Conflict(_) => ApiError::conflict(msg),
        other => other.into(),
    }
}

/// A trimmed, non-empty name of at most `max` characters.
pub fn clean_name(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::invalid(format!("O campo {field} é obrigatório.")));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid(format!(
            "O campo {field} aceita no máximo {max} caracteres."
        )));
    }
    Ok(v.to_string())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Atende API", description = "Omnichannel customer service: the same API the web app uses."),
    components(schemas(crate::error::ErrorBody, ws::ServerFrame, ws::ClientFrame,
        monitoring::MonitoringFrame, monitoring::MonitoringClientFrame)),
    modifiers(&SecurityAddon),
)]
pub struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// All API routes (relative to `/api/v1`), with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(orgs::router())
        .merge(users::router())
        .merge(absences::router())
        .merge(directory::router())
        .merge(conversations::router())
        .merge(contacts::router())
        .merge(ready::router())
        .merge(campaigns::router())
        .merge(flows::router())
        .merge(reports::router())
        .merge(report_conversations::router())
        .merge(report_agile::router())
        .merge(events::router())
        .merge(media::router())
        .merge(presence::router())
        .merge(monitoring::router())
}

/// Prefixes every documented path, as the router is nested under `prefix`.
/// Documents the error answers every operation may give and its own
/// annotations leave out, each as `ErrorBody` (`{"error":{"code","message"}}`):
/// 401 when signed out, 403 without the permission, 404 for an id that
/// names nothing, 400 for an unreadable body or parameter, 415 for a body that is
/// not JSON, 422 when a write is refused by a rule. An operation's own
/// description of a status is kept.
pub fn document_errors(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    let add = |op: &mut Operation, status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error(description));
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = path.ends_with("/auth/login");
        let ops = [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (op, writes) in ops {
            let Some(op) = op.as_mut() else { continue };
            let params = op.parameters.as_ref().map_or(&[][..], |p| p.as_slice());
            let in_path = params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
            let in_query = params
                .iter()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
            let json_body = op.request_body.as_ref().is_some_and(
                |b| matches!(b, RefOr::T(b) if b.content.contains_key("application/json")),
            );
            if !public {
                add(
                    op,
                    "401",
                    "Not signed in: no session cookie or API token, or it expired or was revoked.",
                );
                add(op, "403", "Signed in without the permission this needs.");
            }
            if in_path || in_query || json_body {
                add(
                    op,
                    "404",
                    "Nothing with this id in your organization (in the path, the query or the body).",
                );
            }
            if json_body || in_query || op.request_body.is_some() {
                add(
                    op,
                    "400",
                    "The body or a parameter could not be read; the message says which.",
                );
            }
            if json_body {
                add(
                    op,
                    "415",
                    "The body was not sent as JSON (Content-Type: application/json).",
                );
            }
            if writes && !public {
                add(
                    op,
                    "422",
                    "Refused by a rule of the product; `error.code` says which.",
                );
            }
        }
    }
    doc
}

pub fn prefix_paths(mut doc: utoipa::openapi::OpenApi, prefix: &str) -> utoipa::openapi::OpenApi {
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(k, v)| (format!("{prefix}{k}"), v))
        .collect();
    doc
}
