/** The chat API calls the console makes. */
import { api, call } from '../../api/client';
import type {
  Contact,
  ContactUpdate,
  Conversation,
  ConversationPage,
  EventPage,
  Message,
  MessageHits,
  MessagePage,
  SendRequest,
} from '../../api/types';
import { type ListQuery, toParams } from './listQuery';

export const LIST_PAGE = 50;
export const MESSAGE_PAGE = 50;
export const EVENT_PAGE = 500;
/** Older pages read when jumping to a search hit (LC-5): the API's largest. */
export const JUMP_PAGE = 200;
/** Hits asked for in one search inside a conversation (the API's largest). */
export const SEARCH_LIMIT = 200;

export function fetchList(q: ListQuery, cursor: string | null): Promise<ConversationPage> {
  return call(api.GET('/api/v1/conversations', { params: { query: toParams(q, cursor, LIST_PAGE) } }));
}

export function fetchConversation(id: string): Promise<Conversation> {
  return call(api.GET('/api/v1/conversations/{id}', { params: { path: { id } } }));
}

export function fetchMessages(id: string, before: string | null, limit: number = MESSAGE_PAGE): Promise<MessagePage> {
  return call(
    api.GET('/api/v1/conversations/{id}/messages', {
      params: { path: { id }, query: { before: before ?? undefined, limit } },
    }),
  );
}

/** LC-5: messages of the chat whose text contains `q` (≥ 2 characters), newest first. */
export async function searchMessages(id: string, q: string): Promise<Message[]> {
  const hits = await call(
    api.GET('/api/v1/conversations/{id}/messages/search', {
      params: { path: { id }, query: { q, limit: SEARCH_LIMIT } },
    }),
  );
  return hits.items;
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

// ---- the settings panel (CT-1, CT-5, tags, LC-11) and LC-18 -------------

export function fetchContact(id: string): Promise<Contact> {
  return call(api.GET('/api/v1/contacts/{id}', { params: { path: { id } } }));
}

/** Only the fields that changed; `""` clears one. Answers the saved contact. */
export function updateContact(id: string, body: ContactUpdate): Promise<Contact> {
  return call(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body }));
}

/** Blocks (CT-4: needs a message from the contact in the last 24 h) or unblocks a contact. */
export function setContactBlocked(id: string, blocked: boolean): Promise<Contact> {
  const path = { params: { path: { id } } };
  return call(blocked ? api.POST('/api/v1/contacts/{id}/block', path) : api.DELETE('/api/v1/contacts/{id}/block', path));
}

export function setTags(id: string, tags: string[]): Promise<Conversation> {
  return call(api.PUT('/api/v1/conversations/{id}/tags', { params: { path: { id } }, body: { tags } }));
}

/** Marks the campaign the chat came from (LC-2); null unmarks it. */
export function setCampaign(id: string, campaignId: string | null): Promise<Conversation> {
  return call(
    api.PUT('/api/v1/conversations/{id}/campaign', { params: { path: { id } }, body: { campaign_id: campaignId } }),
  );
}

/** Cancels a scheduled closing (LC-11). */
export function cancelClose(id: string): Promise<Conversation> {
  return call(api.DELETE('/api/v1/conversations/{id}/close', { params: { path: { id } } }));
}

/** LC-18: asks the agent serving the chat to hand it over. */
export function requestTransfer(id: string): Promise<Conversation> {
  return call(api.POST('/api/v1/conversations/{id}/transfer-request', { params: { path: { id } } }));
}

/** Hands the chat to an agent, replacing the current one (the asked-for transfer). */
export function assignToAgent(id: string, agentId: string): Promise<Conversation> {
  return call(
    api.POST('/api/v1/conversations/{id}/assign', {
      params: { path: { id } },
      body: { agent_id: agentId, confirm: true },
    }),
  );
}
