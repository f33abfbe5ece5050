//! PDF documents of Atende, typeset by [typst](https://typst.app) used as a
//! library.
//!
//! The first document is the full conversation history of one contact
//! (RP-1, [`history_pdf`]): the bot's and the humans' messages in time
//! order, the attendances with their protocols, system lines, media as
//! links that expire in 72 h and, when asked for, internal notes.
//!
//! How it works: the caller's data is turned into a pt-BR view (labels,
//! formatted times, counts) and serialised to JSON; the template — a typst
//! file compiled into the crate — reads it with `json("/data.json")` from a
//! virtual file of the crate's own typst `World`. User text is never spliced
//! into typst markup, so a message like `#set page(width: 1cm)` prints
//! literally. The library, the bundled font (Inter, SIL OFL 1.1) and the
//! parsed templates are loaded once per process; Noto Color Emoji is used
//! for emoji when the system has it.
//!
//! Rendering is CPU-bound and synchronous: a long history is laid out in
//! parts on every core (see `paged.rs`; under 1 s for 10,000 messages on
//! two cores), so call it from `spawn_blocking`. Output is an untagged PDF
//! laid out with plain blocks so long histories stay fast.

mod error;
mod model;
mod paged;
mod text;
mod view;
mod world;

use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

use typst::syntax::Source;

pub use error::{PdfError, Result};
pub use model::{
    AttendanceEvent, AttendanceState, AuthorKind, Contact, History, Item, MediaKind, MediaLink,
    Message,
};

static HISTORY_TEMPLATE: LazyLock<Source> =
    LazyLock::new(|| world::template("history.typ", include_str!("../templates/history.typ")));

/// The full conversation history of a contact as a PDF (A4, pt-BR).
///
/// Items are printed in time order (stable for equal times); internal notes
/// only when [`History::include_internal`] is set.
pub fn history_pdf(h: &History) -> Result<Vec<u8>> {
    history_pdf_until(h, &AtomicBool::new(false))
}

/// [`history_pdf`] that stops, with [`PdfError::Cancelled`], soon after
/// `cancel` is set: no new part of the history starts laying out (a part
/// takes a fraction of a second), so a caller that stops waiting does not
/// leave the render running.
pub fn history_pdf_until(h: &History, cancel: &AtomicBool) -> Result<Vec<u8>> {
    Ok(render_history(h, cancel)?.pdf)
}

fn render_history(h: &History, cancel: &AtomicBool) -> Result<paged::Rendered> {
    let view = view::HistoryView::new(h, world::font_families());
    let rows_per_part = paged::rows_per_part(view.row_count());
    paged::render(&HISTORY_TEMPLATE, &view, rows_per_part, cancel)
}

/// [`render_history`] with at most `rows_per_part` rows per typst document,
/// to force several parts on a short history.
#[cfg(test)]
fn render_history_in_parts(h: &History, rows_per_part: usize) -> Result<paged::Rendered> {
    let view = view::HistoryView::new(h, world::font_families());
    paged::render(
        &HISTORY_TEMPLATE,
        &view,
        rows_per_part,
        &AtomicBool::new(false),
    )
}

#[cfg(test)]
mod tests;
