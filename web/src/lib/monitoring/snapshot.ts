/**
 * Monitoring's page for one scope (RP-5, `docs/monitoring.md`): the
 * snapshot the stream sends first, and the deltas that replace some of its
 * top-level fields afterwards.
 */
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type Snapshot = Schemas['Snapshot'];
export type ServiceRow = Schemas['ServiceRow'];
export type QueueRow = Schemas['QueueRow'];
export type AgentRow = Schemas['AgentRow'];
export type TagRow = Schemas['TagRow'];
export type HourRow = Schemas['HourOut'];
/** A frame the page sends on the stream (`scope` or `ping`). */
export type ClientFrame = Schemas['MonitoringClientFrame'];

/** The snapshot's top-level fields that changed, with the server's clock then. */
export interface Delta {
  now: string;
  changes: Partial<Snapshot>;
}

/** A frame of the monitoring stream, as read. */
export type Frame = { type: 'snapshot'; snapshot: Snapshot } | ({ type: 'delta' } & Delta) | { type: 'pong' };

/** Every top-level field of a snapshot: the only keys a delta may replace. */
const FIELDS = {
  agent_rows: true,
  agents: true,
  attendance_avg_seconds: true,
  day_start: true,
  first_reply: true,
  hours: true,
  in_service: true,
  in_service_tickets: true,
  in_service_tickets_total: true,
  inbox_id: true,
  now: true,
  queue: true,
  queued_tickets: true,
  reply_avg_seconds: true,
  tags: true,
  today: true,
} satisfies Record<keyof Snapshot, true>;

function isField(k: string): k is keyof Snapshot {
  return Object.hasOwn(FIELDS, k);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Enough of a snapshot to draw the page (the server's OpenAPI types the rest). */
function isSnapshot(v: unknown): v is Snapshot {
  return (
    isObject(v) &&
    typeof v.now === 'string' &&
    typeof v.day_start === 'string' &&
    isObject(v.queue) &&
    isObject(v.today) &&
    isObject(v.agents) &&
    isObject(v.first_reply) &&
    Array.isArray(v.hours) &&
    Array.isArray(v.in_service_tickets) &&
    Array.isArray(v.queued_tickets) &&
    Array.isArray(v.agent_rows) &&
    Array.isArray(v.tags)
  );
}

/** Reads a server frame; null for anything else (a newer server's frame kinds included). */
export function parseFrame(data: unknown): Frame | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(v)) return null;
  if (v.type === 'pong') return { type: 'pong' };
  if (v.type === 'snapshot') return isSnapshot(v.snapshot) ? { type: 'snapshot', snapshot: v.snapshot } : null;
  if (v.type === 'delta' && typeof v.now === 'string' && isObject(v.changes)) {
    const changes: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(v.changes)) if (isField(k)) changes[k] = value;
    return { type: 'delta', now: v.now, changes: changes as Partial<Snapshot> };
  }
  return null;
}

/** The snapshot with a delta's fields replaced and its clock moved on. */
export function applyDelta(snapshot: Snapshot, delta: Delta): Snapshot {
  return { ...snapshot, ...delta.changes, now: delta.now };
}
