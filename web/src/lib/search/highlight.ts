/**
 * The parts of a message text that match a search (LC-5), for showing the
 * hit with the match marked. The server finds messages whose lowercased
 * text contains the lowercased query (accents are not folded: "acao" does
 * not find "ação"), so matching here ignores case the same way and keeps
 * accents. The parts are rendered as text nodes and `<mark>`s, never HTML.
 */

export interface Part {
  text: string;
  match: boolean;
}

/** What the server searches for: the trimmed query (at least 2 characters). */
export function searchTerm(query: string): string {
  return query.trim();
}

/** The fewest characters the server searches for. */
export const MIN_QUERY = 2;

export function isSearchable(query: string): boolean {
  return [...searchTerm(query)].length >= MIN_QUERY;
}

/**
 * Lowercases `text` one code point at a time, remembering where each
 * lowercased code unit came from: some characters change length when
 * lowercased (e.g. "İ" → "i̇"), so indexes are mapped back.
 */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    for (let k = 0; k < lower.length; k++) origin.push(i);
    folded += lower;
    i += ch.length;
  }
  origin.push(i);
  return { folded, origin };
}

/**
 * `text` cut into plain and matching parts, left to right, matches not
 * overlapping. An empty or blank query gives the whole text unmatched.
 */
export function splitMatches(text: string, query: string): Part[] {
  const term = searchTerm(query);
  if (!term || !text) return text ? [{ text, match: false }] : [];
  const needle = fold(term).folded;
  const { folded, origin } = fold(text);
  const parts: Part[] = [];
  let from = 0; // in `text`
  let at = folded.indexOf(needle);
  while (at !== -1) {
    const start = origin[at] ?? text.length;
    const end = origin[at + needle.length] ?? text.length;
    // A match starting inside a character that lowercased to several units is skipped.
    if (start >= from && end > start) {
      if (start > from) parts.push({ text: text.slice(from, start), match: false });
      parts.push({ text: text.slice(start, end), match: true });
      from = end;
      at = folded.indexOf(needle, at + needle.length);
    } else {
      at = folded.indexOf(needle, at + 1);
    }
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/**
 * A window of a long text around its first match, so the list shows the
 * hit: at most `max` characters, with "…" where it was cut.
 */
export function excerpt(text: string, query: string, max = 160): string {
  if (text.length <= max) return text;
  const parts = splitMatches(text, query);
  let start = 0;
  for (const p of parts) {
    if (p.match) break;
    start += p.text.length;
  }
  if (start >= text.length) start = 0;
  const lead = Math.min(start, Math.floor(max / 3));
  let from = start - lead;
  let to = Math.min(text.length, from + max);
  from = Math.max(0, to - max);
  // Don't cut a surrogate pair in half.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from] ?? '')) from++;
  if (to < text.length && /[\uD800-\uDBFF]/.test(text[to - 1] ?? '')) to--;
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}
