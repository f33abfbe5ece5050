/** Builders for API objects in unit tests. */
import type { ApiEvent, Conversation, Message } from '../api/types';
import type { Snapshot } from '../lib/monitoring/snapshot';
import type { EventKind, EventOf } from '../lib/realtime/payloads';

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
    last_message: null,
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

/** An event of `kind` with its payload, typed as the server sends it. */
export function event<K extends EventKind>(kind: K, conversationId: string | null, payload: EventOf<K>['payload']): ApiEvent {
  return {
    seq: ++seq,
    kind,
    conversation_id: conversationId,
    payload,
    created_at: '2026-03-10T10:00:00.000Z',
  } as ApiEvent;
}

/** A `conversation.created` event as the store emits it (the stored row, times in ms). */
export function conversationCreated(id: string): ApiEvent {
  const at = Date.parse('2026-03-10T10:00:00.000Z');
  return event('conversation.created', id, {
    conversation: {
      id,
      inbox_id: 'inbox-1',
      contact_id: `contact-${id}`,
      attendance_id: null,
      protocol: null,
      opened_at: null,
      department_id: null,
      agent_id: null,
      flow_running: false,
      last_message_at: at,
      last_inbound_at: at,
      unread: 1,
      created_at: at,
      campaign_id: null,
    },
  });
}

/** A `message.created` event as the store emits it (times in ms). */
export function messageCreated(m: Message): ApiEvent {
  const { media: _media, ...row } = m;
  return event('message.created', m.conversation_id, {
    message: { ...row, created_at: Date.parse(m.created_at), provider_id: null, inbox_id: 'inbox-1' },
  });
}

/** A monitoring snapshot of a quiet morning (no queue, nothing today yet). */
export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    now: '2026-03-10T12:00:00.000Z',
    day_start: '2026-03-10T03:00:00.000Z',
    inbox_id: null,
    queue: { count: 0, longest_wait_seconds: 0, longest_wait_since: null },
    in_service: 0,
    first_reply: { avg_seconds: null, max_seconds: null },
    reply_avg_seconds: null,
    attendance_avg_seconds: null,
    today: { total: 0, open: 0, closed: 0, abandoned: 0, lost: 0 },
    agents: { online: 2, paused: 0, invisible: 0, offline: 1, avg_tickets: 0 },
    hours: [],
    in_service_tickets: [],
    in_service_tickets_total: 0,
    queued_tickets: [],
    agent_rows: [],
    tags: [],
    ...over,
  };
}
