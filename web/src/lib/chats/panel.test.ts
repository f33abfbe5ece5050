// The console store and the settings panel / LC-18: contact data, tags,
// scheduled closing and transfer requests arriving as events.
import { describe, expect, it, vi } from 'vitest';
import type { Contact, Conversation, ConversationPage, MessagePage } from '../../api/types';
import { ApiFailure } from '../../api/errors';
import { conv, event } from '../../test/fixtures';
import type { ChatApi } from './console.svelte';
import { ConsoleStore } from './console.svelte';

function contact(id: string, over: Partial<Contact> = {}): Contact {
  return {
    id,
    name: `Contato ${id}`,
    phone: '+5511999990000',
    email: null,
    document: null,
    document_kind: null,
    rg: null,
    birth_date: null,
    customer_code: null,
    blocked: false,
    broadcast_opt_in: true,
    custom: {},
    identities: [{ inbox_id: 'inbox-1', inbox_name: 'WhatsApp da Loja', channel: 'whatsapp', external_id: '5511999990000' }],
    created_at: '2026-03-10T09:00:00.000Z',
    last_interaction_at: null,
    ...over,
  };
}

function fakeApi() {
  const server = new Map<string, Conversation>();
  const contacts = new Map<string, Contact>();
  const calls: string[] = [];
  const api = {
    fetchList: vi.fn(async (): Promise<ConversationPage> => ({ items: [...server.values()], next_cursor: null })),
    fetchConversation: vi.fn(async (id: string) => {
      const c = server.get(id);
      if (!c) throw new ApiFailure(404, 'not_found', 'Não encontrado.');
      return c;
    }),
    fetchMessages: vi.fn(async (): Promise<MessagePage> => ({ items: [], next_cursor: null })),
    markRead: vi.fn(async () => undefined),
    markUnread: vi.fn(async () => undefined),
    fetchContact: vi.fn(async (id: string) => {
      calls.push(`GET contact ${id}`);
      const c = contacts.get(id);
      if (!c) throw new ApiFailure(404, 'not_found', 'Não encontrado.');
      return c;
    }),
    updateContact: vi.fn(async (id: string, body: Record<string, unknown>) => {
      calls.push(`PATCH contact ${id} ${JSON.stringify(body)}`);
      if (typeof body.document === 'string' && body.document.startsWith('123')) {
        throw new ApiFailure(422, 'invalid', 'CPF inválido');
      }
      const next = { ...(contacts.get(id) as Contact), ...body } as Contact;
      contacts.set(id, next);
      return next;
    }),
    setTags: vi.fn(async (id: string, tags: string[]) => {
      const c = { ...(server.get(id) as Conversation), tags };
      server.set(id, c);
      return c;
    }),
    cancelClose: vi.fn(async (id: string) => {
      const c = { ...(server.get(id) as Conversation), close_at: null };
      server.set(id, c);
      return c;
    }),
    requestTransfer: vi.fn(async (id: string) => {
      const c = server.get(id) as Conversation;
      if (!c.agent_id) throw new ApiFailure(409, 'not_served_by_another_agent', 'Este chat não está sendo atendido por outro agente.');
      return c;
    }),
    assignToAgent: vi.fn(async (id: string, agentId: string) => {
      calls.push(`assign ${id} ${agentId}`);
      const c = { ...(server.get(id) as Conversation), agent_id: agentId };
      server.set(id, c);
      return c;
    }),
  } as unknown as ChatApi;
  return { api, server, contacts, calls };
}

describe('the settings panel in the console store', () => {
  it('reads the open chat’s contact and saves only what changed', async () => {
    const { api, server, contacts, calls } = fakeApi();
    server.set('a', conv('a'));
    contacts.set('contact-a', contact('contact-a'));
    const store = new ConsoleStore(api);
    await store.reloadList();
    await store.openChat('a');
    expect(store.contact?.id).toBe('contact-a');
    expect(store.contactState).toBe('ready');

    await expect(store.saveContact({ document: '123.456.789-00' })).rejects.toMatchObject({ status: 422, message: 'CPF inválido' });
    expect(store.contact?.document).toBeNull();

    await store.saveContact({ name: 'Maria Souza', email: 'maria@example.com' });
    expect(calls).toContain('PATCH contact contact-a {"name":"Maria Souza","email":"maria@example.com"}');
    expect(store.contact).toMatchObject({ name: 'Maria Souza', email: 'maria@example.com' });
    // The header and the list follow at once.
    expect(store.openConversation?.contact.name).toBe('Maria Souza');
    expect(store.items[0]?.contact.name).toBe('Maria Souza');
  });

  it('applies contact.updated: renames the chats and reads the open contact again', async () => {
    vi.useFakeTimers();
    try {
      const { api, server, contacts, calls } = fakeApi();
      server.set('a', conv('a'));
      server.set('b', conv('b', { contact: { id: 'contact-a', name: 'Contato a', phone: null } }));
      contacts.set('contact-a', contact('contact-a'));
      const store = new ConsoleStore(api);
      await store.reloadList();
      await store.openChat('a');
      calls.length = 0;

      contacts.set('contact-a', contact('contact-a', { name: 'Dona Cida', email: 'cida@example.com' }));
      // One event per chat of the contact: one read.
      store.apply([
        event('contact.updated', 'a', { contact_id: 'contact-a', conversation_id: 'a', name: 'Dona Cida', fields: ['name', 'email'] }),
        event('contact.updated', 'b', { contact_id: 'contact-a', conversation_id: 'b', name: 'Dona Cida', fields: ['name', 'email'] }),
      ]);
      expect(store.items.map((c) => c.contact.name)).toEqual(['Dona Cida', 'Dona Cida']);
      expect(store.openConversation?.contact.name).toBe('Dona Cida');
      await vi.advanceTimersByTimeAsync(500);
      expect(calls).toEqual(['GET contact contact-a']);
      expect(store.contact?.email).toBe('cida@example.com');

      // Another contact's change reads nothing.
      store.apply([event('contact.updated', 'x', { contact_id: 'contact-x', conversation_id: 'x', name: 'Outro', fields: ['name'] })]);
      await vi.advanceTimersByTimeAsync(500);
      expect(calls).toEqual(['GET contact contact-a']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('applies conversation.tagged to the list and the pane, and PUTs tags', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a'));
    const store = new ConsoleStore(api);
    await store.reloadList();
    await store.openChat('a');
    store.apply([event('conversation.tagged', 'a', { conversation_id: 'a', tags: ['t1', 't2'] })]);
    expect(store.items[0]?.tags).toEqual(['t1', 't2']);
    expect(store.openConversation?.tags).toEqual(['t1', 't2']);

    await store.setTags('a', ['t2']);
    expect(store.items[0]?.tags).toEqual(['t2']);
    expect(store.openConversation?.tags).toEqual(['t2']);
  });

  it('shows a scheduled closing and forgets it when cancelled or closed (LC-11)', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a'));
    const store = new ConsoleStore(api);
    await store.reloadList();
    const due = Date.UTC(2026, 2, 10, 12, 0);
    store.apply([event('attendance.close_scheduled', 'a', { conversation_id: 'a', attendance_id: 'att-a', close_at: due, keep_on_reply: false })]);
    expect(store.items[0]?.close_at).toBe(new Date(due).toISOString());
    store.apply([event('attendance.close_cancelled', 'a', { conversation_id: 'a', attendance_id: 'att-a' })]);
    expect(store.items[0]?.close_at).toBeNull();

    server.set('a', conv('a', { close_at: '2026-03-10T12:00:00.000Z' }));
    store.apply([event('attendance.close_scheduled', 'a', { conversation_id: 'a', attendance_id: 'att-a', close_at: due, keep_on_reply: true })]);
    await store.cancelScheduledClose('a');
    expect(store.items[0]?.close_at).toBeNull();
  });
});

describe('transfer requests (LC-18)', () => {
  const requested = (agentId: string) =>
    event('conversation.transfer_requested', 'a', {
      conversation_id: 'a',
      agent_id: agentId,
      requested_by: 'admin',
      requested_by_name: 'Administradora',
    });

  it('keeps only requests addressed to me, one per chat, with the contact’s name', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { agent_id: 'bruno' }));
    const store = new ConsoleStore(api);
    store.userId = 'bruno';
    await store.reloadList();
    store.apply([requested('ana')]);
    expect(store.transferRequests).toEqual([]);
    store.apply([requested('bruno'), requested('bruno')]);
    expect(store.transferRequests).toEqual([
      { conversationId: 'a', requestedBy: 'admin', requestedByName: 'Administradora', contactName: 'Contato a' },
    ]);
    store.dismissTransfer('a');
    expect(store.transferRequests).toEqual([]);
  });

  it('reads a chat that is not listed for its contact’s name', async () => {
    const { api, server } = fakeApi();
    const store = new ConsoleStore(api);
    store.userId = 'bruno';
    await store.reloadList();
    server.set('a', conv('a', { agent_id: 'bruno' }));
    store.apply([requested('bruno')]);
    expect(store.transferRequests[0]?.contactName).toBeNull();
    await vi.waitFor(() => expect(store.transferRequests[0]?.contactName).toBe('Contato a'));
  });

  it('"Transferir" assigns the chat to whoever asked, with the confirmation', async () => {
    const { api, server, calls } = fakeApi();
    server.set('a', conv('a', { agent_id: 'bruno' }));
    const store = new ConsoleStore(api);
    store.userId = 'bruno';
    await store.reloadList();
    store.apply([requested('bruno')]);
    const [r] = store.transferRequests;
    await store.acceptTransfer(r!);
    expect(calls).toContain('assign a admin');
    expect(store.transferRequests).toEqual([]);
    expect(store.items[0]?.agent_id).toBe('admin');
  });

  it('drops a request once the chat is no longer mine', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { agent_id: 'bruno' }));
    const store = new ConsoleStore(api);
    store.userId = 'bruno';
    await store.reloadList();
    store.apply([requested('bruno')]);
    store.apply([event('conversation.assigned', 'a', { conversation_id: 'a', agent_id: 'bruno', department_id: null })]);
    expect(store.transferRequests).toHaveLength(1);
    store.apply([event('conversation.assigned', 'a', { conversation_id: 'a', agent_id: 'carla', department_id: null })]);
    expect(store.transferRequests).toEqual([]);
    store.apply([requested('bruno'), event('attendance.closed', 'a', { conversation_id: 'a', attendance_id: 'att-a' })]);
    expect(store.transferRequests).toEqual([]);
  });

  it('the request itself: the answer replaces the chat; a 409 is thrown for the notice', async () => {
    const { api, server } = fakeApi();
    server.set('a', conv('a', { agent_id: 'bruno' }));
    server.set('b', conv('b'));
    const store = new ConsoleStore(api);
    store.userId = 'admin';
    await store.reloadList();
    await store.requestTransfer('a');
    await expect(store.requestTransfer('b')).rejects.toMatchObject({ status: 409, code: 'not_served_by_another_agent' });
  });
});
