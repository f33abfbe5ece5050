/** Keeping a conversation's messages: oldest first (LC-5), each once. */
import type { Message } from '../../api/types';

function byTime(a: Message, b: Message): number {
  const d = Date.parse(a.created_at) - Date.parse(b.created_at);
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `current` with `incoming` merged in: a message already present is
 * replaced by the incoming copy unless that would move its receipt back
 * (events and responses can cross).
 */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) {
    const old = byId.get(m.id);
    byId.set(m.id, old ? newer(old, m) : m);
  }
  return [...byId.values()].sort(byTime);
}

const RECEIPT_RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

function rank(status: string): number {
  return RECEIPT_RANK[status] ?? -1;
}

/** The copy to keep of one message seen twice. */
function newer(old: Message, next: Message): Message {
  const keepStatus = rank(old.status) > rank(next.status);
  return {
    ...next,
    media: next.media ?? old.media ?? null,
    ...(keepStatus
      ? { status: old.status, error_code: old.error_code ?? null, error_text: old.error_text ?? null }
      : {}),
  };
}

/** A system line (assignments, closings) rather than a bubble. */
export function isSystemLine(m: Message): boolean {
  return m.author_kind === 'system';
}

/** An internal note written by a person (LC-8). */
export function isInternalNote(m: Message): boolean {
  return m.internal && m.author_kind !== 'system';
}

/** Outbound messages to the contact carry receipts (CH-7). */
/**
 * Whether the contact edited the message (the text shown is the new one),
 * and its first text when the channel kept it.
 */
export function editOf(m: Message): { original: string | null } | null {
  const p = (m.payload ?? {}) as Record<string, unknown>;
  if (!p.edited) return null;
  return { original: typeof p.original_text === 'string' ? p.original_text : null };
}

export function hasReceipt(m: Message): boolean {
  return m.direction === 'out' && !m.internal && m.author_kind !== 'system';
}

/**
 * The composer's text is an internal note (`/interna` prefix, LC-8): the
 * same test the server makes (any text that starts with it, after spaces).
 */
export function isInternalText(text: string): boolean {
  return /^\s*\/interna/.test(text);
}
