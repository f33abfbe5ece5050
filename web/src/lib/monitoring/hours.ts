/**
 * Today's hours as the charts draw them: one label per hour of the
 * organization's day ("08h", counted from `day_start`, so the browser's
 * own time zone does not shift them) and one series per number.
 */
import type { HourRow } from './snapshot';

const HOUR_MS = 3_600_000;

/** "08h": the hour of the organization's day that `start` begins. */
export function hourLabel(start: string, dayStart: string): string {
  const h = Math.round((Date.parse(start) - Date.parse(dayStart)) / HOUR_MS);
  return `${String(Number.isFinite(h) ? h : 0).padStart(2, '0')}h`;
}

export interface HourSeries {
  labels: string[];
  opened: number[];
  closed: number[];
  lost: number[];
  abandoned: number[];
  /** Mean seconds to a first reply in each hour (null: no first reply then). */
  firstReply: (number | null)[];
}

export function hourSeries(hours: readonly HourRow[], dayStart: string): HourSeries {
  return {
    labels: hours.map((h) => hourLabel(h.start, dayStart)),
    opened: hours.map((h) => h.opened),
    closed: hours.map((h) => h.closed),
    lost: hours.map((h) => h.lost),
    abandoned: hours.map((h) => h.abandoned),
    firstReply: hours.map((h) => h.first_reply_avg_seconds ?? null),
  };
}
