//! A history laid out in parts on every core, then joined into one PDF.
//!
//! One typst document of 10,000 messages takes seconds on one core, and the
//! laid-out pages of 100,000 (every glyph of every line) take GiBs until
//! they are exported. So the rows are split into runs ([`Body`]), and each
//! run is laid out and exported to PDF as its own typst document, in
//! parallel, its pages dropped as soon as they are written. The runs carry
//! no header or footer: "Página X de Y" needs the total, which in one
//! document would need typst's introspection and a second layout pass. Once
//! the total is known, the finished pages are made (also in parallel, in
//! ranges): each draws a page of a run's PDF as its background, embedded
//! as is, and adds the header and the footer. They are exported as one PDF.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::model::{Document, DocumentInfo};
use typst::syntax::{FileId, Source};
use typst_layout::{Page, PagedDocument};

use crate::view::{Background, Body, HistoryView, Part};
use crate::world::{self, Compiled};
use crate::{PdfError, Result};

/// Rows per typst document at most: small enough to use every core on a
/// few thousand messages and to bound memory, large enough that the fixed
/// cost of a document (evaluating the template, a font subset in its PDF)
/// stays small.
const MAX_ROWS_PER_PART: usize = 1_500;

/// Rows per typst document at least: each run starts a new page, and a
/// shorter one would save less time than its fixed cost.
const MIN_ROWS_PER_PART: usize = 400;

/// Finished pages per typst document.
const PAGES_PER_PART: usize = 250;

/// typst's memoised results unused for this many parts are dropped; the
/// template's and the fonts' are used by every part and stay warm.
const CACHE_AGE: usize = 2;

/// A rendered document.
pub(crate) struct Rendered {
    pub(crate) pdf: Vec<u8>,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) pages: usize,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) warnings: Vec<String>,
}

/// A run of rows, exported.
struct Run {
    file: FileId,
    path: String,
    pdf: Bytes,
    /// The links of each page. A page drawn as a background is embedded
    /// without its annotations, so they are put back on the finished page.
    links: Vec<Vec<(Point, FrameItem)>>,
    info: DocumentInfo,
    warnings: Vec<String>,
}

/// How many rows each typst document of a history of `rows` rows lays out
/// at most: enough documents for every core, within the bounds above.
pub(crate) fn rows_per_part(rows: usize) -> usize {
    rows.div_ceil(cores())
        .clamp(MIN_ROWS_PER_PART, MAX_ROWS_PER_PART)
}

fn cores() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Renders `view` with `template`, laying out at most `rows_per_part` rows
/// per typst document.
pub(crate) fn render(
    template: &Source,
    view: &HistoryView<'_>,
    rows_per_part: usize,
    cancel: &AtomicBool,
) -> Result<Rendered> {
    // The longest runs first, so that the last ones to finish are short
    // and no core waits long for another at the end.
    let mut bodies: Vec<(usize, Body<'_, '_>)> =
        view.bodies(rows_per_part).into_iter().enumerate().collect();
    bodies.sort_by_key(|(_, body)| std::cmp::Reverse(body.weight()));
    let runs = in_parallel(bodies, cancel, |i, body| export_run(template, i, body))?;
    let (mut pages, mut warnings) = finish_pages(template, view, &runs, cancel)?;
    let links = runs.iter().flat_map(|r| r.links.iter().cloned());
    for (number, (page, links)) in (1..).zip(pages.iter_mut().zip(links)) {
        page.frame.push_multiple(links);
        page.number = number;
    }
    warnings.extend(runs.iter().flat_map(|r| r.warnings.iter().cloned()));
    let total = pages.len();
    let info = runs[0].info.clone();
    let pdf = world::export(&PagedDocument::new(pages.into(), info))?;
    // The runs' PDFs were memoised as images; they go with the next
    // render's first parts.
    typst::comemo::evict(CACHE_AGE);
    Ok(Rendered {
        pdf,
        pages: total,
        warnings,
    })
}

/// The finished pages, one per page of `runs`, and their warnings.
fn finish_pages(
    template: &Source,
    view: &HistoryView<'_>,
    runs: &[Run],
    cancel: &AtomicBool,
) -> Result<(Vec<Page>, Vec<String>)> {
    let backgrounds: Vec<Background> = runs
        .iter()
        .flat_map(|run| {
            (1..=run.links.len()).map(|page| Background {
                file: run.path.clone(),
                page,
            })
        })
        .collect();
    let total = backgrounds.len();
    let files: Vec<(FileId, Bytes)> = runs.iter().map(|r| (r.file, r.pdf.clone())).collect();
    // Ranges of at most PAGES_PER_PART pages, as many as a multiple of the
    // cores and of even length, so that every core has the same work.
    let ranges = total
        .div_ceil(PAGES_PER_PART)
        .next_multiple_of(cores())
        .max(1);
    let per_range = total.div_ceil(ranges).max(1);
    let ranges: Vec<(usize, &[Background])> = backgrounds.chunks(per_range).enumerate().collect();
    let finished = in_parallel(ranges, cancel, |i, backgrounds| {
        let part = view.pages(1 + i * per_range, total, backgrounds);
        compile(template, &part, files.clone())
    })?;

    let mut pages = Vec::with_capacity(total);
    let mut warnings = Vec::new();
    for compiled in finished {
        pages.extend(compiled.document.pages().iter().cloned());
        warnings.extend(compiled.warnings);
    }
    if pages.len() != total {
        return Err(PdfError::Layout(vec![format!(
            "{} finished pages for {total} pages",
            pages.len()
        )]));
    }
    Ok((pages, warnings))
}

/// `f(index, item)` for every `(index, item)`, on one thread per core,
/// started in the order given; the results in the order of the indexes
/// (`0..items.len()`, each once). `Cancelled` when `cancel` is set before
/// every item started.
///
/// Each thread takes the next item only when it has finished the last, so
/// at most one part per core is in memory. (rayon would not do: typst uses
/// it inside a layout, and a thread waiting there steals the next part,
/// so all parts end up laid out before any is exported and dropped.)
fn in_parallel<T, R, F>(items: Vec<(usize, T)>, cancel: &AtomicBool, f: F) -> Result<Vec<R>>
where
    T: Send,
    R: Send,
    F: Fn(usize, T) -> Result<R> + Sync,
{
    let count = items.len();
    let queue = Mutex::new(items.into_iter());
    let next = || {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        queue.lock().unwrap_or_else(|e| e.into_inner()).next()
    };
    let mut done: Vec<(usize, Result<R>)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..cores())
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((i, item)) = next() {
                        done.push((i, f(i, item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    if done.len() < count {
        return Err(PdfError::Cancelled);
    }
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Lays out and exports run `index`.
fn export_run(template: &Source, index: usize, body: Body<'_, '_>) -> Result<Run> {
    let compiled = compile(template, &Part::Body(body), Vec::new())?;
    let document = &compiled.document;
    let links = document
        .pages()
        .iter()
        .map(|page| {
            let mut links = Vec::new();
            collect_links(&page.frame, Transform::identity(), &mut links);
            links
        })
        .collect();
    let pdf = world::export(document)?;
    let path = format!("/part-{index}.pdf");
    Ok(Run {
        file: world::project_file(&path),
        path,
        pdf: Bytes::new(pdf),
        links,
        info: document.info().clone(),
        warnings: compiled.warnings,
    })
}

fn compile(
    template: &Source,
    part: &Part<'_, '_>,
    files: Vec<(FileId, Bytes)>,
) -> Result<Compiled> {
    let compiled = world::compile(template, serde_json::to_vec(part)?, files);
    // typst memoises layout results process-wide: without eviction the
    // parts of a long history, and every history ever rendered, would stay
    // in memory.
    typst::comemo::evict(CACHE_AGE);
    compiled
}

/// The links in `frame` with their positions on the page. The template
/// only moves content, never scales or rotates it, so a link keeps its
/// size.
fn collect_links(frame: &Frame, ts: Transform, links: &mut Vec<(Point, FrameItem)>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                collect_links(&group.frame, ts, links);
            }
            FrameItem::Link(..) => links.push((pos.transform(ts), item.clone())),
            _ => {}
        }
    }
}
