/**
 * The calls behind the template picker (CH-6), "Novo chat" (CT-7) and the
 * `?target_phone=` deep link (LC-16).
 */
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { components } from '../../api/schema';
import type { Conversation } from '../../api/types';
import { phoneMatches, searchDigits } from '../chats/phone';
import type { Template } from './templates';

export type Inbox = components['schemas']['InboxOut'];
export type NewChatRequest = components['schemas']['NewChatRequest'];

/** The error code of "Conversa já existente" (409). */
export const CONVERSATION_EXISTS = 'conversation_exists';

/** How long an inbox's templates are reused (they change rarely). */
const TEMPLATES_TTL_MS = 60_000;
const cache = new Map<string, { at: number; list: Promise<Template[]> }>();

export function fetchTemplates(inboxId: string): Promise<Template[]> {
  const hit = cache.get(inboxId);
  if (hit && Date.now() - hit.at < TEMPLATES_TTL_MS) return hit.list;
  const list = call(api.GET('/api/v1/inboxes/{id}/templates', { params: { path: { id: inboxId } } }));
  cache.set(inboxId, { at: Date.now(), list });
  // Neither a failure nor an empty list (not synced yet) is kept.
  list.then(
    (l) => l.length === 0 && cache.delete(inboxId),
    () => cache.delete(inboxId),
  );
  return list;
}

/** Forgets the cached templates (logout). */
export function clearTemplates(): void {
  cache.clear();
}

/**
 * The inboxes a new chat may start from, or null when this user may not
 * list inboxes (`GET /inboxes` needs the Inboxes module).
 */
export async function fetchInboxes(): Promise<Inbox[] | null> {
  try {
    return await call(api.GET('/api/v1/inboxes'));
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403) return null;
    throw e;
  }
}

/** CT-7: creates the contact and its conversation and sends the template. */
export function createChat(body: NewChatRequest): Promise<Conversation> {
  return call(api.POST('/api/v1/chats', { body }));
}

/**
 * The WhatsApp inboxes of the chats this user sees, for users who may not
 * list inboxes (the API gives them no names).
 */
export async function inboxIdsFromChats(): Promise<string[]> {
  const page = await call(
    api.GET('/api/v1/conversations', { params: { query: { view: 'all', channel: 'whatsapp', limit: 200 } } }),
  );
  return [...new Set(page.items.map((c) => c.inbox_id))];
}

/** Whether a failure is "Conversa já existente". */
export function isConversationExists(e: unknown): boolean {
  return e instanceof ApiFailure && e.status === 409 && e.code === CONVERSATION_EXISTS;
}

/**
 * The chat of the contact with this phone, searching the list (name, phone,
 * protocol) and keeping only an exact match of the digits. Null when this
 * user sees no such chat.
 */
export async function findChatByPhone(phone: string, inboxId?: string): Promise<Conversation | null> {
  const q = searchDigits(phone);
  if (!q) return null;
  const page = await call(
    api.GET('/api/v1/conversations', { params: { query: { view: 'all', q, limit: 50, inbox: inboxId } } }),
  );
  return page.items.find((c) => phoneMatches(c.contact.phone, phone)) ?? null;
}
