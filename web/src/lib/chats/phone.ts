/**
 * Phone numbers for the `?target_phone=` deep link (LC-16) and the "Novo
 * chat" form (CT-7): the digits to search with, which contact phones count
 * as the same number (with or without Brazil's 55), and how to pre-fill the
 * form.
 */

/** Only the digits of `s`. */
export function digitsOf(s: string | null | undefined): string {
  return (s ?? '').replace(/\D/g, '');
}

/** A Brazilian number: DDD (two digits, no leading 0) + 8 or 9 digits. */
function isBrNational(d: string): boolean {
  return /^[1-9][1-9]\d{8,9}$/.test(d);
}

/** The national part (DDD + number) of a Brazilian number, or null. */
export function brNational(raw: string): string | null {
  const d = digitsOf(raw);
  if (isBrNational(d)) return d;
  if (d.startsWith('55') && isBrNational(d.slice(2))) return d.slice(2);
  return null;
}

/**
 * The digit strings a contact's phone may have for this target: the digits
 * as given and, for a Brazilian number, with and without the 55 prefix.
 */
export function phoneCandidates(raw: string): string[] {
  const d = digitsOf(raw);
  if (!d) return [];
  const out = new Set([d]);
  const national = brNational(d);
  if (national) {
    out.add(national);
    out.add(`55${national}`);
  }
  return [...out];
}

/** Whether a contact's phone is the target number (digits compared exactly). */
export function phoneMatches(contactPhone: string | null | undefined, target: string): boolean {
  const d = digitsOf(contactPhone);
  return d !== '' && phoneCandidates(target).includes(d);
}

/** What to search the chat list with: the national digits when Brazilian. */
export function searchDigits(raw: string): string {
  return brNational(raw) ?? digitsOf(raw);
}

/** `11987654321` → `11 98765-4321`; `1132654321` → `11 3265-4321`. */
export function formatBrPhone(national: string): string {
  const d = digitsOf(national);
  if (!isBrNational(d)) return d;
  const local = d.slice(2);
  const cut = local.length - 4;
  return `${d.slice(0, 2)} ${local.slice(0, cut)}-${local.slice(cut)}`;
}

/** How "Novo chat" is pre-filled for a number: Brazilian, or foreign with its prefix. */
export function newChatPrefill(raw: string): { phone: string; foreign: boolean } {
  const national = brNational(raw);
  if (national) return { phone: formatBrPhone(national), foreign: false };
  return { phone: digitsOf(raw), foreign: true };
}

/**
 * An international number (country code first, as WhatsApp gives it) as
 * shown to people — CT-1, the inbox number a contact wrote to: Brazilian
 * ones as `+55 11 98765-4321`, others as `+` and their digits; text that is
 * not a number stays as given.
 */
export function displayPhone(raw: string): string {
  const d = digitsOf(raw);
  if (d === '' || d !== raw.replace(/[\s+()-]/g, '')) return raw;
  const national = d.slice(2);
  if (d.startsWith('55') && isBrNational(national)) return `+55 ${formatBrPhone(national)}`;
  return `+${d}`;
}
