/**
 * The organization's presence and ticket settings (admin "Configurações"):
 * pause reasons, minutes before an agent without a console counts as
 * away, hours before a silent customer's ticket expires. Checked here as
 * the server checks them, so most mistakes show before saving.
 */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { MessageKey } from '../i18n/catalog';

export type Settings = components['schemas']['SettingsOut'];

export const REASON_MAX_CHARS = 60;
export const REASONS_MAX = 20;
export const AWAY_MINUTES = { min: 1, max: 1440 } as const;
export const EXPIRY_HOURS = { min: 0, max: 720 } as const;

/** The reasons with `text` added (trimmed), or why it cannot be (a message key). */
export function addReason(reasons: readonly string[], text: string): string[] | { error: MessageKey } {
  const r = text.trim();
  if (!r) return { error: 'settings.reasonEmpty' };
  if ([...r].length > REASON_MAX_CHARS) return { error: 'settings.reasonTooLong' };
  // The server compares without case.
  if (reasons.some((x) => x.toLowerCase() === r.toLowerCase())) return { error: 'settings.reasonDuplicate' };
  if (reasons.length >= REASONS_MAX) return { error: 'settings.reasonsFull' };
  return [...reasons, r];
}

export interface SettingsForm {
  pauseReasons: string[];
  /** As typed (a number input's value). */
  awayMinutes: number | null;
  expiryHours: number | null;
}

export function settingsForm(s: Settings): SettingsForm {
  return { pauseReasons: [...s.pause_reasons], awayMinutes: s.away_minutes, expiryHours: s.ticket_expiry_hours };
}

const within = (v: number | null, r: { min: number; max: number }): v is number =>
  v !== null && Number.isInteger(v) && v >= r.min && v <= r.max;

/** The `PATCH /settings` body, or the first field that is out of range (a message key). */
export function settingsBody(
  f: SettingsForm,
): components['schemas']['SettingsUpdate'] | { error: MessageKey; field: 'away' | 'expiry' } {
  if (!within(f.awayMinutes, AWAY_MINUTES)) return { error: 'settings.awayInvalid', field: 'away' };
  if (!within(f.expiryHours, EXPIRY_HOURS)) return { error: 'settings.expiryInvalid', field: 'expiry' };
  return { pause_reasons: f.pauseReasons, away_minutes: f.awayMinutes, ticket_expiry_hours: f.expiryHours };
}

export function fetchSettings(): Promise<Settings> {
  return call(api.GET('/api/v1/settings'));
}

export function saveSettings(body: components['schemas']['SettingsUpdate']): Promise<Settings> {
  return call(api.PATCH('/api/v1/settings', { body }));
}
