/**
 * The user's own status (LC-19): online, paused (with one of the
 * organization's pause reasons when it has any) or invisible (serving as
 * online, shown offline to colleagues). What the header's control offers
 * and how it reads.
 */
import { api, call } from '../../api/client';
import type { Session, User } from '../../api/types';
import type { MessageKey, Params } from '../i18n/catalog';

export type MyStatus = Session['status'];

export interface StatusChoice {
  status: MyStatus;
  /** A pause's reason; null for none. */
  reason: string | null;
}

export function isMyStatus(v: unknown): v is MyStatus {
  return v === 'online' || v === 'paused' || v === 'invisible';
}

/**
 * The choices in menu order: online, a pause (one per reason when the
 * organization has reasons, else one without), invisible.
 */
export function statusChoices(reasons: readonly string[]): StatusChoice[] {
  const pauses: StatusChoice[] =
    reasons.length > 0 ? reasons.map((reason) => ({ status: 'paused', reason })) : [{ status: 'paused', reason: null }];
  return [{ status: 'online', reason: null }, ...pauses, { status: 'invisible', reason: null }];
}

export function sameChoice(a: StatusChoice, b: StatusChoice): boolean {
  return a.status === b.status && (a.reason ?? null) === (b.reason ?? null);
}

/** "Online", "Pausa", "Pausa: Almoço", "Invisível". */
export function statusText(c: StatusChoice, t: (key: MessageKey, params?: Params) => string): string {
  if (c.status === 'paused') return c.reason ? t('status.pausedWith', { reason: c.reason }) : t('status.paused');
  return t(c.status === 'online' ? 'status.online' : 'status.invisible');
}

/** `PUT /me/status`: the user as they are now (the server's 422 is thrown). */
export function putStatus(c: StatusChoice): Promise<User> {
  const body = c.reason ? { status: c.status, reason: c.reason } : { status: c.status };
  return call(api.PUT('/api/v1/me/status', { body }));
}

