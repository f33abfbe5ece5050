/**
 * Live typing, the user's side: while an agent types a reply in a chat's
 * composer the console tells the server (`{"type":"typing","on":true}` on
 * the WebSocket), and the server passes it to the chat's contact. Only the
 * web-chat widget shows it to customers, so only widget chats send it.
 *
 * `TypingSender` decides when: `on:true` at the first keystroke and again
 * at most every `TYPING_EVERY_MS` while keys keep coming (the other side
 * hides a stale "typing"), `on:false` after `TYPING_IDLE_MS` without one, or
 * at once when the message is sent or the chat is left (`stop`).
 */
import type { components } from '../../api/schema';
import { globalClock, type SyncClock } from '../realtime/sync';

/** The client's typing frame. */
export type ClientTypingFrame = Extract<components['schemas']['ClientFrame'], { type: 'typing' }>;

/** At most one `on:true` this often while the user keeps typing. */
export const TYPING_EVERY_MS = 3_000;
/** This long without a keystroke and the user is no longer typing. */
export const TYPING_IDLE_MS = 4_000;

/** The timers and clock typing runs on (the browser's by default). */
export type TypingClock = Pick<SyncClock, 'now' | 'setTimeout' | 'clearTimeout'>;

/**
 * Whether the user's typing in a chat on `channel` is sent: only the
 * widget shows it to the contact, and an internal note (LC-8) is never
 * the contact's business.
 */
export function sendsTyping(channel: string | null | undefined, internal = false): boolean {
  return channel === 'widget' && !internal;
}

export class TypingSender {
  /** The chat an `on:true` went to without its `on:false` yet, and when it went. */
  private current: { conversationId: string; sentAt: number } | null = null;
  private idleTimer: unknown = null;

  constructor(
    private readonly send: (conversationId: string, on: boolean) => void,
    private readonly clock: TypingClock = globalClock,
  ) {}

  /** The user typed in `conversationId`'s composer. */
  keystroke(conversationId: string): void {
    if (this.current && this.current.conversationId !== conversationId) this.stop();
    const now = this.clock.now();
    if (!this.current || now - this.current.sentAt >= TYPING_EVERY_MS) {
      this.current = { conversationId, sentAt: now };
      this.send(conversationId, true);
    }
    this.clearIdle();
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = null;
      this.stop();
    }, TYPING_IDLE_MS);
  }

  /** The user stopped typing (sent the message, left the chat, emptied the box): `on:false` once. */
  stop(): void {
    this.clearIdle();
    const c = this.current;
    this.current = null;
    if (c) this.send(c.conversationId, false);
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Where typing frames go: the console's socket while it runs. */
let outlet: ((frame: ClientTypingFrame) => unknown) | null = null;

/** The live connection sets this when it starts (and `null` when it stops). */
export function setTypingOutlet(send: ((frame: ClientTypingFrame) => unknown) | null): void {
  outlet = send;
}

/** Sends the user's typing in a chat, when a socket is there to carry it (dropped otherwise). */
export function sendTyping(conversationId: string, on: boolean): void {
  outlet?.({ type: 'typing', conversation_id: conversationId, on });
}
