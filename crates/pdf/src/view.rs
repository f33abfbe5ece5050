//! The history turned into what the template prints: pt-BR labels, formatted
//! times, day separators and counts, serialised to the JSON that the
//! template reads with `json(...)`. Wording that depends on the data is
//! decided here; the template holds the fixed labels and the layout.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::{AttendanceEvent, AttendanceState, AuthorKind, History, Item, Message};
use crate::text::{
    breakable, date_br, datetime_br, day_label, is_web_url, needs_no_composition, thousands,
};

/// The whole history as the template prints it. It reaches the template
/// in parts ([`Part`]), each one typst document, so that every core works
/// and no single huge document lives at once.
#[derive(Debug)]
pub(crate) struct HistoryView<'a> {
    head: Head<'a>,
    rows: Vec<Row<'a>>,
}

/// What the title block, the running header and the footer print.
#[derive(Debug, Serialize)]
pub(crate) struct Head<'a> {
    /// Font families to use, in fallback order.
    fonts: &'a [&'a str],
    contact: ContactView<'a>,
    period: String,
    generated_at: String,
    time_zone: &'a str,
    internal_notes: &'static str,
    counts: Vec<Count>,
}

/// The input of one typst document of the template.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Part<'v, 'a> {
    /// A run of rows, laid out on pages without header and footer.
    Body(Body<'v, 'a>),
    /// Finished pages, numbered on from `first`: each draws a page of an
    /// exported [`Body`] and adds the header and the footer.
    Pages {
        head: &'v Head<'a>,
        first: usize,
        total: usize,
        backgrounds: &'v [Background],
    },
}

/// A page of an exported [`Body`]: page `page` (from 1) of the PDF that the
/// template reads at `file`.
#[derive(Debug, Serialize)]
pub(crate) struct Background {
    pub(crate) file: String,
    pub(crate) page: usize,
}

/// A run of consecutive rows.
#[derive(Debug, Serialize)]
pub(crate) struct Body<'v, 'a> {
    head: &'v Head<'a>,
    /// Whether the run opens the history: it prints the title block first.
    title: bool,
    /// The label of the day the run starts in the middle of, if it does.
    continued: Option<&'v str>,
    rows: &'v [Row<'a>],
}

#[derive(Debug, Serialize)]
struct ContactView<'a> {
    name: &'a str,
    phone: &'a str,
    email: &'a str,
    id: &'a str,
}

#[derive(Debug, Serialize)]
struct Count {
    label: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Row<'a> {
    /// The first row of each day.
    Day { label: String },
    /// An attendance opened or closed.
    Attendance {
        opened: bool,
        title: &'static str,
        protocol: &'a str,
        when: String,
        details: String,
    },
    /// A message of the contact, the bot or an agent.
    Message {
        /// `contact`, `bot`, `agent` or, for an internal note, `note`.
        style: &'static str,
        /// `Bruno Souza · Atendente · 14:05`: one string, so the template
        /// prints it in one style (every change of style inside a
        /// paragraph is shaped on its own, a twentieth of the layout time).
        header: String,
        text: Cow<'a, str>,
        media: Option<MediaView<'a>>,
        /// See [`needs_no_composition`]: the template then turns `ccmp` off.
        simple: bool,
    },
    /// A line written by Atende itself.
    System {
        time: String,
        text: Cow<'a, str>,
        media: Option<MediaView<'a>>,
        simple: bool,
    },
}

#[derive(Debug, Serialize)]
struct MediaView<'a> {
    kind: &'static str,
    name: Cow<'a, str>,
    /// `None` when the URL is not http(s): the name is printed unlinked.
    url: Option<&'a str>,
}

impl Body<'_, '_> {
    /// How long the run takes to lay out, roughly: its rows, the title
    /// block counting as a hundred.
    pub(crate) fn weight(&self) -> usize {
        self.rows.len() + if self.title { 100 } else { 0 }
    }
}

impl<'a> HistoryView<'a> {
    /// Builds the view of `h`, to be printed with the font `fonts`.
    pub(crate) fn new(h: &'a History, fonts: &'a [&'a str]) -> Self {
        let mut items: Vec<&Item> = h
            .items
            .iter()
            .filter(|i| h.include_internal || !matches!(i, Item::Message(m) if m.internal))
            .collect();
        items.sort_by_key(|i| i.at());

        let mut rows = Vec::with_capacity(items.len() + items.len() / 8 + 1);
        let mut day = None;
        for item in &items {
            let date = item.at().date();
            if day != Some(date) {
                day = Some(date);
                rows.push(Row::Day {
                    label: day_label(date),
                });
            }
            rows.push(match item {
                Item::Attendance(a) => attendance_row(a),
                Item::Message(m) => message_row(m),
            });
        }

        let c = &h.contact;
        let head = Head {
            fonts,
            contact: ContactView {
                name: or_dash(Some(&c.name)),
                phone: or_dash(c.phone.as_deref()),
                email: or_dash(c.email.as_deref()),
                id: or_dash(Some(&c.id)),
            },
            period: format!("{} a {}", date_br(h.from), date_br(h.to)),
            generated_at: datetime_br(h.generated_at),
            time_zone: &h.time_zone,
            internal_notes: if h.include_internal {
                "incluídas"
            } else {
                "não incluídas"
            },
            counts: counts(&items, h.include_internal),
        };
        HistoryView { head, rows }
    }

    /// How many rows the history prints.
    pub(crate) fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The rows in runs of at most `max_rows` (at least one run, empty for
    /// an empty history). A run ends before the first row of a day when one
    /// falls in its second half, so most runs start with a new day (each
    /// run starts on a new page); a day longer than that is cut and its
    /// separator repeated.
    pub(crate) fn bodies(&self, max_rows: usize) -> Vec<Body<'_, 'a>> {
        let max_rows = max_rows.max(1);
        let rows = &self.rows[..];
        let mut bodies = Vec::with_capacity(rows.len() / max_rows + 1);
        let mut day = None;
        let mut start = 0;
        loop {
            let end = if rows.len() - start > max_rows {
                let full = start + max_rows;
                (start + max_rows / 2 + 1..=full)
                    .rev()
                    .find(|&i| matches!(rows[i], Row::Day { .. }))
                    .unwrap_or(full)
            } else {
                rows.len()
            };
            let run = &rows[start..end];
            bodies.push(Body {
                head: &self.head,
                title: start == 0,
                continued: day.filter(|_| !matches!(run.first(), Some(Row::Day { .. }))),
                rows: run,
            });
            day = run.iter().rev().find_map(Row::day_label).or(day);
            if end == rows.len() {
                return bodies;
            }
            start = end;
        }
    }

    /// Pages `first..first + backgrounds.len()` (numbered from 1) of
    /// `total`.
    pub(crate) fn pages<'v>(
        &'v self,
        first: usize,
        total: usize,
        backgrounds: &'v [Background],
    ) -> Part<'v, 'a> {
        Part::Pages {
            head: &self.head,
            first,
            total,
            backgrounds,
        }
    }
}

impl Row<'_> {
    fn day_label(&self) -> Option<&str> {
        match self {
            Row::Day { label } => Some(label),
            _ => None,
        }
    }
}

fn attendance_row(a: &AttendanceEvent) -> Row<'_> {
    let opened = a.state == AttendanceState::Opened;
    let mut details = Vec::new();
    if let Some(d) = &a.department {
        details.push(format!("Departamento: {d}"));
    }
    if let Some(agent) = &a.agent {
        details.push(format!("Atendente: {agent}"));
    }
    if let Some(by) = &a.by {
        let verb = if opened {
            "Aberto por"
        } else {
            "Encerrado por"
        };
        details.push(format!("{verb}: {by}"));
    }
    Row::Attendance {
        opened,
        title: if opened {
            "Atendimento aberto"
        } else {
            "Atendimento encerrado"
        },
        protocol: &a.protocol,
        when: datetime_br(a.at),
        details: details.join("  ·  "),
    }
}

fn message_row(m: &Message) -> Row<'_> {
    let media = m.media.as_ref().map(|l| MediaView {
        kind: l.kind.label(),
        name: breakable(&l.name),
        url: is_web_url(&l.url).then_some(l.url.as_str()),
    });
    let text = breakable(&m.text);
    let time = m.at.format("%H:%M").to_string();
    let author = m.author_name.as_deref().map(str::trim).unwrap_or("");
    let simple = [&*text, author, media.as_ref().map_or("", |l| &*l.name)]
        .into_iter()
        .all(needs_no_composition);
    let (side, role) = match m.author {
        AuthorKind::Contact => ("contact", "Cliente"),
        AuthorKind::Bot => ("bot", "Bot"),
        AuthorKind::Agent => ("agent", "Atendente"),
        AuthorKind::System => {
            return Row::System {
                time,
                text,
                media,
                simple,
            };
        }
    };
    let channel = m
        .channel
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!(" · {c}"))
        .unwrap_or_default();
    let header = match (author.is_empty(), m.internal) {
        (true, false) => format!("{role}{channel} · {time}"),
        (true, true) => format!("{role} · Nota interna · {time}"),
        (false, false) => format!("{author} · {role}{channel} · {time}"),
        (false, true) => format!("{author} · Nota interna · {time}"),
    };
    Row::Message {
        style: if m.internal { "note" } else { side },
        header,
        text,
        media,
        simple,
    }
}

fn counts(items: &[&Item], include_internal: bool) -> Vec<Count> {
    let (mut total, mut contact, mut bot, mut agent, mut system) = (0, 0, 0, 0, 0);
    let (mut media, mut notes) = (0, 0);
    let mut protocols = std::collections::HashSet::new();
    for item in items {
        match item {
            Item::Attendance(a) => {
                protocols.insert(a.protocol.as_str());
            }
            Item::Message(m) => {
                total += 1;
                media += usize::from(m.media.is_some());
                if m.internal {
                    notes += 1;
                    continue;
                }
                match m.author {
                    AuthorKind::Contact => contact += 1,
                    AuthorKind::Bot => bot += 1,
                    AuthorKind::Agent => agent += 1,
                    AuthorKind::System => system += 1,
                }
            }
        }
    }
    let mut counts = vec![
        count("Mensagens", total),
        count("Cliente", contact),
        count("Bot", bot),
        count("Atendentes", agent),
        count("Sistema", system),
        count("Atendimentos", protocols.len()),
        count("Mídias", media),
    ];
    if include_internal {
        counts.push(count("Notas internas", notes));
    }
    counts
}

fn count(label: &'static str, n: usize) -> Count {
    Count {
        label,
        value: thousands(n),
    }
}

fn or_dash(s: Option<&str>) -> &str {
    match s.map(str::trim) {
        Some(s) if !s.is_empty() => s,
        _ => "—",
    }
}
