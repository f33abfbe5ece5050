/**
 * CH-5 session window, as the list and the composer show it. The server
 * sends `window` and `window_expires_at` with each chat; the tag is worked
 * out again against the clock so "Expirando"/"Expirado" appear on time
 * while the page stays open. Channels without such a window (Telegram, the
 * widget) say `none`: free-form replies always go and no tag shows. On
 * Messenger and Instagram the window lasts 7 days (Meta's HUMAN_AGENT tag).
 */
import type { Conversation } from '../../api/types';
import { channelHasHumanAgentWindow } from '../channels';

export type SessionWindow = 'open' | 'expiring' | 'expired' | 'none';

/** The channel's customer-service window after a contact's message (CH-5). */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Messenger's and Instagram's: a person may reply for 7 days (HUMAN_AGENT tag). */
export const HUMAN_AGENT_WINDOW_MS = 7 * WINDOW_MS;
/** "Expirando" shows this long before the window ends (CH-5). */
export const EXPIRING_MS = 30 * 60 * 1000;

type WindowFields = Pick<Conversation, 'window' | 'window_expires_at'>;

export function sessionWindow(c: WindowFields, now: number): SessionWindow {
  // The channel has no customer-service window: it never ends.
  if (c.window === 'none') return 'none';
  const expires = c.window_expires_at ? Date.parse(c.window_expires_at) : Number.NaN;
  if (!Number.isNaN(expires)) {
    if (now >= expires) return 'expired';
    if (expires - now <= EXPIRING_MS) return 'expiring';
    return 'open';
  }
  // No end time: the contact never wrote (or the server could not tell).
  if (c.window === 'expiring' || c.window === 'open') return c.window;
  return 'expired';
}

/** The tag to show on a chat, if any. */
export function windowTag(c: WindowFields, now: number): 'expiring' | 'expired' | null {
  const w = sessionWindow(c, now);
  return w === 'expiring' || w === 'expired' ? w : null;
}

/** Free-form (non-template) messages may be sent to the contact. */
export function canSendFreeForm(c: WindowFields, now: number): boolean {
  return sessionWindow(c, now) !== 'expired';
}

/**
 * The window fields of chat `c` after a contact's message at `at` (ms): a
 * fresh 24 h window (7 days on Messenger and Instagram), except on a channel
 * without one (`none` stays `none`).
 */
export function windowAfterInbound(c: WindowFields & { channel?: string }, at: number): WindowFields {
  if (c.window === 'none') return { window: 'none', window_expires_at: null };
  const length = channelHasHumanAgentWindow(c.channel) ? HUMAN_AGENT_WINDOW_MS : WINDOW_MS;
  return { window: 'open', window_expires_at: new Date(at + length).toISOString() };
}
