/**
 * How a report lays out a conversation's messages, free of the DOM so it is
 * unit-tested: the conversations report's session (RP-2, "Abrir conversa")
 * and the Fluxo Ágil report's history with the bot (RP-3, the 💬 action)
 * share it — the contact on the left, the bot and people on the right with
 * who wrote, the system's lines centered, internal notes marked.
 */
import type { MessageKey } from '../i18n/catalog';

/**
 * A message as the transcript shows it: what both reports send (a session's
 * `SessionMessageOut`; the Fluxo Ágil's `AgileMessageOut`, which has only
 * the contact's and the bot's, without direction, notes or media).
 */
export interface TranscriptMessage {
  id: string;
  /** contact | bot | agent | system */
  author_kind: string;
  author_name?: string | null;
  /** in | out */
  direction?: string;
  internal?: boolean;
  /** text | image | audio | … */
  kind: string;
  text?: string | null;
  media_name?: string | null;
  media_url?: string | null;
  created_at: string;
}

/** Where a message sits in the transcript: the contact left, the bot and people right, the system centered. */
export type Side = 'left' | 'right' | 'center';

export function messageSide(m: Pick<TranscriptMessage, 'author_kind' | 'direction'>): Side {
  switch (m.author_kind) {
    case 'contact':
      return 'left';
    case 'bot':
    case 'agent':
      return 'right';
    case 'system':
      return 'center';
    default:
      return m.direction === 'in' ? 'left' : 'right';
  }
}

/**
 * Whether a message is an internal note of the team: internal and written
 * by someone. The system's lines (a transfer, a closing, …) are stored as
 * internal too, but they are part of the conversation and always shown.
 */
export function isInternalNote(m: Pick<TranscriptMessage, 'author_kind' | 'internal'>): boolean {
  return Boolean(m.internal) && m.author_kind !== 'system';
}

/** The messages to show: all of them, but internal notes only when asked for ("Mostrar notas internas"). */
export function visibleMessages<T extends Pick<TranscriptMessage, 'author_kind' | 'internal'>>(
  list: readonly T[],
  includeInternal: boolean,
): T[] {
  return includeInternal ? [...list] : list.filter((m) => !isInternalNote(m));
}

/** Who wrote a message when it does not say (the contact: the conversation's name). */
const AUTHOR_LABEL: Record<'bot' | 'agent' | 'system', MessageKey> = {
  bot: 'reports.conv.author.bot',
  agent: 'reports.conv.author.agent',
  system: 'reports.conv.author.system',
};

/** A message's author as the transcript labels it: its name, else the contact's, else what it is. */
export function authorOf(
  m: Pick<TranscriptMessage, 'author_kind' | 'author_name'>,
  contactName: string,
): { name: string } | { key: MessageKey } {
  const name = m.author_name?.trim();
  if (name) return { name };
  if (m.author_kind === 'contact') return { name: contactName };
  const kind = m.author_kind === 'bot' || m.author_kind === 'system' ? m.author_kind : 'agent';
  return { key: AUTHOR_LABEL[kind] };
}

/** The kinds of message with a name of their own (`message.kind.*`). */
const MESSAGE_KINDS = [
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'template',
  'interactive',
  'reaction',
] as const;

/** A message kind's name (`message.kind.other` with the kind for one without). */
export function messageKind(kind: string): { key: MessageKey; params?: { kind: string } } {
  return (MESSAGE_KINDS as readonly string[]).includes(kind)
    ? { key: `message.kind.${kind}` as MessageKey }
    : { key: 'message.kind.other', params: { kind } };
}
