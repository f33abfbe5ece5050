// After "Encaminhar" (LC-9, LC-10): a chat that left all the user's views
// closes with a notice; one they still see stays open.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, ConversationPage, MessagePage } from '../../api/types';
import { ApiFailure } from '../../api/errors';
import { conv } from '../../test/fixtures';
import { clearNotices, notices } from '../notices.svelte';
import type { ChatApi } from './console.svelte';
import { ConsoleStore, inSomeView } from './console.svelte';

const LEFT = 'Conversa encaminhada. Ela saiu das suas visualizações.';

function fakeApi() {
  const server = new Map<string, Conversation>();
  /** What the next read of a chat fails with, if anything. */
  const failures = new Map<string, Error>();
  const api = {
    fetchList: vi.fn(async (): Promise<ConversationPage> => ({ items: [...server.values()], next_cursor: null })),
    fetchConversation: vi.fn(async (id: string) => {
      const failure = failures.get(id);
      if (failure) throw failure;
      const c = server.get(id);
      if (!c) throw new ApiFailure(404, 'not_found', 'Não encontrado.');
      return c;
    }),
    fetchMessages: vi.fn(async (): Promise<MessagePage> => ({ items: [], next_cursor: null })),
    fetchContact: vi.fn(async () => {
      throw new ApiFailure(404, 'not_found', 'Não encontrado.');
    }),
    markRead: vi.fn(async () => undefined),
  } as unknown as ChatApi;
  return { api, server, failures };
}

async function openedOn(id: string, over: Partial<Conversation> = {}) {
  const f = fakeApi();
  f.server.set(id, conv(id, over));
  f.server.set('other', conv('other'));
  const store = new ConsoleStore(f.api);
  await store.reloadList();
  await store.openChat(id);
  expect(store.openId).toBe(id);
  return { ...f, store };
}

afterEach(() => clearNotices());

describe('inSomeView', () => {
  it('is false only for a chat in none of the caller’s views', () => {
    expect(inSomeView({ views: ['all', 'in_service'] })).toBe(true);
    expect(inSomeView({ views: ['all'] })).toBe(true);
    expect(inSomeView({ views: [] })).toBe(false);
  });
});

describe('ConsoleStore.afterForward', () => {
  it('closes the chat with a notice when the forward’s answer is in none of the user’s views', async () => {
    const { store, api } = await openedOn('a');
    const answered = conv('a', { department_id: 'dep-other', views: [] });
    const reads = vi.mocked(api.fetchConversation).mock.calls.length;
    expect(await store.afterForward('a', answered)).toBe('left');
    expect(store.openId).toBeNull();
    expect(store.openConversation).toBeNull();
    expect(store.items.map((c) => c.id)).toEqual(['other']);
    expect(notices.list.map((n) => n.text)).toEqual([LEFT]);
    expect(vi.mocked(api.fetchConversation).mock.calls.length, 'the answer was enough').toBe(reads);
  });

  it('keeps the chat open, with its new state, when the user still sees it (e.g. "see all chats")', async () => {
    const { store } = await openedOn('a');
    const answered = conv('a', { department_id: 'dep-other', agent_id: 'u-bruno', views: ['all', 'in_service'] });
    expect(await store.afterForward('a', answered)).toBe('visible');
    expect(store.openId).toBe('a');
    expect(store.openConversation).toMatchObject({ agent_id: 'u-bruno', department_id: 'dep-other' });
    // It left "Chats abertos" (it has an agent now), not the pane.
    expect(store.items.map((c) => c.id)).toEqual(['other']);
    expect(notices.list).toEqual([]);
  });

  it('without an answer (a flow’s run), a 404 on reading the chat again closes it', async () => {
    const { store, server } = await openedOn('a');
    server.delete('a');
    expect(await store.afterForward('a')).toBe('left');
    expect(store.openId).toBeNull();
    expect(store.items.map((c) => c.id)).toEqual(['other']);
    expect(notices.list.map((n) => n.text)).toEqual([LEFT]);
  });

  it('without an answer, a chat read again stays open', async () => {
    const { store, server } = await openedOn('a');
    server.set('a', conv('a', { attendance_open: false, flow_running: true, views: ['all'] }));
    expect(await store.afterForward('a')).toBe('visible');
    expect(store.openId).toBe('a');
    expect(store.openConversation?.flow_running).toBe(true);
    expect(notices.list).toEqual([]);
  });

  it('a read that fails for another reason changes nothing', async () => {
    const { store, failures } = await openedOn('a');
    failures.set('a', new ApiFailure(0, 'network', 'Sem conexão.'));
    expect(await store.afterForward('a')).toBe('unknown');
    expect(store.openId).toBe('a');
    expect(store.items.map((c) => c.id).sort()).toEqual(['a', 'other']);
    expect(notices.list).toEqual([]);
  });

  it('does not close another chat opened meanwhile', async () => {
    const { store } = await openedOn('a');
    await store.openChat('other');
    expect(await store.afterForward('a', conv('a', { views: [] }))).toBe('left');
    expect(store.openId).toBe('other');
    expect(store.items.map((c) => c.id)).toEqual(['other']);
  });
});
