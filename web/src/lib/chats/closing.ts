/**
 * The custom fields asked when an attendance closes (LC-11): the values the
 * dialog starts from, which mandatory ones are still empty, and the
 * `fields` of the close request (only what changed; `null` clears a value,
 * "Excluir valor atual").
 */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { fromInput, toInput } from '../contacts/form';

export type ClosingField = components['schemas']['ClosingFieldOut'];

/** What the dialog holds per field key: the input, and whether the current value is to be cleared. */
export interface ClosingDraft {
  values: Record<string, string>;
  cleared: Record<string, boolean>;
}

export function fetchClosingFields(conversationId: string): Promise<ClosingField[]> {
  return call(api.GET('/api/v1/conversations/{id}/closing-fields', { params: { path: { id: conversationId } } }));
}

/** The inputs pre-filled with the values the fields have now. */
export function closingDraft(fields: readonly ClosingField[]): ClosingDraft {
  return {
    values: Object.fromEntries(fields.map((f) => [f.key, toInput(f, f.value ?? undefined)])),
    cleared: {},
  };
}

/** A field's value after the closing, as the API would store it. */
function after(f: ClosingField, d: ClosingDraft): string | null {
  if (d.cleared[f.key]) return null;
  return fromInput(f, d.values[f.key] ?? '');
}

/** Mandatory fields that would be left without a value. */
export function missingRequired(fields: readonly ClosingField[], d: ClosingDraft): ClosingField[] {
  return fields.filter((f) => f.required && after(f, d) === null);
}

/** The close request's `fields`: changed values, and `null` for cleared ones. */
export function closingFieldsBody(fields: readonly ClosingField[], d: ClosingDraft): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of fields) {
    const v = after(f, d);
    const before = f.value && f.value.trim() ? f.value : null;
    if (v !== before) out[f.key] = v;
  }
  return out;
}
