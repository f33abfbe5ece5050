//! Departments and members, inboxes, tags and custom fields.

mod departments;
mod fields;
mod inboxes;
mod tags;
mod templates;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(departments::router())
        .merge(inboxes::router())
        .merge(templates::router())
        .merge(tags::router())
        .merge(fields::router())
}
