/**
 * The chat list's one-line preview of a chat's newest message (like
 * WhatsApp Web and Chatwoot): the text itself, or an emoji and a label for
 * media and other kinds (with the caption after it), prefixed by who sent
 * it when it went out ("Agente: ", "🤖 Bot: ") or marked as an internal
 * note ("🔒 Nota interna: ").
 */
import type { LastMessage, Message } from '../../api/types';
import type { MessageKey, Params } from '../i18n/catalog';

/** The most characters a preview keeps (the server's `PREVIEW_CHARS`). */
export const PREVIEW_CHARS = 140;

export type Translate = (key: MessageKey, params?: Params) => string;

/** Labels of the kinds shown as an emoji and a word (the caption follows). */
const KIND_LABELS: Partial<Record<string, MessageKey>> = {
  image: 'preview.image',
  video: 'preview.video',
  audio: 'preview.audio',
  document: 'preview.document',
  sticker: 'preview.sticker',
  location: 'preview.location',
  contacts: 'preview.contacts',
  template: 'preview.template',
  unsupported: 'preview.unsupported',
  story_mention: 'preview.storyMention',
};

/**
 * A text on one line (whitespace collapsed), at most `PREVIEW_CHARS`
 * characters, ending in "…" when cut; null when nothing is left. The same
 * cut the server applies to `last_message.text`.
 */
export function previewText(text: string | null | undefined): string | null {
  const line = (text ?? '').split(/\s+/).filter(Boolean).join(' ');
  if (!line) return null;
  const chars = Array.from(line);
  if (chars.length <= PREVIEW_CHARS) return line;
  return `${chars.slice(0, PREVIEW_CHARS - 1).join('').trimEnd()}…`;
}

/** A new message as the chat's `last_message`; null for a system line (never previewed). */
export function lastMessageOf(m: Pick<Message, 'kind' | 'text' | 'internal' | 'direction' | 'author_kind'>): LastMessage | null {
  if (m.author_kind === 'system') return null;
  return {
    kind: m.kind,
    text: previewText(m.text),
    internal: m.internal,
    direction: m.direction,
    author_kind: m.author_kind,
  };
}

/** Whether two previews show the same message details. */
export function sameLast(a: LastMessage | null | undefined, b: LastMessage | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return (
    a.kind === b.kind &&
    (a.text ?? null) === (b.text ?? null) &&
    a.internal === b.internal &&
    a.direction === b.direction &&
    a.author_kind === b.author_kind
  );
}

/**
 * A message to preview: a chat's `last_message`, or one whose author kind
 * is not given (monitoring's `Preview`: an outgoing one reads "Enviada: …").
 */
export type Previewed = Omit<LastMessage, 'author_kind'> & { author_kind?: string };

/** What the message is, without who sent it: "Oi!", "📷 Foto · legenda", "Reagiu com 👍". */
function body(last: Previewed, t: Translate): string | null {
  const text = previewText(last.text);
  const withCaption = (label: string) => (text ? t('preview.withCaption', { label, caption: text }) : label);
  switch (last.kind) {
    case 'text':
      return text;
    case 'reaction':
      return text ? t('preview.reactionWith', { emoji: text }) : t('preview.reaction');
    case 'interactive':
      // The contact tapped a button or a list row; an outbound one is the menu sent.
      return withCaption(t(last.direction === 'out' ? 'preview.interactiveMenu' : 'preview.interactiveReply'));
    default: {
      const key = KIND_LABELS[last.kind];
      if (key) return withCaption(t(key));
      // A kind this version does not know: its text if it has one.
      return text ?? t('preview.unsupported');
    }
  }
}

/**
 * The preview line of a chat's newest message, or null when there is none
 * to show (no message yet, or an empty text).
 */
export function previewOf(last: Previewed | null | undefined, t: Translate): string | null {
  if (!last) return null;
  const text = body(last, t);
  if (text === null) return null;
  if (last.internal) return t('preview.internal', { text });
  if (last.direction !== 'out') return text;
  if (last.author_kind === undefined) return t('preview.out', { text });
  return t(last.author_kind === 'bot' ? 'preview.bot' : 'preview.agent', { text });
}
