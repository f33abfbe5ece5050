/**
 * The contact form of the settings panel (CT-1): what each custom field is
 * edited with, values to and from the inputs, and the PATCH body holding
 * only what changed (`""` clears an optional field, `null` a custom value).
 */
import type { Contact, ContactUpdate, CustomFieldDef } from '../../api/types';

/** The editor a custom field gets, by `field_type`. */
export type FieldInput =
  | { kind: 'text'; type: 'text' | 'email' | 'tel' | 'url'; inputmode?: 'numeric' | 'decimal' }
  | { kind: 'number' }
  | { kind: 'date' }
  | { kind: 'boolean' }
  | { kind: 'option'; options: string[] };

export function fieldInput(f: Pick<CustomFieldDef, 'field_type' | 'options'>): FieldInput {
  switch (f.field_type) {
    case 'number':
      return { kind: 'number' };
    case 'date':
      return { kind: 'date' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'option':
      return { kind: 'option', options: f.options };
    case 'email':
      return { kind: 'text', type: 'email' };
    case 'phone':
      return { kind: 'text', type: 'tel' };
    case 'cpf':
    case 'cnpj':
      return { kind: 'text', type: 'text', inputmode: 'numeric' };
    case 'image':
      return { kind: 'text', type: 'url' };
    default:
      return { kind: 'text', type: 'text' };
  }
}

/** The contact's custom values (the API types them as a free-form object). */
export function customValues(c: Pick<Contact, 'custom'> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = (c?.custom ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v;
    else if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

/** A stored value as its input shows it ("" when unset or not readable by that input). */
export function toInput(f: Pick<CustomFieldDef, 'field_type' | 'options'>, stored: string | undefined): string {
  const v = (stored ?? '').trim();
  switch (f.field_type) {
    case 'boolean':
      return v === 'true' || v === 'false' ? v : '';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '';
    default:
      return v;
  }
}

/**
 * An input's value as the API takes it: trimmed, `null` when empty (clears
 * the value); a number typed with a decimal comma ("1,5") gets a point.
 */
export function fromInput(f: Pick<CustomFieldDef, 'field_type'>, input: string): string | null {
  const v = input.trim();
  if (!v) return null;
  if (f.field_type === 'number' && /^-?\d+,\d+$/.test(v)) return v.replace(',', '.');
  return v;
}

/** The editable fields of a contact, as the form holds them (strings). */
export interface ContactDraft {
  name: string;
  email: string;
  document: string;
  rg: string;
  birth_date: string;
  customer_code: string;
  custom: Record<string, string>;
}

const TEXT_FIELDS = ['email', 'document', 'rg', 'birth_date', 'customer_code'] as const;

/** CPF "529.982.247-25" and CNPJ "11.222.333/0001-81" from digits. */
export function formatDocument(digits: string | null | undefined, kind: string | null | undefined): string {
  const d = digits ?? '';
  if (kind === 'cpf' && /^\d{11}$/.test(d)) return d.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
  if (kind === 'cnpj' && /^\d{14}$/.test(d)) return d.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5');
  return d;
}

export function draftOf(c: Contact, fields: readonly CustomFieldDef[]): ContactDraft {
  const values = customValues(c);
  const custom: Record<string, string> = {};
  for (const f of fields) custom[f.key] = toInput(f, values[f.key]);
  return {
    name: c.name,
    email: c.email ?? '',
    document: formatDocument(c.document, c.document_kind),
    rg: c.rg ?? '',
    birth_date: c.birth_date ?? '',
    customer_code: c.customer_code ?? '',
    custom,
  };
}

/** Only what changed from `c` (null when nothing did); `""` clears a field. */
export function contactPatch(
  c: Contact,
  fields: readonly CustomFieldDef[],
  draft: ContactDraft,
): ContactUpdate | null {
  const before = draftOf(c, fields);
  const patch: Record<string, unknown> = {};
  if (draft.name.trim() !== before.name.trim()) patch.name = draft.name.trim();
  for (const k of TEXT_FIELDS) {
    if (draft[k].trim() !== before[k].trim()) patch[k] = draft[k].trim();
  }
  const custom: Record<string, string | null> = {};
  for (const f of fields) {
    const now = fromInput(f, draft.custom[f.key] ?? '');
    const was = fromInput(f, before.custom[f.key] ?? '');
    if (now !== was) custom[f.key] = now;
  }
  if (Object.keys(custom).length > 0) patch.custom = custom;
  return Object.keys(patch).length > 0 ? (patch as ContactUpdate) : null;
}

/** Whether two reads of a contact differ in anything the form edits. */
export function sameEditable(a: Contact | null, b: Contact | null): boolean {
  if (!a || !b) return a === b;
  const pick = (c: Contact) =>
    JSON.stringify([c.id, c.name, c.email, c.document, c.rg, c.birth_date, c.customer_code, customValues(c)]);
  return pick(a) === pick(b);
}

/** A readable text color (dark or white) for a tag chip of `#rrggbb`. */
export function chipTextColor(background: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background.trim());
  if (!m) return '#1f2328';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = Number.parseInt(h ?? '0', 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white vs with near-black text.
  return (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) ? '#ffffff' : '#1f2328';
}
