import { describe, expect, it } from 'vitest';
import { snapshot } from '../../test/fixtures';
import { applyDelta, parseFrame, type QueueRow } from './snapshot';

const row: QueueRow = {
  attendance_id: 'a1',
  conversation_id: 'c1',
  contact_name: 'Dora',
  department_id: null,
  department_name: null,
  inbox_id: 'i1',
  position: 1,
  protocol: '20260310000000001',
  waiting_since: '2026-03-10T11:58:00.000Z',
};

describe('parseFrame', () => {
  it('reads the snapshot, delta and pong frames', () => {
    const s = snapshot();
    expect(parseFrame(JSON.stringify({ type: 'snapshot', snapshot: s }))).toEqual({ type: 'snapshot', snapshot: s });
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
    const delta = { type: 'delta', now: '2026-03-10T12:00:05.000Z', changes: { in_service: 3 } };
    expect(parseFrame(JSON.stringify(delta))).toEqual(delta);
  });

  it('keeps only snapshot fields in a delta', () => {
    const f = parseFrame(JSON.stringify({ type: 'delta', now: 'x', changes: { queue: { count: 1 }, bogus: 1 } }));
    expect(f).toEqual({ type: 'delta', now: 'x', changes: { queue: { count: 1 } } });
  });

  it('drops what it cannot read', () => {
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame(42)).toBeNull();
    expect(parseFrame('[]')).toBeNull();
    expect(parseFrame('{"type":"hello"}')).toBeNull();
    expect(parseFrame('{"type":"snapshot","snapshot":{"now":"x"}}')).toBeNull();
    expect(parseFrame('{"type":"delta","changes":{}}')).toBeNull();
  });
});

describe('applyDelta', () => {
  it('replaces the fields that changed and moves the clock, leaving the rest', () => {
    const s = snapshot({ in_service: 1 });
    const queue = { count: 1, longest_wait_seconds: 120, longest_wait_since: row.waiting_since };
    const next = applyDelta(s, { now: '2026-03-10T12:00:07.000Z', changes: { queue, queued_tickets: [row] } });
    expect(next.now).toBe('2026-03-10T12:00:07.000Z');
    expect(next.queue).toEqual(queue);
    expect(next.queued_tickets).toEqual([row]);
    expect(next.in_service).toBe(1);
    expect(next.agents).toBe(s.agents);
    // The snapshot it started from is left as it was.
    expect(s.queue.count).toBe(0);
    expect(s.now).toBe('2026-03-10T12:00:00.000Z');
  });

  it('takes a null (an average that lost its data) as a value', () => {
    const s = snapshot({ reply_avg_seconds: 30 });
    expect(applyDelta(s, { now: s.now, changes: { reply_avg_seconds: null } }).reply_avg_seconds).toBeNull();
  });
});
