import { describe, expect, it } from 'vitest';
import { type ClosingField, closingDraft, closingFieldsBody, missingRequired } from './closing';

function field(key: string, over: Partial<ClosingField> = {}): ClosingField {
  return { key, label: key, field_type: 'text', target: 'attendance', options: [], required: false, value: null, ...over };
}

describe('closing fields (LC-11)', () => {
  const fields = [
    field('motivo', { field_type: 'option', options: ['Dúvida', 'Compra'], required: true }),
    field('nota', { value: 'Quer parcelar' }),
    field('valor', { field_type: 'number', target: 'contact' }),
  ];

  it('starts from the values the fields have now', () => {
    expect(closingDraft(fields).values).toEqual({ motivo: '', nota: 'Quer parcelar', valor: '' });
  });

  it('names the mandatory fields still empty, a kept value counting', () => {
    const d = closingDraft(fields);
    expect(missingRequired(fields, d).map((f) => f.key)).toEqual(['motivo']);
    d.values.motivo = 'Compra';
    expect(missingRequired(fields, d)).toEqual([]);
    const kept = [field('motivo', { required: true, value: 'Dúvida' })];
    const k = closingDraft(kept);
    expect(missingRequired(kept, k)).toEqual([]);
    k.cleared.motivo = true;
    expect(missingRequired(kept, k).map((f) => f.key)).toEqual(['motivo']);
  });

  it('sends only changes; "Excluir valor atual" and a blanked input send null; decimal commas become points', () => {
    const d = closingDraft(fields);
    expect(closingFieldsBody(fields, d)).toEqual({});
    d.values.motivo = 'Compra';
    d.values.valor = '1,5';
    d.cleared.nota = true;
    expect(closingFieldsBody(fields, d)).toEqual({ motivo: 'Compra', valor: '1.5', nota: null });
    const e = closingDraft(fields);
    e.values.nota = '  ';
    expect(closingFieldsBody(fields, e)).toEqual({ nota: null });
  });
});
