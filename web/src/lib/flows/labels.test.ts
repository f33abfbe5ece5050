import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/index.svelte';
import { describeStep, durationLabel, runsLine, typeLabel } from './labels';

const names = {
  department: (r: string) => (r === 'd-2' ? 'Suporte' : r),
  agent: (r: string) => (r === 'u-1' ? 'Bruno' : r),
};

describe('flow editor labels (pt-BR)', () => {
  setLocale('pt-BR');

  it('summarizes each step in one line', () => {
    expect(describeStep({ type: 'send', content: { kind: 'text', text: 'Olá, {nome}!' } })).toBe('Olá, {nome}!');
    expect(
      describeStep({
        type: 'send',
        content: {
          kind: 'buttons',
          text: 'Ajuda?',
          buttons: [
            { id: 'a', title: 'Sim' },
            { id: 'b', title: 'Não' },
          ],
        },
      }),
    ).toBe('Ajuda? [Sim | Não]');
    expect(describeStep({ type: 'ask', field: 'cpf', answer: { kind: 'document' } })).toBe(
      'Guarda em cpf · CPF ou CNPJ',
    );
    expect(
      describeStep({
        type: 'condition',
        match: 'any',
        rules: [
          { field: 'setor', op: 'equals', value: 'vendas' },
          { field: 'cpf', op: 'empty' },
        ],
        then: 'a',
        else: 'b',
      }),
    ).toBe('setor é igual a "vendas" ou cpf está vazio');
    expect(describeStep({ type: 'set', fields: { origem: 'bot' }, tags: ['vip'] })).toBe('Define origem, #vip');
    expect(describeStep({ type: 'wait', seconds: 7200 })).toBe('Aguarda 2 h');
    expect(describeStep({ type: 'open_attendance', target: { to: 'department', department: 'd-2' } }, names)).toBe(
      'Departamento Suporte',
    );
    expect(describeStep({ type: 'open_attendance', target: { to: 'agent', agent: 'u-1' } }, names)).toBe(
      'Agente Bruno',
    );
    // A name (an imported document) shows as written.
    expect(describeStep({ type: 'agents_online', department: 'Vendas', yes: 'a', no: 'b' }, names)).toBe(
      'Há agente online em Vendas?',
    );
  });

  it('names types and durations, and counts runs', () => {
    expect(typeLabel('open_attendance')).toBe('Abrir atendimento');
    expect(typeLabel('proxima')).toBe('Desconhecido');
    expect(durationLabel(90)).toBe('90 s');
    expect(durationLabel(300)).toBe('5 min');
    expect(runsLine({ active: 3, ended: 5, failed: 0 })).toBe('3 aguardando · 5 pararam aqui');
    expect(runsLine({ active: 0, ended: 0, failed: 1 })).toBe('1 com falha');
    expect(runsLine(null)).toBe('');
    // A broken step (saved through the API) is drawn without a summary.
    expect(describeStep({ type: 'condition', rules: 'x' } as never)).toBe('');
  });
});
