import { describe, expect, it } from 'vitest';
import type { Contact, CustomFieldDef } from '../../api/types';
import { chipTextColor, contactPatch, draftOf, fieldInput, formatDocument, fromInput, sameEditable, toInput } from './form';

function field(key: string, field_type: string, options: string[] = []): CustomFieldDef {
  return {
    id: `f-${key}`,
    key,
    label: key,
    field_type,
    options,
    target: 'contact',
    ask_at_closing: false,
    required_at_closing: false,
  };
}

const base: Contact = {
  id: 'c1',
  name: 'Dona Cida 🌻',
  phone: '+5547997546837',
  email: null,
  document: '52998224725',
  document_kind: 'cpf',
  rg: null,
  birth_date: '1960-05-04',
  customer_code: null,
  blocked: false,
  broadcast_opt_in: true,
  custom: { vip: 'true', limite: '1500.5', plano: 'Ouro' } as unknown as Contact['custom'],
  identities: [],
  created_at: '2026-03-10T09:00:00.000Z',
  last_interaction_at: null,
};

const fields = [field('vip', 'boolean'), field('limite', 'number'), field('plano', 'option', ['Prata', 'Ouro']), field('aniv', 'date')];

describe('custom field inputs', () => {
  it('picks an input per field type', () => {
    expect(fieldInput(field('a', 'number'))).toEqual({ kind: 'number' });
    expect(fieldInput(field('a', 'date'))).toEqual({ kind: 'date' });
    expect(fieldInput(field('a', 'boolean'))).toEqual({ kind: 'boolean' });
    expect(fieldInput(field('a', 'option', ['x', 'y']))).toEqual({ kind: 'option', options: ['x', 'y'] });
    expect(fieldInput(field('a', 'email'))).toEqual({ kind: 'text', type: 'email' });
    expect(fieldInput(field('a', 'phone'))).toEqual({ kind: 'text', type: 'tel' });
    expect(fieldInput(field('a', 'cpf'))).toEqual({ kind: 'text', type: 'text', inputmode: 'numeric' });
    expect(fieldInput(field('a', 'image'))).toEqual({ kind: 'text', type: 'url' });
    expect(fieldInput(field('a', 'text'))).toEqual({ kind: 'text', type: 'text' });
  });

  it('converts stored values to inputs and back', () => {
    expect(toInput(field('b', 'boolean'), 'true')).toBe('true');
    expect(toInput(field('b', 'boolean'), 'talvez')).toBe('');
    expect(toInput(field('d', 'date'), '2026-03-10')).toBe('2026-03-10');
    expect(toInput(field('d', 'date'), '10/03/2026')).toBe('');
    expect(toInput(field('t', 'text'), undefined)).toBe('');
    expect(fromInput(field('n', 'number'), ' 1,5 ')).toBe('1.5');
    expect(fromInput(field('n', 'number'), '1500.25')).toBe('1500.25');
    expect(fromInput(field('t', 'text'), '   ')).toBeNull();
    expect(fromInput(field('t', 'text'), ' abc ')).toBe('abc');
  });
});

describe('the contact PATCH body', () => {
  it('holds nothing when nothing changed', () => {
    expect(contactPatch(base, fields, draftOf(base, fields))).toBeNull();
  });

  it('holds only changed fields; "" clears one; null clears a custom value', () => {
    const d = draftOf(base, fields);
    expect(d.document).toBe('529.982.247-25');
    expect(d.custom).toEqual({ vip: 'true', limite: '1500.5', plano: 'Ouro', aniv: '' });
    d.name = ' Maria Aparecida ';
    d.email = 'cida@example.com';
    d.birth_date = '';
    d.custom.vip = '';
    d.custom.limite = '2000,75';
    d.custom.aniv = '2026-01-02';
    expect(contactPatch(base, fields, d)).toEqual({
      name: 'Maria Aparecida',
      email: 'cida@example.com',
      birth_date: '',
      custom: { vip: null, limite: '2000.75', aniv: '2026-01-02' },
    });
  });

  it('formats documents and compares editable data', () => {
    expect(formatDocument('52998224725', 'cpf')).toBe('529.982.247-25');
    expect(formatDocument('11222333000181', 'cnpj')).toBe('11.222.333/0001-81');
    expect(formatDocument(null, null)).toBe('');
    expect(sameEditable(base, { ...base, last_interaction_at: '2026-03-11T00:00:00Z' })).toBe(true);
    expect(sameEditable(base, { ...base, email: 'x@y.z' })).toBe(false);
  });

  it('tag chips get readable text', () => {
    expect(chipTextColor('#ffeb3b')).toBe('#1f2328');
    expect(chipTextColor('#0b6e4f')).toBe('#ffffff');
    expect(chipTextColor('nonsense')).toBe('#1f2328');
  });
});
