import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snapshot } from '../../test/fixtures';
import type { SocketLike } from '../realtime/sync';
import type { Delta, Snapshot } from './snapshot';
import {
  DEAD_AFTER_MS,
  FORBIDDEN,
  MonitoringStream,
  PING_EVERY_MS,
  type ProbeResult,
  RETRY_MS,
  type StreamStatus,
} from './stream';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  sent: unknown[] = [];
  constructor(readonly scope: string | null) {}
  close() {
    this.closed = true;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  open() {
    this.onopen?.({});
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

/** Resolves once pending promise callbacks have run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

function harness(probeResult: ProbeResult = 'other', scope: string | null = null) {
  const sockets: FakeSocket[] = [];
  const statuses: StreamStatus[] = [];
  const snapshots: Snapshot[] = [];
  const deltas: Delta[] = [];
  const probes: (string | null)[] = [];
  let scopeLost = 0;
  const stream = new MonitoringStream(
    {
      openSocket(inboxId) {
        const s = new FakeSocket(inboxId);
        sockets.push(s);
        return s;
      },
      async probe(inboxId) {
        probes.push(inboxId);
        return probeResult;
      },
      onSnapshot: (s) => snapshots.push(s),
      onDelta: (d) => deltas.push(d),
      onStatus: (s) => statuses.push(s),
      onScopeLost: () => scopeLost++,
    },
    scope,
  );
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  return { stream, sockets, statuses, snapshots, deltas, probes, last, scopeLost: () => scopeLost };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MonitoringStream', () => {
  it('goes live with the first snapshot and passes deltas on', () => {
    const h = harness();
    h.stream.start();
    expect(h.statuses).toEqual(['connecting']);
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot() });
    expect(h.statuses).toEqual(['connecting', 'live']);
    expect(h.snapshots).toHaveLength(1);
    h.last().receive({ type: 'delta', now: '2026-03-10T12:00:03.000Z', changes: { in_service: 2 } });
    expect(h.deltas).toEqual([{ now: '2026-03-10T12:00:03.000Z', changes: { in_service: 2 } }]);
    h.last().receive({ type: 'pong' });
    expect(h.deltas).toHaveLength(1);
    h.stream.stop();
  });

  it('switches the scope on the open socket and skips deltas of the old one until its snapshot', () => {
    const h = harness();
    h.stream.start();
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot() });
    h.stream.setScope('inbox-2');
    expect(h.sockets).toHaveLength(1);
    expect(h.last().sent).toContainEqual({ type: 'scope', inbox_id: 'inbox-2' });
    h.last().receive({ type: 'delta', now: 'x', changes: { in_service: 9 } });
    expect(h.deltas).toEqual([]);
    h.last().receive({ type: 'snapshot', snapshot: snapshot({ inbox_id: 'inbox-2' }) });
    h.last().receive({ type: 'delta', now: 'y', changes: { in_service: 1 } });
    expect(h.deltas).toEqual([{ now: 'y', changes: { in_service: 1 } }]);
    // Back to every inbox.
    h.stream.setScope(null);
    expect(h.last().sent).toContainEqual({ type: 'scope', inbox_id: null });
    h.stream.stop();
  });

  it('opens again for the new scope when the socket was still opening', () => {
    const h = harness();
    h.stream.start();
    h.stream.setScope('inbox-2');
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets[0]?.closed).toBe(true);
    expect(h.last().scope).toBe('inbox-2');
    h.stream.stop();
  });

  it('pings every 15 s and reconnects a socket silent for too long', () => {
    const h = harness();
    h.stream.start();
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot() });
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(h.last().sent).toEqual([{ type: 'ping' }]);
    h.last().receive({ type: 'pong' });
    vi.advanceTimersByTime(DEAD_AFTER_MS - 1);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(h.sockets[0]?.closed).toBe(true);
    expect(h.statuses.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(RETRY_MS[0] ?? 0);
    expect(h.sockets).toHaveLength(2);
    h.stream.stop();
  });

  it('reconnects a dropped socket after growing pauses, and takes the new snapshot', async () => {
    const h = harness();
    h.stream.start();
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot() });
    h.last().drop();
    expect(h.statuses.at(-1)).toBe('reconnecting');
    // It had been heard from: no need to ask why.
    expect(h.probes).toEqual([]);
    vi.advanceTimersByTime(RETRY_MS[0] ?? 0);
    expect(h.sockets).toHaveLength(2);
    // Refused at the handshake twice: the pauses grow.
    h.last().drop();
    await settle();
    expect(h.probes).toEqual([null]);
    vi.advanceTimersByTime((RETRY_MS[1] ?? 0) - 1);
    expect(h.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(3);
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot({ in_service: 4 }) });
    expect(h.statuses.at(-1)).toBe('live');
    expect(h.snapshots.at(-1)?.in_service).toBe(4);
    // A success starts the pauses over.
    h.last().drop();
    vi.advanceTimersByTime(RETRY_MS[0] ?? 0);
    expect(h.sockets).toHaveLength(4);
    h.stream.stop();
  });

  it('stops for good when the server says the user may no longer see monitoring', () => {
    const h = harness();
    h.stream.start();
    h.last().open();
    h.last().receive({ type: 'snapshot', snapshot: snapshot() });
    h.last().drop(FORBIDDEN);
    expect(h.statuses.at(-1)).toBe('forbidden');
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('learns from the REST endpoint that a refused socket was forbidden', async () => {
    const h = harness('forbidden');
    h.stream.start();
    h.last().drop();
    await settle();
    expect(h.statuses).toEqual(['connecting', 'reconnecting', 'forbidden']);
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('goes back to every inbox when the chosen one is gone', async () => {
    const h = harness('unknown_scope', 'inbox-9');
    h.stream.start();
    expect(h.last().scope).toBe('inbox-9');
    h.last().drop();
    await settle();
    expect(h.probes).toEqual(['inbox-9']);
    expect(h.scopeLost()).toBe(1);
    vi.advanceTimersByTime(RETRY_MS[0] ?? 0);
    expect(h.last().scope).toBeNull();
    h.stream.stop();
  });

  it('does nothing more once stopped', async () => {
    const h = harness();
    h.stream.start();
    const s = h.last();
    h.stream.stop();
    expect(s.closed).toBe(true);
    expect(h.statuses.at(-1)).toBe('stopped');
    s.drop();
    await settle();
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.probes).toEqual([]);
  });
});
