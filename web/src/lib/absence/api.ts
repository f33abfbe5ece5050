/**
 * The absence calls (LC-19): `GET /api/v1/absences` (the caller's own, or
 * everyone's with the Users module), `PUT` and `DELETE
 * /api/v1/users/{id}/absences/{inbox_id}` (someone else's needs the Users
 * module, view and edit).
 */
import { api, call } from '../../api/client';
import type { Absence } from './absence';

export async function listAbsences(filter: { userId?: string; inboxId?: string } = {}): Promise<Absence[]> {
  const query = {
    ...(filter.userId ? { user_id: filter.userId } : {}),
    ...(filter.inboxId ? { inbox_id: filter.inboxId } : {}),
  };
  return call(api.GET('/api/v1/absences', { params: { query } }));
}

/** Turns a user's absence on an inbox on, or changes it. */
export async function setAbsence(
  userId: string,
  inboxId: string,
  message: string,
  suggestedAgentId: string | null,
): Promise<Absence> {
  return call(
    api.PUT('/api/v1/users/{id}/absences/{inbox_id}', {
      params: { path: { id: userId, inbox_id: inboxId } },
      body: { message, suggested_agent_id: suggestedAgentId },
    }),
  );
}

/** Turns a user's absence on an inbox off. */
export async function clearAbsence(userId: string, inboxId: string): Promise<void> {
  await call(api.DELETE('/api/v1/users/{id}/absences/{inbox_id}', { params: { path: { id: userId, inbox_id: inboxId } } }));
}
