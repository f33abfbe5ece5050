/** The chat API calls the console makes. */
import { api, call } from '../../api/client';
import type { Conversation, ConversationPage, EventPage, Message, MessagePage, SendRequest } from '../../api/types';
import { type ListQuery, toParams } from './listQuery';

export const LIST_PAGE = 50;
export const MESSAGE_PAGE = 50;
export const EVENT_PAGE = 500;

export function fetchList(q: ListQuery, cursor: string | null): Promise<ConversationPage> {
  return call(api.GET('/api/v1/conversations', { params: { query: toParams(q, cursor, LIST_PAGE) } }));
}

export function fetchConversation(id: string): Promise<Conversation> {
  return call(api.GET('/api/v1/conversations/{id}', { params: { path: { id } } }));
}

export function fetchMessages(id: string, before: string | null): Promise<MessagePage> {
  return call(
    api.GET('/api/v1/conversations/{id}/messages', {
      params: { path: { id }, query: { before: before ?? undefined, limit: MESSAGE_PAGE } },
    }),
  );
}

export function fetchEvents(after: number): Promise<EventPage> {
  return call(api.GET('/api/v1/events', { params: { query: { after, limit: EVENT_PAGE } } }));
}

/** Sends with an `Idempotency-Key`: a retry with the same key never sends twice. */
export function sendMessage(id: string, body: SendRequest, idempotencyKey: string): Promise<Message> {
  return call(
    api.POST('/api/v1/conversations/{id}/messages', {
      params: { path: { id } },
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  );
}

export async function markRead(id: string): Promise<void> {
  await call(api.POST('/api/v1/conversations/{id}/read', { params: { path: { id } } }));
}

export async function markUnread(id: string): Promise<void> {
  await call(api.POST('/api/v1/conversations/{id}/unread', { params: { path: { id } } }));
}
