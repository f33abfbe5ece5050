/**
 * Ready responses (LC-20): categories (name ≤ 60 characters) of text
 * responses (title ≤ 30). The composer's quick insert: a message that is
 * `/` + a query lists the responses whose title or category matches
 * (accent- and case-insensitive); `/interna` (LC-8) stays the internal-note
 * prefix and is offered first when it matches.
 */
import type { components } from '../../api/schema';

export type ReadyCategory = components['schemas']['ReadyCategoryOut'];
export type ReadyResponse = components['schemas']['ReadyResponseOut'];

export const CATEGORY_MAX = 60;
export const TITLE_MAX = 30;

/** The internal-note prefix the composer keeps when that suggestion is picked. */
export const INTERNAL_PREFIX = '/interna ';

/** Lower case without accents ("Atenção" → "atencao"), for matching. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Characters as the server counts them (code points, after trimming). */
export function charCount(s: string): number {
  return [...s.trim()].length;
}

/** A longer "/query" is a sentence, not a search. */
const QUERY_MAX = 60;

/**
 * The query of a message that is a `/` command being typed: the whole text
 * is `/` and the query, on one line (leading spaces allowed). Null
 * otherwise, and for a finished `/interna ` prefix (the note is being
 * written).
 */
export function slashQuery(text: string): string | null {
  const m = /^\s*\/([^\n]*)$/.exec(text);
  if (!m) return null;
  const q = m[1] ?? '';
  if (/^interna\s/i.test(q)) return null;
  if (q.length > QUERY_MAX) return null;
  return q;
}

/** Whether every word of `query` is found in `haystack` (both folded). */
function matchesWords(haystack: string, words: readonly string[]): boolean {
  return words.every((w) => haystack.includes(w));
}

function words(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

export type Suggestion =
  | { kind: 'internal' }
  | { kind: 'response'; response: ReadyResponse; category: string };

/** How many responses the `/` list shows at most. */
export const SUGGESTIONS_MAX = 50;

/**
 * The `/` list for `query`: "Mensagem interna" first when it matches
 * (`internalLabel` is its shown name, also matched), then the responses
 * whose title or category holds every word of the query: titles that start
 * with the query first, then by category and title as listed.
 */
export function suggest(categories: readonly ReadyCategory[], query: string, internalLabel: string): Suggestion[] {
  const ws = words(query);
  const out: Suggestion[] = [];
  if (matchesWords(fold(`interna ${internalLabel}`), ws)) out.push({ kind: 'internal' });
  const q = fold(query.trim());
  const starts: Suggestion[] = [];
  const rest: Suggestion[] = [];
  for (const c of categories) {
    for (const r of c.responses) {
      if (!matchesWords(fold(`${r.title} ${c.name}`), ws)) continue;
      const s: Suggestion = { kind: 'response', response: r, category: c.name };
      (q && fold(r.title).startsWith(q) ? starts : rest).push(s);
    }
  }
  return [...out, ...starts, ...rest].slice(0, SUGGESTIONS_MAX + out.length);
}

/**
 * The composer's text after picking a suggestion: the `/query` gives way to
 * the response's text (its `{nome}`-style variables kept: the server fills
 * them on send), or to the `/interna ` prefix.
 */
export function applySuggestion(text: string, s: Suggestion): string {
  if (slashQuery(text) === null) return text;
  return s.kind === 'internal' ? INTERNAL_PREFIX : s.response.text;
}

/**
 * Inserts `insert` at the selection `[start, end)` of `text` (the "Respostas
 * prontas" button): a message that is only a `/query` is replaced whole.
 * Returns the new text and where the caret goes.
 */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  if (slashQuery(text) !== null || text.trim() === '') return { text: insert, caret: insert.length };
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  const next = text.slice(0, a) + insert + text.slice(b);
  return { text: next, caret: a + insert.length };
}

/**
 * The categories and responses whose title, category or text hold every
 * word of `search` (the button's searchable list); a category whose name
 * matches keeps all its responses. Empty categories are left out.
 */
export function filterCategories(categories: readonly ReadyCategory[], search: string): ReadyCategory[] {
  const ws = words(search);
  const out: ReadyCategory[] = [];
  for (const c of categories) {
    const all = matchesWords(fold(c.name), ws);
    const responses = all
      ? c.responses
      : c.responses.filter((r) => matchesWords(fold(`${r.title} ${c.name} ${r.text}`), ws));
    if (responses.length > 0) out.push({ ...c, responses });
  }
  return out;
}
