import { describe, expect, it } from 'vitest';
import type { ApiEvent, EventPage } from '../../api/types';
import { EventSync, parseFrame, type SocketLike, type SyncStatus } from './sync';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  close() {
    this.closed = true;
  }
  send(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  hello(lastSeq: number) {
    this.send({ type: 'hello', last_seq: lastSeq });
  }
  event(seq: number, kind = 'message.created') {
    this.send({ type: 'event', event: ev(seq, kind) });
  }
  drop() {
    this.onclose?.({});
  }
}

function ev(seq: number, kind = 'message.created'): ApiEvent {
  return { seq, kind, conversation_id: 'c1', payload: {}, created_at: '2026-01-01T00:00:00.000Z' };
}

/** Resolves once pending promise callbacks have run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function harness(pages: (after: number) => EventPage | Error = () => ({ events: [], last_seq: 0, has_more: false })) {
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
  });
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
    sync.start();
    const s = socket as unknown as FakeSocket;
    s.hello(4);
    s.send({ type: 'counts', counts: { all: 9, open: 2, mine: 1, in_service: 3 } });
    s.event(5);
    s.send({ type: 'counts', counts: { all: 9, open: 1, mine: 2, in_service: 4 } });
    s.send({ type: 'counts', counts: { all: 'x' } });
    expect(counts).toEqual([1, 2]);
    expect(applied).toEqual([5]);
    expect(sync.seq).toBe(5);
    sync.stop();
    s.send({ type: 'counts', counts: { all: 9, open: 1, mine: 3, in_service: 4 } });
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
    h.socket().send({ type: 'resync' });
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
