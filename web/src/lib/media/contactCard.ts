/**
 * The contact card form (CH-9): another person's name plus an e-mail
 * and/or a phone. The same rules the server applies
 * (`compose::contacts`), checked before sending so the agent sees which
 * field is wrong.
 */
import type { components } from '../../api/schema';

export type ContactCard = components['schemas']['ContactCard'];

export interface ContactCardInput {
  name: string;
  email: string;
  phone: string;
}

export type ContactCardError = 'nameRequired' | 'emailOrPhone' | 'emailInvalid' | 'phoneInvalid';

export type ContactCardResult =
  | { ok: true; card: ContactCard }
  | { ok: false; errors: Partial<Record<'name' | 'email' | 'phone' | 'form', ContactCardError>> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Digits of a phone written with spaces, dashes, dots, parentheses or a leading +. */
function phoneDigits(phone: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(phone)) return null;
  return phone.replace(/\D/g, '');
}

export function validateContactCard(input: ContactCardInput): ContactCardResult {
  const name = input.name.trim();
  const email = input.email.trim();
  const phone = input.phone.trim();
  const errors: Extract<ContactCardResult, { ok: false }>['errors'] = {};
  if (!name) errors.name = 'nameRequired';
  if (!email && !phone) errors.form = 'emailOrPhone';
  if (email && !EMAIL.test(email)) errors.email = 'emailInvalid';
  if (phone) {
    // A Brazilian number with DDD (10–11 digits) or an international one
    // with its country code (up to 15 digits, E.164).
    const digits = phoneDigits(phone);
    if (!digits || digits.length < 10 || digits.length > 15) errors.phone = 'phoneInvalid';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const card: ContactCard = { name };
  if (email) card.email = email;
  if (phone) card.phone = phone;
  return { ok: true, card };
}
