/**
 * Event payloads. Their types come from the OpenAPI document (`ChatEvent`:
 * one `kind` with the `payload` of that kind), so a switch on `e.kind`
 * narrows `e.payload`. Events carry store rows (times as epoch
 * milliseconds): these helpers turn the parts the console shows into API
 * shapes.
 */
import type { components } from '../../api/schema';
import type { ApiEvent, Message } from '../../api/types';

type Schemas = components['schemas'];

/** Every event kind the server sends. */
export type EventKind = ApiEvent['kind'];
/** The event of one kind, its payload typed. */
export type EventOf<K extends EventKind> = Extract<ApiEvent, { kind: K }>;

/** Epoch milliseconds → RFC 3339 text. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The message of a `message.created` event, as `MessageOut`. */
export function messageOf(m: Schemas['EventMessage']): Message {
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    direction: m.direction,
    author_kind: m.author_kind,
    author_id: m.author_id ?? null,
    internal: m.internal,
    kind: m.kind,
    text: m.text ?? null,
    payload: m.payload,
    status: m.status,
    provider_id: m.provider_id ?? null,
    error_code: m.error_code ?? null,
    error_text: m.error_text ?? null,
    media: null,
    created_at: isoTime(m.created_at),
  };
}

/** Applies a `message.updated` (a receipt change or a new payload) to a message. */
export function updateMessage(m: Message, u: Schemas['MessageUpdated']): Message {
  const next: Message = { ...m };
  if (u.status) {
    next.status = u.status;
    next.error_code = u.error_code ?? null;
    next.error_text = u.error_text ?? null;
  }
  if (u.text != null) next.text = u.text;
  if (u.payload) next.payload = u.payload as Message['payload'];
  return next;
}

/** `{department_id, agent_id}` of assignment events (null when absent). */
export function assignment(p: Schemas['Assignment'] | Schemas['AttendanceOpened']): {
  department_id: string | null;
  agent_id: string | null;
} {
  return { department_id: p.department_id ?? null, agent_id: p.agent_id ?? null };
}
