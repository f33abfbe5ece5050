/**
 * Agent absence (LC-19): while an agent is away from an inbox, a contact
 * writing to a chat the agent serves there is answered, once per
 * attendance, with the agent's message; with a suggested colleague the
 * message carries a "Falar com <first name>" reply button, whose tap hands
 * the chat to that colleague (crates/server/src/absence.rs). It stays on
 * until turned off.
 */
import type { components } from '../../api/schema';

export type Absence = components['schemas']['AbsenceOut'];

/** The server's limit for the message (characters after trimming; WhatsApp's interactive body). */
export const MESSAGE_MAX = 1024;
/** WhatsApp's limit for a reply button's title. */
const TITLE_MAX = 20;

/** The message's length as the server counts it: characters (code points) after trimming. */
export function messageLength(message: string): number {
  return [...message.trim()].length;
}

/** Whether the server would refuse the message for its length. */
export function tooLong(message: string): boolean {
  return messageLength(message) > MESSAGE_MAX;
}

/** The suggestion button's title as the contact sees it: "Falar com" and the first name, cut to 20 characters. */
export function buttonTitle(colleague: string): string {
  const first = colleague.trim().split(/\s+/)[0] || colleague;
  return [...`Falar com ${first}`].slice(0, TITLE_MAX).join('');
}

/** Who can be suggested instead of `userId`: everyone else, by name. */
export function colleagues<T extends { id: string; name: string }>(agents: readonly T[], userId: string): T[] {
  return agents.filter((a) => a.id !== userId).sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}

/** A user's absence on an inbox, if on. */
export function absenceOn(absences: readonly Absence[], userId: string, inboxId: string): Absence | undefined {
  return absences.find((a) => a.user_id === userId && a.inbox_id === inboxId);
}

/** The names of the inboxes a user is away from, in name order. */
export function absentInboxes(absences: readonly Absence[], userId: string): string[] {
  return absences
    .filter((a) => a.user_id === userId)
    .map((a) => a.inbox_name)
    .sort((a, b) => a.localeCompare(b, 'pt-BR'));
}

/** `absences` with one user's replaced by `theirs` (e.g. after a change in the dialog). */
export function withUserAbsences(absences: readonly Absence[], userId: string, theirs: readonly Absence[]): Absence[] {
  return [...absences.filter((a) => a.user_id !== userId), ...theirs.filter((a) => a.user_id === userId)];
}

/** `absences` after `changed` was turned on or changed (replacing the same user and inbox's). */
export function withAbsence(absences: readonly Absence[], changed: Absence): Absence[] {
  return [...absences.filter((a) => !(a.user_id === changed.user_id && a.inbox_id === changed.inbox_id)), changed];
}

/** `absences` after a user's absence on an inbox was turned off. */
export function withoutAbsence(absences: readonly Absence[], userId: string, inboxId: string): Absence[] {
  return absences.filter((a) => !(a.user_id === userId && a.inbox_id === inboxId));
}

/**
 * The inbox the dialog opens on: the first (in the list's order) where the
 * user is away, else the first; null when there are none.
 */
export function initialInbox(
  inboxes: readonly { id: string }[],
  absences: readonly Absence[],
  userId: string,
): string | null {
  return (inboxes.find((i) => absenceOn(absences, userId, i.id)) ?? inboxes[0])?.id ?? null;
}
