import { describe, expect, it } from 'vitest';
import { validateContactCard } from './contactCard';

describe('validateContactCard (CH-9)', () => {
  it('needs a name', () => {
    const r = validateContactCard({ name: '  ', email: 'a@b.com', phone: '' });
    expect(r).toEqual({ ok: false, errors: { name: 'nameRequired' } });
  });

  it('needs an e-mail or a phone', () => {
    const r = validateContactCard({ name: 'Maria', email: ' ', phone: '' });
    expect(r).toEqual({ ok: false, errors: { form: 'emailOrPhone' } });
  });

  it('reports every problem at once', () => {
    const r = validateContactCard({ name: '', email: '', phone: '' });
    expect(r).toEqual({ ok: false, errors: { name: 'nameRequired', form: 'emailOrPhone' } });
  });

  it('checks the e-mail', () => {
    for (const email of ['maria', 'maria@', 'maria@exemplo', 'ma ria@exemplo.com']) {
      const r = validateContactCard({ name: 'Maria', email, phone: '' });
      expect(r, email).toEqual({ ok: false, errors: { email: 'emailInvalid' } });
    }
  });

  it('checks the phone: DDD and number, or + and country code', () => {
    for (const phone of ['98765-4321', '1234', 'abc 11 98765-4321', '+1234567890123456']) {
      const r = validateContactCard({ name: 'Maria', email: '', phone });
      expect(r, phone).toEqual({ ok: false, errors: { phone: 'phoneInvalid' } });
    }
    for (const phone of ['11 98765-4321', '(11) 3456-7890', '+55 11 98765-4321', '+1 415 555 0100']) {
      expect(validateContactCard({ name: 'Maria', email: '', phone }).ok, phone).toBe(true);
    }
  });

  it('returns the trimmed card with only the fields given', () => {
    expect(validateContactCard({ name: ' Maria Souza ', email: '', phone: ' 11 98765-4321 ' })).toEqual({
      ok: true,
      card: { name: 'Maria Souza', phone: '11 98765-4321' },
    });
    expect(validateContactCard({ name: 'Maria', email: 'maria@exemplo.com.br', phone: '' })).toEqual({
      ok: true,
      card: { name: 'Maria', email: 'maria@exemplo.com.br' },
    });
    expect(validateContactCard({ name: 'Maria', email: 'maria@exemplo.com.br', phone: '11987654321' })).toEqual({
      ok: true,
      card: { name: 'Maria', email: 'maria@exemplo.com.br', phone: '11987654321' },
    });
  });
});
