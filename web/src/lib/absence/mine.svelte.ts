/**
 * The signed-in user's own absences, for the reminder by the user menu
 * ("Ausência ativa em …"): read when the header mounts, replaced when the
 * absence dialog changes them.
 */
import type { Absence } from './absence';
import { listAbsences } from './api';

export const myAbsences = $state<{ userId: string | null; list: Absence[] }>({ userId: null, list: [] });

/** Bumped by every change: a read that started before one does not land. */
let gen = 0;

/** Reads the user's absences; a failure leaves the last known ones (it is only a reminder). */
export async function loadMyAbsences(userId: string): Promise<void> {
  if (myAbsences.userId !== userId) setMyAbsences(userId, []);
  const mine = gen;
  try {
    const list = await listAbsences({ userId });
    if (mine === gen) setMyAbsences(userId, list);
  } catch {
    // Shown again on the next load.
  }
}

export function setMyAbsences(userId: string, list: readonly Absence[]): void {
  gen++;
  myAbsences.userId = userId;
  myAbsences.list = list.filter((a) => a.user_id === userId);
}
