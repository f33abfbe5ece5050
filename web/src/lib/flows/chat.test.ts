import { describe, expect, it } from 'vitest';
import type { FlowSummary } from './api';
import { offersFlows, publishedFlows } from './chat';

const flow = (id: string, name: string, published_version: number | null): FlowSummary => ({
  id,
  name,
  published_version,
  entry_of: [],
  updated_at: '2026-03-10T10:00:00.000Z',
});

describe('the flows the chat offers (LC-10, LC-11)', () => {
  it('are the published ones, by name', () => {
    const list = [flow('a', 'Pesquisa', 2), flow('b', 'Rascunho', null), flow('c', 'Boas-vindas', 1)];
    expect(publishedFlows(list).map((f) => f.id)).toEqual(['c', 'a']);
    expect(list.map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('are offered to whoever may act on chats, agents included', () => {
    expect(offersFlows({ modules: { chat: 'view_edit', flows: 'view' } })).toBe(true);
    expect(offersFlows({ modules: { chat: 'view_edit', flows: 'none' } })).toBe(true);
    expect(offersFlows({ modules: { chat: 'view', flows: 'view_edit' } })).toBe(false);
    expect(offersFlows(null)).toBe(false);
  });
});
