//! Bot flows (FL-1..FL-4): the drafts people edit, publishing a version,
//! import and export as JSON, the runs (FL-3), an inbox's entry flow, and
//! starting a flow for a chat (forward to flow, LC-10; scheduled, FL-2).
//!
//! A draft may name departments by id or name and agents by id or e-mail;
//! publishing checks it and stores ids, export writes names and e-mails, so
//! a flow moves between organizations.

mod documents;
mod inboxes;
mod out_of_hours;
mod runs;
mod versions;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use documents::exported;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(documents::router())
        .merge(versions::router())
        .merge(runs::router())
        .merge(inboxes::router())
        .merge(out_of_hours::router())
}
