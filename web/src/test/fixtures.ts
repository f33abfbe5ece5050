/** Builders for API objects in unit tests. */
import type { ApiEvent, Conversation, Message } from '../api/types';

export function conv(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    inbox_id: 'inbox-1',
    channel: 'whatsapp',
    contact: { id: `contact-${id}`, name: `Contato ${id}`, phone: '+5511999990000' },
    protocol: '20260310000000001',
    attendance_open: true,
    opened_at: '2026-03-10T09:00:00.000Z',
    department_id: null,
    agent_id: null,
    flow_running: false,
    last_message_at: '2026-03-10T10:00:00.000Z',
    last_inbound_at: '2026-03-10T10:00:00.000Z',
    unread: 0,
    window: 'open',
    window_expires_at: '2026-03-11T10:00:00.000Z',
    views: ['all', 'open'],
    tags: [],
    close_at: null,
    campaign_id: null,
    ...over,
  };
}

export function msg(id: string, over: Partial<Message> = {}): Message {
  return {
    id,
    conversation_id: 'c1',
    direction: 'in',
    author_kind: 'contact',
    author_id: null,
    internal: false,
    kind: 'text',
    text: `texto ${id}`,
    payload: {},
    status: 'delivered',
    error_code: null,
    error_text: null,
    media: null,
    created_at: '2026-03-10T10:00:00.000Z',
    ...over,
  };
}

let seq = 100;

export function event(kind: string, conversationId: string | null, payload: Record<string, unknown>): ApiEvent {
  return {
    seq: ++seq,
    kind,
    conversation_id: conversationId,
    payload: payload as ApiEvent['payload'],
    created_at: '2026-03-10T10:00:00.000Z',
  };
}

/** A `message.created` event as the store emits it (times in ms). */
export function messageCreated(m: Message): ApiEvent {
  return event('message.created', m.conversation_id, {
    message: { ...m, created_at: Date.parse(m.created_at), provider_id: null, inbox_id: 'inbox-1' },
  });
}
