/**
 * The business hours calls (LC-22): `GET /api/v1/inboxes/{id}/business-hours`
 * reads an inbox's hours as saved and whether it is open now;
 * `PUT` sets them (204).
 */
import { api, call } from '../../api/client';
import type { BusinessHours } from './hours';

/** The schema types the hours as a bare object (`Object` in the OpenAPI document). */
type Body = Record<string, never>;

/** An inbox's hours as the server has them, and what they mean now. */
export interface HoursState {
  /** As saved (null: no hours, always open). Not checked: see `hoursForm`. */
  hours: unknown;
  openNow: boolean;
  /** When closed, the next opening in pt-BR words ("amanhã às 08:00"); null when open or none within a year. */
  nextOpening: string | null;
}

/** Reads an inbox's hours (needs the Inboxes module). */
export async function loadBusinessHours(inboxId: string): Promise<HoursState> {
  const out = await call(api.GET('/api/v1/inboxes/{id}/business-hours', { params: { path: { id: inboxId } } }));
  return { hours: out.hours ?? null, openNow: out.open_now, nextOpening: out.next_opening ?? null };
}

/** Sets an inbox's hours; null removes them (always open). */
export async function saveBusinessHours(inboxId: string, hours: BusinessHours | null): Promise<void> {
  await call(
    api.PUT('/api/v1/inboxes/{id}/business-hours', {
      params: { path: { id: inboxId } },
      body: { hours: hours as unknown as Body | null },
    }),
  );
}
