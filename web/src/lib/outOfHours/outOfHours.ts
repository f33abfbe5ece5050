/**
 * Contacts who wrote outside business hours (LC-21): the list
 * (`GET /api/v1/out-of-hours`, last 7 days, newest first) and "Enviar
 * mensagem ativa" (`POST /api/v1/out-of-hours/{id}/active-message`). The
 * server words some values in pt-BR ("(Sem nome)", "Sim"/"Não"/"N/D");
 * these helpers turn them into catalog keys so English reads English.
 */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { MessageKey } from '../i18n/index.svelte';
import type { TemplateSend } from '../templates/templates';

export type OutOfHoursEntry = components['schemas']['OutOfHoursOut'];

/** The name the server gives a contact without one. */
export const NO_NAME = '(Sem nome)';

/** The list, of one inbox or (`inboxId` empty) of every inbox the user sees. */
export function listOutOfHours(inboxId: string): Promise<OutOfHoursEntry[]> {
  return call(api.GET('/api/v1/out-of-hours', { params: { query: inboxId ? { inbox_id: inboxId } : {} } }));
}

/** Sends a template to the contact; the server marks the entry as answered. */
export async function sendActiveMessage(entryId: string, template: TemplateSend): Promise<void> {
  await call(api.POST('/api/v1/out-of-hours/{id}/active-message', { params: { path: { id: entryId } }, body: { template } }));
}

/** "Solicitou retorno?": Sim, Não, or N/D when the flow offers no callback; null for a value the UI does not know. */
export function callbackKey(callback: string): MessageKey | null {
  switch (callback) {
    case 'Sim':
      return 'outOfHours.yes';
    case 'Não':
      return 'outOfHours.no';
    case 'N/D':
      return 'outOfHours.notApplicable';
    default:
      return null;
  }
}

/** Whether the server named the contact "(Sem nome)". */
export function hasNoName(entry: Pick<OutOfHoursEntry, 'name'>): boolean {
  return entry.name.trim() === '' || entry.name === NO_NAME;
}

/** The list with one entry marked as answered by an active message. */
export function markSent(list: readonly OutOfHoursEntry[], id: string): OutOfHoursEntry[] {
  return list.map((e) => (e.id === id ? { ...e, active_message_sent: true } : e));
}
