/**
 * Live typing, the contacts' side: which chats' contacts are typing now (a
 * widget visitor; the server's `{"type":"typing","sender":"contact"}`
 * frames). "digitando…" shows until an `on:false`, the contact's message,
 * or `TYPING_SHOWN_MS` without a new `on:true` (a frame may be lost).
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ApiEvent } from '../../api/types';
import { globalClock } from '../realtime/sync';
import type { TypingClock } from './typing';

/** A contact's "typing" hides this long after its last `on:true`. */
export const TYPING_SHOWN_MS = 6_000;

/** What the store reads of a server typing frame. */
export interface TypingNews {
  conversation_id: string;
  sender: string;
  on: boolean;
}

export class TypingStore {
  /** The chats whose contact is typing. */
  private readonly typing = new SvelteSet<string>();
  private readonly timers = new Map<string, unknown>();

  constructor(private readonly clock: TypingClock = globalClock) {}

  /** Whether the contact of `conversationId` is typing now. */
  isTyping(conversationId: string | null | undefined): boolean {
    return !!conversationId && this.typing.has(conversationId);
  }

  /** A typing frame from the server (only a contact's is shown). */
  frame(f: TypingNews): void {
    if (f.sender !== 'contact') return;
    if (!f.on) {
      this.stopped(f.conversation_id);
      return;
    }
    const id = f.conversation_id;
    this.clearTimer(id);
    this.typing.add(id);
    this.timers.set(
      id,
      this.clock.setTimeout(() => {
        this.timers.delete(id);
        this.typing.delete(id);
      }, TYPING_SHOWN_MS),
    );
  }

  /** Events applied: a contact whose message arrived is no longer typing it. */
  applied(events: readonly ApiEvent[]): void {
    for (const e of events) {
      if (e.kind === 'message.created' && e.payload.message.author_kind === 'contact') {
        this.stopped(e.payload.message.conversation_id);
      }
    }
  }

  /** Logout: forget everything. */
  clear(): void {
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    this.typing.clear();
  }

  private stopped(id: string): void {
    this.clearTimer(id);
    this.typing.delete(id);
  }

  private clearTimer(id: string): void {
    const h = this.timers.get(id);
    if (h !== undefined) this.clock.clearTimeout(h);
    this.timers.delete(id);
  }
}

/** The console's typing state (tests build their own). */
export const contactTyping = new TypingStore();
