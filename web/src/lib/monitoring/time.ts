/**
 * Monitoring's durations: the waits that grow in the browser (sent as the
 * instant they began, measured against the server's clock) and how a
 * number of seconds reads ("45 s", "3 min 20 s", "1 h 05 min").
 */
import { translate, type Locale } from '../i18n/catalog';

/**
 * How far the server's clock is ahead of the browser's (ms, negative when
 * behind): the server's `now` against the browser's clock when the frame
 * arrived. The transit time is small next to the seconds shown.
 */
export function clockSkew(serverNow: string, receivedAt: number): number {
  const server = Date.parse(serverNow);
  return Number.isNaN(server) ? 0 : server - receivedAt;
}

/**
 * Whole seconds from `since` to the browser's `now` on the server's clock
 * (`skew` from `clockSkew`); null without a start. Never negative.
 */
export function elapsedSeconds(since: string | null | undefined, now: number, skew: number): number | null {
  if (!since) return null;
  const start = Date.parse(since);
  if (Number.isNaN(start)) return null;
  return Math.max(0, Math.floor((now + skew - start) / 1000));
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as people read it: "45 s", "3 min 05 s", "1 h 05 min",
 * "2 d 03 h" (rounded to the second, the larger unit only to the next
 * one); "—" for none (an average with no data).
 */
export function formatDuration(seconds: number | null | undefined, locale: Locale): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const num = (n: number) => new Intl.NumberFormat(locale).format(n);
  if (total < 60) return translate(locale, 'monitor.duration.s', { s: total });
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return translate(locale, 'monitor.duration.ms', { m: minutes, s: two(total % 60) });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return translate(locale, 'monitor.duration.hm', { h: hours, m: two(minutes % 60) });
  return translate(locale, 'monitor.duration.dh', { d: num(Math.floor(hours / 24)), h: two(hours % 24) });
}
