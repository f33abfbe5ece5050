import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, EventPage } from '../../api/types';
import {
  DEAD_AFTER_MS,
  EventSync,
  parseFrame,
  PING_EVERY_MS,
  PING_FRAME,
  type SocketLike,
  type SyncClock,
  type SyncDeps,
  type SyncStatus,
} from './sync';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  /** Frames the client sent. */
  sent: string[] = [];
  close() {
    this.closed = true;
  }
  send(data: string) {
    this.sent.push(data);
  }
  /** A frame from the server. */
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  hello(lastSeq: number) {
    this.receive({ type: 'hello', last_seq: lastSeq });
  }
  event(seq: number) {
    this.receive({ type: 'event', event: ev(seq) });
  }
  drop(code?: number) {
    this.onclose?.(code === undefined ? {} : { code });
  }
}

function ev(seq: number): ApiEvent {
  return {
    seq,
    kind: 'conversation.read',
    conversation_id: 'c1',
    payload: { conversation_id: 'c1', unread: 0 },
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

/** Resolves once pending promise callbacks have run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Every engine a test started, stopped after it (their heartbeat timers too). */
const started: EventSync[] = [];
afterEach(() => {
  for (const s of started.splice(0)) s.stop();
  vi.useRealTimers();
});

function harness(
  pages: (after: number) => EventPage | Error = () => ({ events: [], last_seq: 0, has_more: false }),
  extra: Partial<SyncDeps> = {},
) {
  const sockets: FakeSocket[] = [];
  const applied: number[] = [];
  const statuses: SyncStatus[] = [];
  const baselines: (number | null)[] = [];
  const fetched: number[] = [];
  const sync = new EventSync({
    openSocket() {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    async fetchEvents(after) {
      fetched.push(after);
      const p = pages(after);
      if (p instanceof Error) throw p;
      return p;
    },
    apply(events) {
      applied.push(...events.map((e) => e.seq));
    },
    onStatus(s) {
      statuses.push(s);
    },
    onBaseline(seq) {
      baselines.push(seq);
    },
    ...extra,
  });
  started.push(sync);
  const socket = () => {
    const s = sockets[sockets.length - 1];
    if (!s) throw new Error('no socket opened');
    return s;
  };
  return { sync, sockets, socket, applied, statuses, baselines, fetched };
}

describe('parseFrame', () => {
  it('reads the three frame types and rejects junk', () => {
    expect(parseFrame('{"type":"hello","last_seq":7}')).toEqual({ type: 'hello', last_seq: 7 });
    expect(parseFrame('{"type":"resync"}')).toEqual({ type: 'resync' });
    expect(parseFrame(JSON.stringify({ type: 'event', event: ev(3) }))?.type).toBe('event');
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('{"type":"event","event":{"kind":"x"}}')).toBeNull();
    expect(parseFrame(42)).toBeNull();
  });

  it('reads the tab counters frame and rejects a malformed one', () => {
    expect(parseFrame('{"type":"counts","counts":{"all":9,"open":2,"mine":1,"in_service":3}}')).toEqual({
      type: 'counts',
      counts: { all: 9, open: 2, mine: 1, in_service: 3 },
    });
    expect(parseFrame('{"type":"counts","counts":{"all":9,"open":2}}')).toBeNull();
    expect(parseFrame('{"type":"counts"}')).toBeNull();
  });
});

describe('EventSync live typing', () => {
  it('reads a contact typing frame and rejects a malformed one', () => {
    expect(parseFrame('{"type":"typing","conversation_id":"c1","sender":"contact","on":true}')).toEqual({
      type: 'typing',
      conversation_id: 'c1',
      sender: 'contact',
      on: true,
    });
    expect(parseFrame('{"type":"typing","conversation_id":"c1","sender":"contact","on":"yes"}')).toBeNull();
    expect(parseFrame('{"type":"typing","sender":"contact","on":false}')).toBeNull();
    expect(parseFrame('{"type":"typing","conversation_id":"c1","on":false}')).toBeNull();
  });

  it('hands typing frames to onTyping, not to apply', () => {
    const frames: [string, boolean][] = [];
    const h = harness(undefined, { onTyping: (f) => frames.push([f.conversation_id, f.on]) });
    h.sync.start();
    h.socket().hello(0);
    h.socket().receive({ type: 'typing', conversation_id: 'c1', sender: 'contact', on: true });
    h.socket().receive({ type: 'typing', conversation_id: 'c1', sender: 'contact', on: false });
    expect(frames).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    expect(h.applied).toEqual([]);
  });

  it('sends the user typing on the open socket, and nothing without one', () => {
    const h = harness();
    const frame = { type: 'typing', conversation_id: 'c1', on: true } as const;
    expect(h.sync.send(frame), 'not started').toBe(false);
    h.sync.start();
    expect(h.sync.send(frame)).toBe(true);
    expect(h.socket().sent).toEqual(['{"type":"typing","conversation_id":"c1","on":true}']);
    h.socket().drop();
    expect(h.sync.send(frame), 'socket lost').toBe(false);
    h.sync.stop();
    expect(h.sync.send(frame)).toBe(false);
  });
});

describe('EventSync counters', () => {
  it('hands every counts frame to onCounts, without touching events or their order', () => {
    const counts: number[] = [];
    const applied: number[] = [];
    let socket: FakeSocket | null = null;
    const sync = new EventSync({
      openSocket() {
        socket = new FakeSocket();
        return socket;
      },
      fetchEvents: async () => ({ events: [], last_seq: 0, has_more: false }),
      apply: (events) => applied.push(...events.map((e) => e.seq)),
      onStatus() {},
      onBaseline() {},
      onCounts: (c) => counts.push(c.mine),
    });
    started.push(sync);
    sync.start();
    const s = socket as unknown as FakeSocket;
    s.hello(4);
    s.receive({ type: 'counts', counts: { all: 9, open: 2, mine: 1, in_service: 3 } });
    s.event(5);
    s.receive({ type: 'counts', counts: { all: 9, open: 1, mine: 2, in_service: 4 } });
    s.receive({ type: 'counts', counts: { all: 'x' } });
    expect(counts).toEqual([1, 2]);
    expect(applied).toEqual([5]);
    expect(sync.seq).toBe(5);
    sync.stop();
    s.receive({ type: 'counts', counts: { all: 9, open: 1, mine: 3, in_service: 4 } });
    expect(counts, 'nothing after stop').toEqual([1, 2]);
  });
});

describe('EventSync', () => {
  it('starts from hello.last_seq and applies live events in order, once', () => {
    const h = harness();
    h.sync.start();
    h.socket().hello(10);
    expect(h.baselines).toEqual([10]);
    expect(h.sync.currentStatus).toBe('live');
    h.socket().event(11);
    h.socket().event(11); // duplicate
    h.socket().event(9); // older than the baseline
    h.socket().event(14); // gaps are normal: others' events are filtered out
    expect(h.applied).toEqual([11, 14]);
    expect(h.sync.seq).toBe(14);
  });

  it('shows "lost" when the socket drops and does not reconnect by itself', () => {
    const h = harness();
    h.sync.start();
    h.socket().hello(1);
    h.socket().drop();
    expect(h.sync.currentStatus).toBe('lost');
    expect(h.sockets).toHaveLength(1);
  });

  it('resync catches up page by page through /events, then reconnects', async () => {
    const h = harness((after) => {
      if (after === 5) return { events: [ev(6), ev(8)], last_seq: 9, has_more: true };
      if (after === 9) return { events: [ev(10)], last_seq: 12, has_more: false };
      throw new Error(`unexpected after=${after}`);
    });
    h.sync.start();
    h.socket().hello(5);
    h.socket().drop();
    const ok = await h.sync.resync();
    expect(ok).toBe(true);
    expect(h.fetched).toEqual([5, 9]);
    expect(h.applied).toEqual([6, 8, 10]);
    expect(h.sync.seq).toBe(12);
    expect(h.sockets).toHaveLength(2);
    h.socket().hello(12);
    expect(h.sync.currentStatus).toBe('live');
    h.socket().event(13);
    expect(h.applied).toEqual([6, 8, 10, 13]);
  });

  it('fills the gap when a new socket says the server is ahead, buffering live events', async () => {
    let release: (p: EventPage) => void = () => {};
    const h = harness();
    // First catch-up (button) finds nothing; the hello then reveals a gap.
    const pending = new Promise<EventPage>((r) => (release = r));
    let calls = 0;
    const sync = new EventSync({
      openSocket: () => {
        const s = new FakeSocket();
        h.sockets.push(s);
        return s;
      },
      fetchEvents: async (after) => {
        h.fetched.push(after);
        calls++;
        if (calls === 1) return { events: [], last_seq: after, has_more: false };
        return pending;
      },
      apply: (events) => h.applied.push(...events.map((e) => e.seq)),
      onStatus: (s) => h.statuses.push(s),
      onBaseline: (s) => h.baselines.push(s),
    });
    started.push(sync);
    sync.start();
    h.socket().hello(3);
    h.socket().drop();
    await sync.resync();
    h.socket().hello(7); // events 4..7 happened between catch-up and reconnect
    expect(sync.currentStatus).toBe('catching_up');
    h.socket().event(9); // live event while catching up: held back
    h.socket().event(8);
    expect(h.applied).toEqual([]);
    release({ events: [ev(4), ev(6), ev(8)], last_seq: 8, has_more: false });
    await settle();
    expect(h.applied).toEqual([4, 6, 8, 9]);
    expect(sync.currentStatus).toBe('live');
    expect(h.fetched).toEqual([3, 3]);
  });

  it('on {"type":"resync"} catches up and reconnects without the button', async () => {
    const h = harness((after) => ({ events: [ev(after + 1), ev(after + 2)], last_seq: after + 2, has_more: false }));
    h.sync.start();
    h.socket().hello(20);
    h.socket().event(21);
    h.socket().receive({ type: 'resync' });
    h.socket().drop();
    await settle();
    expect(h.fetched).toEqual([21]);
    expect(h.applied).toEqual([21, 22, 23]);
    expect(h.sockets).toHaveLength(2);
    expect(h.statuses).not.toContain('lost');
  });

  it('reports "offline" when the server cannot be reached, and recovers later', async () => {
    let online = false;
    const h = harness((after) =>
      online ? { events: [ev(after + 1)], last_seq: after + 1, has_more: false } : new TypeError('Failed to fetch'),
    );
    h.sync.start();
    h.socket().hello(2);
    h.socket().drop();
    expect(await h.sync.resync()).toBe(false);
    expect(h.sync.currentStatus).toBe('offline');
    expect(h.sockets).toHaveLength(1);
    online = true;
    expect(await h.sync.resync()).toBe(true);
    expect(h.applied).toEqual([3]);
    h.socket().hello(3);
    expect(h.sync.currentStatus).toBe('live');
  });

  it('loads the lists without live updates when the first connection fails', () => {
    const h = harness();
    h.sync.start();
    h.socket().drop();
    expect(h.baselines).toEqual([null]);
    expect(h.sync.currentStatus).toBe('lost');
  });

  it('ignores everything after stop()', () => {
    const h = harness();
    h.sync.start();
    const s = h.socket();
    s.hello(1);
    h.sync.stop();
    expect(s.closed).toBe(true);
    s.event(2);
    expect(h.applied).toEqual([]);
    expect(h.sync.currentStatus).toBe('stopped');
  });
});

/** The heartbeat's timers and clock, on vitest's fake timers. */
function fakeClock(): SyncClock {
  vi.useFakeTimers();
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  };
}

/** A stand-in for the browser's `offline` event. */
function fakeNetwork() {
  const listeners = new Set<() => void>();
  return {
    watchOffline(cb: () => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    goOffline() {
      for (const cb of [...listeners]) cb();
    },
    get watchers() {
      return listeners.size;
    },
  };
}

describe('EventSync heartbeat (LC-13: a dead connection shows "Ressincronizar")', () => {
  it('a silent socket is closed and shown as lost after 10 s, not before', () => {
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    h.socket().hello(5);
    expect(h.sync.currentStatus).toBe('live');
    vi.advanceTimersByTime(DEAD_AFTER_MS - 1);
    expect(h.sync.currentStatus).toBe('live');
    expect(h.socket().closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(h.sync.currentStatus).toBe('lost');
    expect(h.socket().closed).toBe(true);
    // Like a dropped socket: no reconnect until "Ressincronizar".
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.statuses).toEqual(['connecting', 'live', 'lost']);
  });

  it('any incoming frame (pong, counts, event…) moves the deadline', () => {
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    h.socket().hello(5);
    vi.advanceTimersByTime(8_000);
    h.socket().receive({ type: 'pong' });
    vi.advanceTimersByTime(8_000);
    h.socket().receive({ type: 'counts', counts: { all: 1, open: 1, mine: 0, in_service: 0 } });
    vi.advanceTimersByTime(8_000);
    h.socket().event(6);
    vi.advanceTimersByTime(8_000);
    h.socket().onmessage?.({ data: 'not json' });
    vi.advanceTimersByTime(DEAD_AFTER_MS - 1);
    expect(h.sync.currentStatus).toBe('live');
    expect(h.socket().closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(h.sync.currentStatus).toBe('lost');
    expect(h.applied, 'pong and junk apply nothing').toEqual([6]);
  });

  it('gives the handshake 10 s too: no hello at all loads the lists without live updates', () => {
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    vi.advanceTimersByTime(DEAD_AFTER_MS - 1);
    expect(h.sync.currentStatus).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(h.sync.currentStatus).toBe('lost');
    expect(h.socket().closed).toBe(true);
    expect(h.baselines).toEqual([null]);
  });

  it('sends {"type":"ping"} every 4 s while the socket is up, and stays live on pongs', () => {
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    const s = h.socket();
    s.hello(1);
    expect(s.sent).toEqual([]);
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(s.sent).toEqual([PING_FRAME]);
    expect(JSON.parse(PING_FRAME)).toEqual({ type: 'ping' });
    // The server answers each ping: a minute later the socket is still live.
    s.sent.length = 0;
    for (let i = 0; i < 15; i++) {
      vi.advanceTimersByTime(PING_EVERY_MS);
      s.receive({ type: 'pong' });
    }
    expect(s.sent).toHaveLength(15);
    expect(h.sync.currentStatus).toBe('live');
    // No answers: dead; the closed socket gets no more pings.
    vi.advanceTimersByTime(DEAD_AFTER_MS);
    expect(h.sync.currentStatus).toBe('lost');
    const sentWhenDead = s.sent.length;
    vi.advanceTimersByTime(PING_EVERY_MS * 3);
    expect(s.sent).toHaveLength(sentWhenDead);
  });

  it('a reconnected socket gets its own heartbeat', async () => {
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    h.socket().hello(1);
    vi.advanceTimersByTime(DEAD_AFTER_MS);
    expect(h.sync.currentStatus).toBe('lost');
    expect(await h.sync.resync()).toBe(true);
    const second = h.socket();
    expect(h.sockets).toHaveLength(2);
    second.hello(1);
    expect(h.sync.currentStatus).toBe('live');
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(second.sent).toEqual([PING_FRAME]);
    vi.advanceTimersByTime(DEAD_AFTER_MS - PING_EVERY_MS);
    expect(h.sync.currentStatus).toBe('lost');
  });

  it("the browser's offline event shows the loss at once; the offline text follows a failed resync", async () => {
    const net = fakeNetwork();
    const h = harness(() => new TypeError('Failed to fetch'), { clock: fakeClock(), watchOffline: net.watchOffline });
    h.sync.start();
    h.socket().hello(3);
    expect(net.watchers).toBe(1);
    net.goOffline();
    expect(h.sync.currentStatus).toBe('lost');
    expect(h.socket().closed).toBe(true);
    net.goOffline(); // again: nothing more to do
    expect(h.statuses).toEqual(['connecting', 'live', 'lost']);
    // "Ressincronizar" while offline: the server cannot be reached.
    expect(await h.sync.resync()).toBe(false);
    expect(h.sync.currentStatus).toBe('offline');
    h.sync.stop();
    expect(net.watchers, 'unsubscribed on stop').toBe(0);
  });

  it('a socket lost while a hello is being caught up ends "lost", not "live"', async () => {
    let release: (p: EventPage) => void = () => {};
    const pending = new Promise<EventPage>((r) => (release = r));
    let calls = 0;
    const h = harness();
    const sync = new EventSync({
      openSocket: () => {
        const s = new FakeSocket();
        h.sockets.push(s);
        return s;
      },
      fetchEvents: async (after) => {
        calls++;
        return calls === 1 ? { events: [], last_seq: after, has_more: false } : pending;
      },
      apply: (events) => h.applied.push(...events.map((e) => e.seq)),
      onStatus: (s) => h.statuses.push(s),
      onBaseline: () => {},
    });
    started.push(sync);
    sync.start();
    h.socket().hello(3);
    h.socket().drop();
    await sync.resync();
    h.socket().hello(7);
    expect(sync.currentStatus).toBe('catching_up');
    h.socket().drop();
    release({ events: [ev(5)], last_seq: 7, has_more: false });
    await settle();
    expect(h.applied).toEqual([5]);
    expect(sync.currentStatus).toBe('lost');
  });

  it('reads a pong as no frame it acts on, without breaking the others', () => {
    expect(parseFrame('{"type":"pong"}')).toBeNull();
    const h = harness(undefined, { clock: fakeClock() });
    h.sync.start();
    h.socket().receive({ type: 'pong' });
    h.socket().hello(2);
    h.socket().receive({ type: 'pong' });
    h.socket().event(3);
    h.socket().receive({ type: 'pong', extra: true });
    h.socket().event(4);
    expect(h.applied).toEqual([3, 4]);
    expect(h.sync.currentStatus).toBe('live');
  });

  it('a socket closed because the session ended stops the engine and asks for the login', () => {
    let ended = 0;
    const h = harness(undefined, { clock: fakeClock(), onSessionEnded: () => ended++ });
    h.sync.start();
    h.socket().hello(0);
    h.socket().drop(4401);
    expect(ended).toBe(1);
    expect(h.sync.currentStatus).toBe('stopped');
    expect(h.sockets).toHaveLength(1);
    // Any other close is a lost connection, as before.
    const g = harness(undefined, { clock: fakeClock(), onSessionEnded: () => ended++ });
    g.sync.start();
    g.socket().hello(0);
    g.socket().drop(1006);
    expect(g.sync.currentStatus).toBe('lost');
    expect(ended).toBe(1);
  });
});
