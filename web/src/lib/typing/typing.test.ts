import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../api/types';
import { TYPING_SHOWN_MS, TypingStore } from './store.svelte';
import {
  type ClientTypingFrame,
  sendTyping,
  sendsTyping,
  setTypingOutlet,
  TYPING_EVERY_MS,
  TYPING_IDLE_MS,
  TypingSender,
} from './typing';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  setTypingOutlet(null);
});

describe('which chats send the user typing', () => {
  it('only widget chats, and never for an internal note', () => {
    expect(sendsTyping('widget')).toBe(true);
    expect(sendsTyping('widget', false)).toBe(true);
    expect(sendsTyping('widget', true)).toBe(false);
    for (const c of ['whatsapp', 'telegram', 'messenger', 'instagram', 'sms', '', null, undefined]) {
      expect(sendsTyping(c), String(c)).toBe(false);
    }
  });
});

describe('TypingSender', () => {
  function harness() {
    const sent: [string, boolean][] = [];
    const sender = new TypingSender((id, on) => sent.push([id, on]));
    return { sent, sender };
  }

  it('says "on" at the first keystroke, then at most every 3 s while typing', () => {
    const { sent, sender } = harness();
    sender.keystroke('c1');
    expect(sent).toEqual([['c1', true]]);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(500);
      sender.keystroke('c1');
    }
    expect(sent, '2.5 s of typing: still one').toEqual([['c1', true]]);
    vi.advanceTimersByTime(TYPING_EVERY_MS - 2_500);
    sender.keystroke('c1');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });

  it('says "off" after 4 s without a keystroke, once', () => {
    const { sent, sender } = harness();
    sender.keystroke('c1');
    vi.advanceTimersByTime(TYPING_IDLE_MS - 1);
    expect(sent).toEqual([['c1', true]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    vi.advanceTimersByTime(60_000);
    sender.stop();
    expect(sent).toHaveLength(2);
    // Typing again starts over at once.
    sender.keystroke('c1');
    expect(sent[2]).toEqual(['c1', true]);
  });

  it('each keystroke pushes the idle deadline back', () => {
    const { sent, sender } = harness();
    sender.keystroke('c1');
    vi.advanceTimersByTime(3_000);
    sender.keystroke('c1');
    vi.advanceTimersByTime(3_000);
    expect(sent.filter(([, on]) => !on)).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(sent[sent.length - 1]).toEqual(['c1', false]);
  });

  it('says "off" at once when the message is sent or the chat is left, and not twice', () => {
    const { sent, sender } = harness();
    sender.stop();
    expect(sent, 'nothing to stop').toEqual([]);
    sender.keystroke('c1');
    sender.stop();
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    expect(sent).toHaveLength(2);
  });

  it('moving to another chat stops the first one', () => {
    const { sent, sender } = harness();
    sender.keystroke('c1');
    sender.keystroke('c2');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
      ['c2', true],
    ]);
  });

  it('frames go to the socket while one is set, and are dropped otherwise', () => {
    sendTyping('c1', true);
    const frames: ClientTypingFrame[] = [];
    setTypingOutlet((f) => frames.push(f));
    sendTyping('c1', true);
    sendTyping('c1', false);
    expect(frames).toEqual([
      { type: 'typing', conversation_id: 'c1', on: true },
      { type: 'typing', conversation_id: 'c1', on: false },
    ]);
  });
});

describe('TypingStore (a contact typing)', () => {
  const on = (id: string) => ({ conversation_id: id, sender: 'contact', on: true });
  const off = (id: string) => ({ conversation_id: id, sender: 'contact', on: false });

  it('shows "typing" until 6 s after the last on:true', () => {
    const s = new TypingStore();
    expect(s.isTyping('c1')).toBe(false);
    s.frame(on('c1'));
    expect(s.isTyping('c1')).toBe(true);
    expect(s.isTyping('c2')).toBe(false);
    vi.advanceTimersByTime(5_000);
    s.frame(on('c1'));
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1);
    expect(s.isTyping('c1'), 'a new on:true restarts the 6 s').toBe(true);
    vi.advanceTimersByTime(1);
    expect(s.isTyping('c1')).toBe(false);
  });

  it('hides at once on on:false, and a late timer does not matter', () => {
    const s = new TypingStore();
    s.frame(on('c1'));
    s.frame(on('c2'));
    s.frame(off('c1'));
    expect(s.isTyping('c1')).toBe(false);
    expect(s.isTyping('c2')).toBe(true);
    s.frame(off('c3'));
    expect(s.isTyping('c3')).toBe(false);
    vi.advanceTimersByTime(TYPING_SHOWN_MS);
    expect(s.isTyping('c2')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads only a contact\'s typing', () => {
    const s = new TypingStore();
    s.frame({ conversation_id: 'c1', sender: 'agent', on: true });
    expect(s.isTyping('c1')).toBe(false);
    expect(s.isTyping(null)).toBe(false);
    expect(s.isTyping(undefined)).toBe(false);
  });

  it("hides when the contact's message arrives (not an agent's)", () => {
    const s = new TypingStore();
    s.frame(on('c1'));
    s.applied([created('c1', 'agent')]);
    expect(s.isTyping('c1')).toBe(true);
    s.applied([created('c1', 'contact')]);
    expect(s.isTyping('c1')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets everything on logout', () => {
    const s = new TypingStore();
    s.frame(on('c1'));
    s.frame(on('c2'));
    s.clear();
    expect(s.isTyping('c1')).toBe(false);
    expect(s.isTyping('c2')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

function created(conversationId: string, authorKind: string): ApiEvent {
  return {
    seq: 1,
    kind: 'message.created',
    conversation_id: conversationId,
    created_at: '2026-01-01T00:00:00.000Z',
    payload: {
      message: {
        id: 'm1',
        conversation_id: conversationId,
        inbox_id: 'i1',
        author_kind: authorKind,
        direction: authorKind === 'contact' ? 'in' : 'out',
        internal: false,
        kind: 'text',
        text: 'Oi',
        payload: {},
        status: 'received',
        created_at: 0,
      },
    },
  };
}
