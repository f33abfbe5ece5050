/**
 * The tab counters (LC-1 views): how many chats the user may see in each
 * view. The server pushes them over the WebSocket (`{"type":"counts"}`)
 * right after `hello` and whenever events may have moved chats between
 * views; the app never polls for them.
 */
import type { components } from '../../api/schema';
import { VIEWS, type View } from '../../api/types';

export type ViewCounts = components['schemas']['ViewCountsOut'];

/** A counts object (from a frame or `GET /conversations/counts`), or null if malformed. */
export function parseCounts(v: unknown): ViewCounts | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const out: Partial<Record<View, number>> = {};
  for (const view of VIEWS) {
    const n = o[view];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return null;
    out[view] = Math.floor(n);
  }
  return out as ViewCounts;
}

/** What a tab shows: the number, or "999+" past that (the label keeps the exact one). */
export function shortCount(n: number): string {
  return n > 999 ? '999+' : String(n);
}
