import { describe, expect, it } from 'vitest';
import {
  canSendFreeForm,
  EXPIRING_MS,
  HUMAN_AGENT_WINDOW_MS,
  sessionWindow,
  WINDOW_MS,
  windowAfterInbound,
  windowTag,
} from './sessionWindow';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe('CH-5 session window', () => {
  const cases: [string, { window: string; window_expires_at: string | null }, 'open' | 'expiring' | 'expired'][] = [
    ['hours left', { window: 'open', window_expires_at: at(5 * 3600_000) }, 'open'],
    ['just over 30 min left', { window: 'open', window_expires_at: at(EXPIRING_MS + 1000) }, 'open'],
    ['exactly 30 min left', { window: 'open', window_expires_at: at(EXPIRING_MS) }, 'expiring'],
    ['a minute left', { window: 'open', window_expires_at: at(60_000) }, 'expiring'],
    ['ends now', { window: 'expiring', window_expires_at: at(0) }, 'expired'],
    ['ended an hour ago', { window: 'open', window_expires_at: at(-3600_000) }, 'expired'],
    // The clock wins over the server's word, which ages while the page is open.
    ['server said expiring, still hours left', { window: 'expiring', window_expires_at: at(3 * 3600_000) }, 'open'],
    ['contact never wrote', { window: 'expired', window_expires_at: null }, 'expired'],
    ['no end time, server says open', { window: 'open', window_expires_at: null }, 'open'],
    ['unknown value, no end time', { window: 'weird', window_expires_at: null }, 'expired'],
  ];

  it.each(cases)('%s', (_name, conv, expected) => {
    expect(sessionWindow(conv, NOW)).toBe(expected);
    expect(windowTag(conv, NOW)).toBe(expected === 'open' ? null : expected);
    expect(canSendFreeForm(conv, NOW)).toBe(expected !== 'expired');
  });

  it('a contact message opens a fresh 24 h window', () => {
    const w = windowAfterInbound({ window: 'expired', window_expires_at: at(-3600_000) }, NOW);
    expect(w.window).toBe('open');
    expect(Date.parse(w.window_expires_at ?? '')).toBe(NOW + WINDOW_MS);
    expect(windowTag(w, NOW + WINDOW_MS - EXPIRING_MS)).toBe('expiring');
    expect(windowTag(w, NOW + WINDOW_MS)).toBe('expired');
  });

  it('on Messenger and Instagram a contact message opens 7 days (HUMAN_AGENT)', () => {
    expect(HUMAN_AGENT_WINDOW_MS).toBe(7 * 24 * 3600_000);
    for (const channel of ['messenger', 'instagram']) {
      const w = windowAfterInbound({ channel, window: 'expired', window_expires_at: at(-3600_000) }, NOW);
      expect(Date.parse(w.window_expires_at ?? ''), channel).toBe(NOW + HUMAN_AGENT_WINDOW_MS);
      expect(windowTag(w, NOW + WINDOW_MS), channel).toBeNull();
      expect(windowTag(w, NOW + HUMAN_AGENT_WINDOW_MS), channel).toBe('expired');
    }
    const wa = windowAfterInbound({ channel: 'whatsapp', window: 'open', window_expires_at: null }, NOW);
    expect(Date.parse(wa.window_expires_at ?? '')).toBe(NOW + WINDOW_MS);
  });

  describe('channels without a window (Telegram, the widget)', () => {
    const none = { window: 'none', window_expires_at: null };

    it('never expire: no tag, free-form always allowed', () => {
      for (const now of [NOW, NOW + WINDOW_MS, NOW + 365 * WINDOW_MS]) {
        expect(sessionWindow(none, now)).toBe('none');
        expect(windowTag(none, now)).toBeNull();
        expect(canSendFreeForm(none, now)).toBe(true);
      }
    });

    it('`none` wins over a stray end time', () => {
      const c = { window: 'none', window_expires_at: at(-3600_000) };
      expect(windowTag(c, NOW)).toBeNull();
      expect(canSendFreeForm(c, NOW)).toBe(true);
    });

    it('a contact message keeps `none` (no 24 h window opens)', () => {
      expect(windowAfterInbound(none, NOW)).toEqual({ window: 'none', window_expires_at: null });
      expect(windowTag(windowAfterInbound(none, NOW), NOW + 2 * WINDOW_MS)).toBeNull();
    });
  });
});
