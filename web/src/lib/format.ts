/** Dates and times as the console shows them, in the UI language. */
import { i18n, t } from './i18n/index.svelte';

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function daysBetween(a: number, b: number): number {
  return Math.round((startOfDay(b) - startOfDay(a)) / 86_400_000);
}

/** "14:05" */
export function clockTime(iso: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "14:05", "Ontem", or a short date, for the chat list. */
export function listTime(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const days = daysBetween(ms, now);
  if (days <= 0) return clockTime(iso);
  if (days === 1) return t('pane.yesterday');
  return new Intl.DateTimeFormat(i18n.locale, { day: '2-digit', month: '2-digit', year: '2-digit' }).format(ms);
}

/** "Hoje", "Ontem" or a full date, for day separators in a conversation. */
export function dayLabel(iso: string, now: number): string {
  const ms = Date.parse(iso);
  const days = daysBetween(ms, now);
  if (days <= 0) return t('pane.today');
  if (days === 1) return t('pane.yesterday');
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(ms);
}

/** Full date and time, for tooltips. */
export function fullTime(iso: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

export function sameDay(a: string, b: string): boolean {
  return startOfDay(Date.parse(a)) === startOfDay(Date.parse(b));
}
