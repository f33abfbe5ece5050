import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../api/types';
import { conv } from '../../test/fixtures';
import { activeFilterCount, appendPage, compare, DEFAULT_QUERY, matches, place, sortKey, toParams } from './listQuery';

const q = { ...DEFAULT_QUERY, view: 'open' as const, order: 'newest' as const };
const at = (min: number) => new Date(Date.UTC(2026, 2, 10, 10, min)).toISOString();

describe('chat list query', () => {
  it('sends only the parameters that are set', () => {
    expect(toParams(q, null, 50)).toEqual({
      view: 'open',
      order: 'newest',
      tag: undefined,
      department: undefined,
      agent: undefined,
      channel: undefined,
      unread: undefined,
      q: undefined,
      cursor: undefined,
      limit: 50,
    });
    const p = toParams({ ...q, unreadOnly: true, search: '  Maria ', channel: 'whatsapp' }, 'cur', 10);
    expect(p).toMatchObject({ unread: true, q: 'Maria', channel: 'whatsapp', cursor: 'cur', limit: 10 });
  });

  it('counts active filters', () => {
    expect(activeFilterCount(q)).toBe(0);
    expect(activeFilterCount({ ...q, tag: 't', unreadOnly: true })).toBe(2);
  });

  it('orders by last message or by opening, newest or oldest first (LC-3)', () => {
    const a = conv('a', { last_message_at: at(1), opened_at: at(30) });
    const b = conv('b', { last_message_at: at(2), opened_at: at(20) });
    expect(compare(a, b, 'newest')).toBeGreaterThan(0);
    expect(compare(a, b, 'oldest')).toBeLessThan(0);
    expect(compare(a, b, 'newest_opening')).toBeLessThan(0);
    expect(compare(a, b, 'oldest_opening')).toBeGreaterThan(0);
    // Never had a protocol: not listed under the opening orders.
    expect(sortKey(conv('c', { protocol: null, opened_at: null }), 'oldest_opening')).toBeNull();
  });

  it('tells membership from views and the filters it can check', () => {
    expect(matches(conv('a'), q)).toBe(true);
    expect(matches(conv('a', { views: ['all', 'mine', 'in_service'] }), q)).toBe(false);
    expect(matches(conv('a', { department_id: 'd2' }), { ...q, department: 'd1' })).toBe(false);
    expect(matches(conv('a', { unread: 0 }), { ...q, unreadOnly: true })).toBe(false);
    expect(matches(conv('a', { channel: 'telegram' }), { ...q, channel: 'whatsapp' })).toBe(false);
    // Chats carry their tags: a tag filter is decided on the client.
    expect(matches(conv('a'), { ...q, tag: 'vip' })).toBe(false);
    expect(matches(conv('a', { tags: ['vip'] }), { ...q, tag: 'vip' })).toBe(true);
    // Without tags (an older payload) only the server can tell.
    expect(matches({ ...conv('a'), tags: undefined } as unknown as Conversation, { ...q, tag: 'vip' })).toBeNull();
    expect(matches(conv('a'), { ...q, search: 'maria' })).toBeNull();
    // And their campaign (LC-2).
    expect(matches(conv('a'), { ...q, campaign: 'k1' })).toBe(false);
    expect(matches(conv('a', { campaign_id: 'k1' }), { ...q, campaign: 'k1' })).toBe(true);
    expect(matches(conv('a', { campaign_id: 'k2' }), { ...q, campaign: 'k1' })).toBe(false);
  });

  it('moves an updated chat to its place and drops one that left the view', () => {
    const items = [conv('a', { last_message_at: at(9) }), conv('b', { last_message_at: at(5) }), conv('c', { last_message_at: at(1) })];
    const moved = place(items, conv('c', { last_message_at: at(10) }), q, false);
    expect(moved.map((c) => c.id)).toEqual(['c', 'a', 'b']);
    const gone = place(items, conv('b', { views: ['all', 'mine'] }), q, false);
    expect(gone.map((c) => c.id)).toEqual(['a', 'c']);
    const inserted = place(items, conv('d', { last_message_at: at(6) }), q, false);
    expect(inserted.map((c) => c.id)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('leaves a chat that sorts past the loaded page to paging', () => {
    const items = [conv('a', { last_message_at: at(9) })];
    expect(place(items, conv('z', { last_message_at: at(0) }), q, true).map((c) => c.id)).toEqual(['a']);
    expect(place(items, conv('z', { last_message_at: at(0) }), q, false).map((c) => c.id)).toEqual(['a', 'z']);
  });

  it('with a search, updates listed chats but adds none', () => {
    const searched = { ...q, search: 'ana' };
    const items = [conv('a', { last_message_at: at(1) })];
    expect(place(items, conv('b', { last_message_at: at(5) }), searched, false).map((c) => c.id)).toEqual(['a']);
    const updated = place(items, conv('a', { unread: 3, last_message_at: at(1) }), searched, false);
    expect(updated[0]?.unread).toBe(3);
  });

  it('with a tag filter, adds a chat that gets the tag and drops one that loses it', () => {
    const tagged = { ...q, tag: 'vip' };
    const items = [conv('a', { last_message_at: at(1), tags: ['vip'] })];
    const added = place(items, conv('b', { last_message_at: at(5), tags: ['vip'] }), tagged, false);
    expect(added.map((c) => c.id)).toEqual(['b', 'a']);
    expect(place(added, conv('a', { last_message_at: at(1), tags: [] }), tagged, false).map((c) => c.id)).toEqual(['b']);
  });

  it('appends pages without duplicates', () => {
    const list = appendPage([conv('a'), conv('b')], [conv('b', { unread: 4 }), conv('c')]);
    expect(list.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(list[1]?.unread).toBe(4);
  });
});
