/**
 * Reading event payloads. Events carry store rows (times as epoch
 * milliseconds) rather than API objects: these helpers turn the parts the
 * console uses into API shapes, and ignore anything malformed.
 */
import type { Message } from '../../api/types';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function optStr(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : null;
}

/** Epoch milliseconds or RFC 3339 text → RFC 3339 text. */
export function isoTime(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString();
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
  return null;
}

/** The message of a `message.created` payload, as `MessageOut`. */
export function createdMessage(payload: unknown): Message | null {
  const m = obj(obj(payload)?.message);
  if (!m) return null;
  const id = str(m.id);
  const conversationId = str(m.conversation_id);
  const createdAt = isoTime(m.created_at);
  if (!id || !conversationId || !createdAt) return null;
  return {
    id,
    conversation_id: conversationId,
    direction: str(m.direction) ?? 'in',
    author_kind: str(m.author_kind) ?? 'contact',
    author_id: str(m.author_id),
    internal: m.internal === true,
    kind: str(m.kind) ?? 'text',
    text: str(m.text),
    payload: (obj(m.payload) ?? {}) as Message['payload'],
    status: str(m.status) ?? 'queued',
    error_code: str(m.error_code),
    error_text: str(m.error_text),
    media: null,
    created_at: createdAt,
  };
}

/** A `message.updated` payload: a receipt change or a new payload. */
export interface MessageUpdate {
  messageId: string;
  conversationId: string;
  status?: string;
  errorCode?: string | null;
  errorText?: string | null;
  payload?: Obj;
}

export function messageUpdate(payload: unknown): MessageUpdate | null {
  const p = obj(payload);
  const messageId = str(p?.message_id);
  const conversationId = str(p?.conversation_id);
  if (!p || !messageId || !conversationId) return null;
  const u: MessageUpdate = { messageId, conversationId };
  const status = str(p.status);
  if (status) {
    u.status = status;
    u.errorCode = optStr(p.error_code) ?? null;
    u.errorText = optStr(p.error_text) ?? null;
  }
  const newPayload = obj(p.payload);
  if (newPayload) u.payload = newPayload;
  return u;
}

/** Applies a `message.updated` to a message. */
export function updateMessage(m: Message, u: MessageUpdate): Message {
  const next: Message = { ...m };
  if (u.status !== undefined) {
    next.status = u.status;
    next.error_code = u.errorCode ?? null;
    next.error_text = u.errorText ?? null;
  }
  if (u.payload !== undefined) next.payload = u.payload as Message['payload'];
  return next;
}

/** `{department_id, agent_id}` of assignment events (null when absent). */
export function assignment(payload: unknown): { department_id: string | null; agent_id: string | null } {
  const p = obj(payload);
  return { department_id: str(p?.department_id), agent_id: str(p?.agent_id) };
}

export function unreadCount(payload: unknown): number | null {
  const v = obj(payload)?.unread;
  return typeof v === 'number' ? v : null;
}

export function protocolOf(payload: unknown): string | null {
  return str(obj(payload)?.protocol);
}

/** `contact.updated`: `{contact_id, name}`. */
export function contactRename(payload: unknown): { contactId: string; name: string } | null {
  const p = obj(payload);
  const contactId = str(p?.contact_id);
  const name = str(p?.name);
  return contactId && name ? { contactId, name } : null;
}

/** `contact.updated`'s changed field names (`fields`; absent when a channel profile renamed it). */
export function contactFields(payload: unknown): string[] {
  const f = obj(payload)?.fields;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : ['name'];
}

/** `conversation.tagged`: the chat's tag ids after the change. */
export function tagsOf(payload: unknown): string[] | null {
  const v = obj(payload)?.tags;
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is string => typeof x === 'string');
}

/**
 * `conversation.campaign`: the chat's campaign id after the change (null:
 * none); undefined when the payload does not say.
 */
export function campaignOf(payload: unknown): string | null | undefined {
  const p = obj(payload);
  if (!p || !('campaign_id' in p)) return undefined;
  const v = p.campaign_id;
  if (v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

/** The `id` of an event about one record (`campaign.deleted`…). */
export function idOf(payload: unknown): string | null {
  const v = obj(payload)?.id;
  return typeof v === 'string' ? v : null;
}

/** `conversation.flow` (LC-7): whether a bot flow now runs for the chat; null when the payload does not say. */
export function flowRunningOf(payload: unknown): boolean | null {
  const v = obj(payload)?.flow_running;
  return typeof v === 'boolean' ? v : null;
}

/** `attendance.close_scheduled`: when the closing is due, as RFC 3339. */
export function closeAt(payload: unknown): string | null {
  return isoTime(obj(payload)?.close_at);
}

/** `conversation.transfer_requested` (LC-18). */
export interface TransferRequested {
  conversationId: string;
  /** The agent serving the chat, who is asked. */
  agentId: string;
  requestedBy: string;
  requestedByName: string;
}

export function transferRequested(payload: unknown): TransferRequested | null {
  const p = obj(payload);
  const conversationId = str(p?.conversation_id);
  const agentId = str(p?.agent_id);
  const requestedBy = str(p?.requested_by);
  if (!conversationId || !agentId || !requestedBy) return null;
  return { conversationId, agentId, requestedBy, requestedByName: str(p?.requested_by_name) ?? '' };
}

/** The `user_id` of department membership events. */
export function memberUserId(payload: unknown): string | null {
  return str(obj(payload)?.user_id);
}

export function messageIdOf(payload: unknown): string | null {
  return str(obj(payload)?.message_id);
}
