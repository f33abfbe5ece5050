/**
 * The chat list's query (LC-1 view, LC-2 filters, LC-3 order, LC-4
 * search) and the pure rules that keep a loaded list in order while events
 * move chats around.
 */
import type { Conversation, Order, View } from '../../api/types';

export interface ListQuery {
  view: View;
  order: Order;
  tag: string;
  campaign: string;
  department: string;
  agent: string;
  channel: string;
  unreadOnly: boolean;
  search: string;
}

export const DEFAULT_QUERY: ListQuery = {
  view: 'open',
  order: 'newest',
  tag: '',
  campaign: '',
  department: '',
  agent: '',
  channel: '',
  unreadOnly: false,
  search: '',
};

/** How many filters (not view, order or search) are set. */
export function activeFilterCount(q: ListQuery): number {
  return [q.tag, q.campaign, q.department, q.agent, q.channel].filter(Boolean).length + (q.unreadOnly ? 1 : 0);
}

/** Query parameters for `GET /api/v1/conversations` (empty ones left out). */
export function toParams(q: ListQuery, cursor: string | null, limit: number) {
  return {
    view: q.view,
    order: q.order,
    tag: q.tag || undefined,
    campaign: q.campaign || undefined,
    department: q.department || undefined,
    agent: q.agent || undefined,
    channel: (q.channel || undefined) as
      | import('../../api/schema').components['schemas']['ConversationFilters']['channel']
      | undefined,
    unread: q.unreadOnly || undefined,
    q: q.search.trim() || undefined,
    cursor: cursor ?? undefined,
    limit,
  };
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
}

/** The sort key of a chat under `order` (null: not listed under it). */
export function sortKey(c: Conversation, order: Order): number | null {
  switch (order) {
    case 'newest':
    case 'oldest':
      return ms(c.last_message_at);
    case 'newest_opening':
    case 'oldest_opening':
      // LC-3: chats that never had a protocol are not listed by opening.
      return c.protocol ? ms(c.opened_at) : null;
  }
}

/** Negative when `a` comes before `b`; ties broken by id like the server. */
export function compare(a: Conversation, b: Conversation, order: Order): number {
  const ka = sortKey(a, order) ?? 0;
  const kb = sortKey(b, order) ?? 0;
  const desc = order === 'newest' || order === 'newest_opening';
  if (ka !== kb) return desc ? kb - ka : ka - kb;
  if (a.id === b.id) return 0;
  return (a.id < b.id) === desc ? 1 : -1;
}

/**
 * Whether a chat belongs in the list for `q`: `true`/`false` when the
 * client can tell, `null` when it cannot (a search needs the server; so does
 * a tag filter for a chat whose tags are unknown).
 */
export function matches(c: Conversation, q: ListQuery): boolean | null {
  if (!c.views.includes(q.view)) return false;
  if (sortKey(c, q.order) === null) return false;
  if (q.campaign && (c.campaign_id ?? '') !== q.campaign) return false;
  if (q.department && c.department_id !== q.department) return false;
  if (q.agent && c.agent_id !== q.agent) return false;
  if (q.channel && c.channel !== q.channel) return false;
  if (q.unreadOnly && c.unread <= 0) return false;
  if (q.tag) {
    if (!Array.isArray(c.tags)) return null;
    if (!c.tags.includes(q.tag)) return false;
  }
  if (q.search.trim()) return null;
  return true;
}

/**
 * The list after `c` changed (or appeared): removed when it no longer
 * belongs, moved to its place by `order` otherwise. A chat that sorts after
 * the last loaded one while more pages exist is left for paging to bring.
 * When membership is unknown (`null`), a listed chat is updated in place
 * and an unlisted one is not added.
 */
export function place(
  items: readonly Conversation[],
  c: Conversation,
  q: ListQuery,
  hasMore: boolean,
): Conversation[] {
  const at = items.findIndex((i) => i.id === c.id);
  const belongs = matches(c, q);
  if (belongs === false || (belongs === null && at < 0)) {
    return at < 0 ? (items as Conversation[]) : items.filter((i) => i.id !== c.id);
  }
  const rest = at < 0 ? [...items] : items.filter((i) => i.id !== c.id);
  let pos = rest.findIndex((i) => compare(c, i, q.order) < 0);
  if (pos < 0) {
    if (hasMore) return rest;
    pos = rest.length;
  }
  rest.splice(pos, 0, c);
  return rest;
}

/** Appends a page, replacing chats already listed (they may have moved). */
export function appendPage(items: readonly Conversation[], page: readonly Conversation[]): Conversation[] {
  const incoming = new Set(page.map((c) => c.id));
  return [...items.filter((i) => !incoming.has(i.id)), ...page];
}
