import { describe, expect, it, vi } from 'vitest';
import type { Conversation, ConversationPage, MessagePage } from '../../api/types';
import { ApiFailure } from '../../api/errors';
import { conv, conversationCreated, event, messageCreated, msg } from '../../test/fixtures';
import type { ChatApi } from './console.svelte';
import { ConsoleStore } from './console.svelte';

const at = (min: number) => new Date(Date.UTC(2026, 2, 10, 10, min)).toISOString();

function fakeApi(over: Partial<ChatApi> = {}) {
  const calls = { read: [] as string[], unread: [] as string[], fetched: [] as string[] };
  const server = new Map<string, Conversation>();
  const api = {
    LIST_PAGE: 50,
    MESSAGE_PAGE: 50,
    EVENT_PAGE: 500,
    fetchList: vi.fn(async (): Promise<ConversationPage> => ({ items: [...server.values()], next_cursor: null })),
    fetchConversation: vi.fn(async (id: string) => {
      calls.fetched.push(id);
      const c = server.get(id);
      if (!c) throw new ApiFailure(404, 'not_found', 'Não encontrado.');
      return c;
    }),
    fetchMessages: vi.fn(async (): Promise<MessagePage> => ({ items: [], next_cursor: null })),
    fetchEvents: vi.fn(),
    sendMessage: vi.fn(),
    markRead: vi.fn(async (id: string) => void calls.read.push(id)),
    markUnread: vi.fn(async (id: string) => void calls.unread.push(id)),
    ...over,
  } as unknown as ChatApi;
  return { api, server, calls };
}

async function flush() {
  await vi.advanceTimersByTimeAsync(1000);
}

describe('ConsoleStore applies events', () => {
  it('moves a chat to the top and counts an inbound message once', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { last_message_at: at(5) }));
    server.set('b', conv('b', { last_message_at: at(3) }));
    const store = new ConsoleStore(api);
    await store.reloadList();
    expect(store.items.map((c) => c.id)).toEqual(['a', 'b']);

    const m = msg('m1', { conversation_id: 'b', created_at: at(8) });
    store.apply([messageCreated(m)]);
    expect(store.items.map((c) => c.id)).toEqual(['b', 'a']);
    expect(store.items[0]?.unread).toBe(1);

    // The same message again (e.g. read back during a catch-up): no change.
    store.apply([messageCreated(m)]);
    expect(store.items[0]?.unread).toBe(1);
  });

  it('opens a fresh window on an inbound message, but keeps `none` on a channel without one', async () => {
    const { api, server } = fakeApi();
    server.set('wa', conv('wa', { last_message_at: at(1), window: 'expired', window_expires_at: at(0) }));
    server.set('tg', conv('tg', { channel: 'telegram', last_message_at: at(2), window: 'none', window_expires_at: null }));
    const store = new ConsoleStore(api);
    await store.reloadList();

    store.apply([
      messageCreated(msg('m1', { conversation_id: 'wa', created_at: at(8) })),
      messageCreated(msg('m2', { conversation_id: 'tg', created_at: at(9) })),
    ]);
    const wa = store.items.find((c) => c.id === 'wa');
    const tg = store.items.find((c) => c.id === 'tg');
    expect(wa?.window).toBe('open');
    expect(Date.parse(wa?.window_expires_at ?? '')).toBe(Date.parse(at(8)) + 24 * 3600_000);
    expect(tg?.window).toBe('none');
    expect(tg?.window_expires_at).toBeNull();
    expect(tg?.last_inbound_at).toBe(at(9));
  });

  it('shows new messages in the open chat and marks it read (LC-7)', async () => {
    vi.useFakeTimers();
    try {
      const { api, server, calls } = fakeApi();
      server.set('c1', conv('c1', { unread: 2 }));
      const store = new ConsoleStore(api);
      await store.reloadList();
      await store.openChat('c1');
      expect(calls.read).toEqual(['c1']);
      expect(store.items[0]?.unread).toBe(0);

      store.apply([messageCreated(msg('m2', { conversation_id: 'c1', created_at: at(30) }))]);
      expect(store.messages.map((m) => m.id)).toEqual(['m2']);
      expect(store.items[0]?.unread).toBe(0);
      await flush();
      expect(calls.read).toEqual(['c1', 'c1']);

      store.apply([
        event('message.updated', 'c1', {
          message_id: 'm2',
          conversation_id: 'c1',
          status: 'failed',
          error_code: '190',
          error_text: 'Error validating access token',
        }),
      ]);
      expect(store.messages[0]).toMatchObject({ status: 'failed', error_text: 'Error validating access token' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the open chat read when a snapshot from before the read arrives', async () => {
    vi.useFakeTimers();
    try {
      const { api, server } = fakeApi();
      server.set('c1', conv('c1', { unread: 2 }));
      server.set('c2', conv('c2', { unread: 1 }));
      const store = new ConsoleStore(api);
      await store.reloadList();
      await store.openChat('c1');
      expect(store.items.find((c) => c.id === 'c1')?.unread).toBe(0);
      // The server still answers with the count from before the read (a
      // refetch or a list reload that started earlier).
      store.apply([event('attendance.opened', 'c1', { conversation_id: 'c1', attendance_id: 'att-c1', protocol: '20260310000000001' })]);
      await flush();
      await store.reloadList();
      expect(store.items.find((c) => c.id === 'c1')?.unread).toBe(0);
      // Chats not on screen keep the server's count.
      expect(store.items.find((c) => c.id === 'c2')?.unread).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a chat from "Chats abertos" once an agent takes it', async () => {
    vi.useFakeTimers();
    try {
      const { api, server, calls } = fakeApi();
      server.set('a', conv('a'));
      const store = new ConsoleStore(api);
      store.query = { ...store.query, view: 'open' };
      await store.reloadList();
      server.set('a', conv('a', { agent_id: 'u1', views: ['all', 'mine', 'in_service'] }));
      store.apply([event('conversation.assigned', 'a', { conversation_id: 'a', agent_id: 'u1', department_id: null })]);
      expect(store.items[0]?.agent_id).toBe('u1');
      await flush();
      expect(calls.fetched).toEqual(['a']);
      expect(store.items).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('adds a new chat that appears in the current view', async () => {
    vi.useFakeTimers();
    try {
      const { api, server } = fakeApi();
      const store = new ConsoleStore(api);
      await store.reloadList();
      server.set('n', conv('n'));
      store.apply([conversationCreated('n'), messageCreated(msg('x', { conversation_id: 'n' }))]);
      await flush();
      expect(store.items.map((c) => c.id)).toEqual(['n']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('replays events that arrive while the list loads', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { last_message_at: at(1) }));
    server.set('b', conv('b', { last_message_at: at(2) }));
    let answer: (p: ConversationPage) => void = () => {};
    (api.fetchList as ReturnType<typeof vi.fn>).mockImplementationOnce(
      () => new Promise<ConversationPage>((r) => (answer = r)),
    );
    const store = new ConsoleStore(api);
    const loading = store.reloadList();
    // The page was read before this message was committed.
    store.apply([messageCreated(msg('late', { conversation_id: 'a', created_at: at(9) }))]);
    answer({ items: [server.get('b') as Conversation, server.get('a') as Conversation], next_cursor: null });
    await loading;
    expect(store.items.map((c) => c.id)).toEqual(['a', 'b']);
    expect(store.items[0]?.unread).toBe(1);
  });

  it('keeps unread counts the server sends with read/unread events', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { unread: 3 }));
    const store = new ConsoleStore(api);
    await store.reloadList();
    store.apply([event('conversation.read', 'a', { conversation_id: 'a', unread: 0 })]);
    expect(store.items[0]?.unread).toBe(0);
    store.apply([event('conversation.unread', 'a', { conversation_id: 'a', unread: 1 })]);
    expect(store.items[0]?.unread).toBe(1);
  });

  it('renames contacts on contact.updated', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a'));
    const store = new ConsoleStore(api);
    await store.reloadList();
    store.apply([event('contact.updated', null, { contact_id: 'contact-a', name: 'Maria 🌻' })]);
    expect(store.items[0]?.contact.name).toBe('Maria 🌻');
  });

  describe('the last-message preview', () => {
    const shown = { kind: 'text', text: 'Oi', internal: false, direction: 'in', author_kind: 'contact' };

    async function listed(over: Partial<Conversation> = {}) {
      const { api, server } = fakeApi();
      server.set('a', conv('a', { last_message_at: at(5), last_message: shown, ...over }));
      server.set('b', conv('b', { last_message_at: at(3) }));
      const store = new ConsoleStore(api);
      await store.reloadList();
      return store;
    }
    const lastOf = (store: ConsoleStore, id: string) => store.items.find((c) => c.id === id)?.last_message;

    it('takes a new message, its text on one line and cut as the server does', async () => {
      const store = await listed();
      const long = `Bom dia!\n\nPreciso de ajuda   com ${'o pedido '.repeat(30)}`;
      store.apply([messageCreated(msg('m1', { conversation_id: 'b', created_at: at(8), text: long }))]);
      const last = lastOf(store, 'b');
      expect(last).toMatchObject({ kind: 'text', internal: false, direction: 'in', author_kind: 'contact' });
      expect(last?.text?.startsWith('Bom dia! Preciso de ajuda com o pedido')).toBe(true);
      expect(last?.text?.endsWith('…')).toBe(true);
      expect(Array.from(last?.text ?? '').length).toBeLessThanOrEqual(140);
      // The other chat keeps its own.
      expect(lastOf(store, 'a')).toEqual(shown);
    });

    it('takes media, outbound and internal messages with their details', async () => {
      const store = await listed();
      store.apply([
        messageCreated(msg('m1', { conversation_id: 'a', created_at: at(6), kind: 'image', text: null })),
      ]);
      expect(lastOf(store, 'a')).toEqual({ kind: 'image', text: null, internal: false, direction: 'in', author_kind: 'contact' });
      store.apply([
        messageCreated(
          msg('m2', { conversation_id: 'a', created_at: at(7), direction: 'out', author_kind: 'agent', internal: true, text: 'ver estoque' }),
        ),
      ]);
      expect(lastOf(store, 'a')).toEqual({ kind: 'text', text: 'ver estoque', internal: true, direction: 'out', author_kind: 'agent' });
      store.apply([messageCreated(msg('m3', { conversation_id: 'a', created_at: at(8), direction: 'out', author_kind: 'bot', text: 'Olá!' }))]);
      expect(lastOf(store, 'a')).toMatchObject({ text: 'Olá!', direction: 'out', author_kind: 'bot', internal: false });
    });

    it('keeps the preview on a system line, which still moves the chat', async () => {
      const store = await listed({ last_message_at: at(1) });
      const line = msg('s1', {
        conversation_id: 'a',
        created_at: at(9),
        direction: 'out',
        author_kind: 'system',
        internal: true,
        text: 'Ana assumiu o atendimento.',
      });
      store.apply([messageCreated(line)]);
      expect(store.items.map((c) => c.id)).toEqual(['a', 'b']);
      expect(store.items[0]?.last_message_at).toBe(at(9));
      expect(lastOf(store, 'a')).toEqual(shown);
    });

    it('takes a message written in the same millisecond as a system line', async () => {
      const store = await listed({ last_message_at: at(5) });
      store.apply([
        messageCreated(msg('s1', { conversation_id: 'a', created_at: at(9), direction: 'out', author_kind: 'system', internal: true })),
        messageCreated(msg('m1', { conversation_id: 'a', created_at: at(9), text: 'Alguém aí?' })),
      ]);
      expect(lastOf(store, 'a')?.text).toBe('Alguém aí?');
    });

    it('ignores a message older than the one the list shows', async () => {
      const store = await listed();
      store.apply([messageCreated(msg('old', { conversation_id: 'a', created_at: at(2), text: 'antiga' }))]);
      expect(lastOf(store, 'a')).toEqual(shown);
      // The same message again changes nothing either.
      store.apply([messageCreated(msg('m1', { conversation_id: 'a', created_at: at(6), text: 'nova' }))]);
      store.apply([messageCreated(msg('m1', { conversation_id: 'a', created_at: at(6), text: 'nova' }))]);
      expect(lastOf(store, 'a')?.text).toBe('nova');
      expect(store.items.find((c) => c.id === 'a')?.unread).toBe(1);
    });

    it('reads the chat again when the text of a message was edited, not on receipts', async () => {
      vi.useFakeTimers();
      try {
        const { api, server, calls } = fakeApi();
        server.set('a', conv('a', { last_message: shown }));
        const store = new ConsoleStore(api);
        await store.reloadList();
        const receipt = { message_id: 'm1', conversation_id: 'a', status: 'read' };
        store.apply([event('message.updated', 'a', receipt)]);
        await flush();
        expect(calls.fetched).toEqual([]);

        const edited = { ...shown, text: 'Oi, corrigido' };
        server.set('a', conv('a', { last_message: edited }));
        // The contact edited the message: the event carries its new text.
        const edit = { message_id: 'm1', conversation_id: 'a', text: 'Oi, corrigido' };
        store.apply([event('message.updated', 'a', edit)]);
        await flush();
        expect(calls.fetched).toEqual(['a']);
        expect(lastOf(store, 'a')).toEqual(edited);
      } finally {
        vi.useRealTimers();
      }
    });

    it('updates the open chat too', async () => {
      const store = await listed();
      await store.openChat('a');
      store.apply([messageCreated(msg('m1', { conversation_id: 'a', created_at: at(6), kind: 'audio', text: null }))]);
      expect(store.openConversation?.last_message?.kind).toBe('audio');
      expect(lastOf(store, 'a')?.kind).toBe('audio');
    });
  });
});

describe('ConsoleStore with "unread only"', () => {
  it('keeps the open chat listed after reading it, drops others that are read', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { unread: 2, last_message_at: at(2) }));
    server.set('b', conv('b', { unread: 1, last_message_at: at(1) }));
    const store = new ConsoleStore(api);
    store.query = { ...store.query, unreadOnly: true };
    await store.reloadList();
    await store.openChat('a');
    expect(store.items.map((c) => [c.id, c.unread])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    store.apply([event('conversation.read', 'b', { conversation_id: 'b', unread: 0 })]);
    expect(store.items.map((c) => c.id)).toEqual(['a']);
  });

  it('a tag filter keeps the list in step with conversation.tagged', async () => {
    vi.useFakeTimers();
    try {
      const { api, server, calls } = fakeApi();
      server.set('a', conv('a', { last_message_at: at(5), tags: ['vip'], views: ['all', 'open'] }));
      const store = new ConsoleStore(api);
      store.setQuery({ view: 'all', tag: 'vip' });
      await flush();
      expect(store.items.map((c) => c.id)).toEqual(['a']);

      // b gets the tag: it is read and joins; a loses it: it leaves.
      server.set('b', conv('b', { last_message_at: at(9), tags: ['vip'], views: ['all', 'open'] }));
      store.apply([event('conversation.tagged', 'b', { conversation_id: 'b', tags: ['vip'] })]);
      await flush();
      expect(calls.fetched).toContain('b');
      expect(store.items.map((c) => c.id)).toEqual(['b', 'a']);
      store.apply([event('conversation.tagged', 'a', { conversation_id: 'a', tags: [] })]);
      expect(store.items.map((c) => c.id)).toEqual(['b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the automation mark while a flow runs (conversation.flow, LC-7)', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a'));
    const store = new ConsoleStore(api);
    await store.reloadList();
    await store.openChat('a');
    store.apply([event('conversation.flow', 'a', { conversation_id: 'a', flow_running: true })]);
    expect(store.items[0]?.flow_running).toBe(true);
    expect(store.openConversation?.flow_running).toBe(true);
    store.apply([event('conversation.flow', 'a', { conversation_id: 'a', flow_running: false })]);
    expect(store.items[0]?.flow_running).toBe(false);
    expect(store.openConversation?.flow_running).toBe(false);
  });

  it('does not let a read that crossed an event undo it: the chat is read again', async () => {
    vi.useFakeTimers();
    try {
      const { api, server } = fakeApi();
      server.set('a', conv('a', { flow_running: true }));
      const store = new ConsoleStore(api);
      await store.openChat('a');
      // The chat is not listed: a message makes the store read it again,
      // and the flow ends while that read is on its way.
      let answer: (c: Conversation) => void = () => {};
      vi.mocked(api.fetchConversation).mockImplementationOnce(
        () => new Promise<Conversation>((resolve) => (answer = resolve)),
      );
      store.apply([messageCreated(msg('m1', { conversation_id: 'a', created_at: at(40) }))]);
      await vi.advanceTimersByTimeAsync(1000);
      store.apply([event('conversation.flow', 'a', { conversation_id: 'a', flow_running: false })]);
      server.set('a', conv('a', { flow_running: false }));
      answer(conv('a', { flow_running: true }));
      await flush();
      expect(store.openConversation?.flow_running).toBe(false);
      await flush();
      expect(store.openConversation?.flow_running).toBe(false);
      expect(vi.mocked(api.fetchConversation).mock.calls.length).toBeGreaterThanOrEqual(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a campaign filter follows conversation.campaign, and a deleted campaign clears it', async () => {
    vi.useFakeTimers();
    try {
      const { api, server, calls } = fakeApi();
      server.set('a', conv('a', { last_message_at: at(5), campaign_id: 'k1', views: ['all', 'open'] }));
      const store = new ConsoleStore(api);
      store.setQuery({ view: 'all', campaign: 'k1' });
      await flush();
      expect(store.items.map((c) => c.id)).toEqual(['a']);

      server.set('b', conv('b', { last_message_at: at(9), campaign_id: 'k1', views: ['all', 'open'] }));
      store.apply([event('conversation.campaign', 'b', { conversation_id: 'b', campaign_id: 'k1' })]);
      await flush();
      expect(calls.fetched).toContain('b');
      expect(store.items.map((c) => c.id)).toEqual(['b', 'a']);
      store.apply([event('conversation.campaign', 'a', { conversation_id: 'a', campaign_id: null })]);
      expect(store.items.map((c) => c.id)).toEqual(['b']);

      store.apply([event('campaign.deleted', null, { id: 'k1' })]);
      expect(store.query.campaign).toBe('');
      expect(store.items.every((c) => c.campaign_id !== 'k1')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
