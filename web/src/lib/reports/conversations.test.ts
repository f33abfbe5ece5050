import { describe, expect, it } from 'vitest';
import { ptBR } from '../i18n/pt-BR';
import {
  appendUnique,
  chipId,
  type ConversationFilter,
  copyFilter,
  emptyFilter,
  filterChips,
  filterProblems,
  filterQuery,
  firstProblem,
  isProtocol,
  isSessionId,
  parseTagNames,
  withoutChip,
} from './conversations';

/** The server's sentences (crates/server/src/reports/sessions.rs), which the form's checks repeat. */
const RANGE_TOO_LONG = 'O intervalo de tempo não pode ultrapassar 31 dias.';
const RANGE_INCOMPLETE = 'Informe o início e o fim do intervalo de tempo.';
const INVALID_PROTOCOL =
  'Protocolo inválido: os protocolos têm 17 números, começando pela data (AAAAMMDD). Exemplo: 20251007092633646.';
const INVALID_SESSION =
  'Sessão inválida: informe o código da sessão, por exemplo c639c747-4637-4ff5-99c0-9f0e86d3c21b.';
const FIELD_WITHOUT_OPERATION = 'Escolha a operação e a informação adicional juntas.';
const VALUE_REQUIRED = 'Informe o valor a comparar com a informação adicional.';

const filter = (over: Partial<ConversationFilter> = {}): ConversationFilter => ({ ...emptyFilter(), ...over });

describe('filter → API', () => {
  it('sends nothing for no filter (the server then shows the last 31 days)', () => {
    expect(filterQuery(emptyFilter())).toEqual({});
    expect(filterQuery(filter({ contact: '  ', tags: [' '] }))).toEqual({});
  });

  it('sends every value given, trimmed, under the names the API reads', () => {
    const q = filterQuery(
      filter({
        from: '2026-03-01',
        to: '2026-03-31',
        session: ' c639c747-4637-4ff5-99c0-9f0e86d3c21b ',
        protocol: '20251007092633646',
        tags: ['t1', ' t2 ', ''],
        field: 'NAO_TRANSBORDADA',
        op: 'equals',
        value: ' sim ',
        channel: 'whatsapp',
        inbox: 'i1',
        contact: ' Ana ',
      }),
    );
    expect(q).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      session_id: 'c639c747-4637-4ff5-99c0-9f0e86d3c21b',
      protocol: '20251007092633646',
      tags: 't1,t2',
      field: 'NAO_TRANSBORDADA',
      op: 'equals',
      value: 'sim',
      channel: 'whatsapp',
      inbox_id: 'i1',
      contact: 'Ana',
    });
  });

  it('leaves the value out for "Existe"', () => {
    expect(filterQuery(filter({ field: 'NAO_TRANSBORDADA', op: 'exists', value: 'x' }))).toEqual({
      field: 'NAO_TRANSBORDADA',
      op: 'exists',
    });
  });

  it('copies a filter without sharing its tags', () => {
    const a = filter({ tags: ['t1'] });
    const b = copyFilter(a);
    b.tags.push('t2');
    expect(a.tags).toEqual(['t1']);
  });
});

describe('checks before asking the server', () => {
  it('say nothing of a filter the server takes', () => {
    expect(filterProblems(emptyFilter())).toEqual({});
    expect(
      filterProblems(
        filter({
          from: '2026-03-01',
          to: '2026-03-31',
          session: 'c639c747-4637-4ff5-99c0-9f0e86d3c21b',
          protocol: '20251007092633646',
          field: 'NAO_TRANSBORDADA',
          op: 'exists',
        }),
      ),
    ).toEqual({});
  });

  it('allow at most 31 days, both ends included', () => {
    expect(filterProblems(filter({ from: '2026-03-01', to: '2026-03-31' }))).toEqual({});
    // Forty days: refused with the server's sentence.
    const p = filterProblems(filter({ from: '2026-01-01', to: '2026-02-09' }));
    expect(p).toEqual({ period: 'reports.conv.rangeTooLong' });
    expect(ptBR[p.period!]).toBe(RANGE_TOO_LONG);
  });

  it('want both ends of the range, in order', () => {
    expect(filterProblems(filter({ from: '2026-03-01' })).period).toBe('reports.conv.rangeIncomplete');
    expect(filterProblems(filter({ to: '2026-03-01' })).period).toBe('reports.conv.rangeIncomplete');
    expect(ptBR['reports.conv.rangeIncomplete']).toBe(RANGE_INCOMPLETE);
    expect(filterProblems(filter({ from: '2026-03-10', to: '2026-03-01' })).period).toBe('reports.conv.rangeOrder');
    expect(filterProblems(filter({ from: '2026-02-30', to: '2026-03-01' })).period).toBe('reports.periodFormat');
  });

  it('read a protocol as 17 digits starting with a real date', () => {
    expect(isProtocol('20251007092633646')).toBe(true);
    expect(isProtocol(' 20251007092633646 ')).toBe(true);
    expect(isProtocol('2025100709263364')).toBe(false);
    expect(isProtocol('202510070926336460')).toBe(false);
    expect(isProtocol('2025100709263364a')).toBe(false);
    expect(isProtocol('20251307092633646')).toBe(false);
    expect(isProtocol('20251007000000000')).toBe(false);
    const p = filterProblems(filter({ protocol: '123' }));
    expect(p).toEqual({ protocol: 'reports.conv.invalidProtocol' });
    expect(ptBR[p.protocol!]).toBe(INVALID_PROTOCOL);
  });

  it('read a session as a UUID', () => {
    expect(isSessionId('c639c747-4637-4ff5-99c0-9f0e86d3c21b')).toBe(true);
    expect(isSessionId('C639C747-4637-4FF5-99C0-9F0E86D3C21B')).toBe(true);
    expect(isSessionId('c639c74746374ff599c09f0e86d3c21b')).toBe(true);
    expect(isSessionId('{c639c747-4637-4ff5-99c0-9f0e86d3c21b}')).toBe(true);
    expect(isSessionId('urn:uuid:c639c747-4637-4ff5-99c0-9f0e86d3c21b')).toBe(true);
    expect(isSessionId('c639c747-4637-4ff5-99c0')).toBe(false);
    expect(isSessionId('c639c747-4637-4ff5-99c0-9f0e86d3c21z')).toBe(false);
    const p = filterProblems(filter({ session: 'abc' }));
    expect(p).toEqual({ session: 'reports.conv.invalidSession' });
    expect(ptBR[p.session!]).toBe(INVALID_SESSION);
  });

  it('want the additional information and its operation together, and a value unless "Existe"', () => {
    expect(filterProblems(filter({ field: 'NAO_TRANSBORDADA' })).field).toBe('reports.conv.fieldWithoutOperation');
    expect(filterProblems(filter({ op: 'contains' })).field).toBe('reports.conv.fieldWithoutOperation');
    expect(ptBR['reports.conv.fieldWithoutOperation']).toBe(FIELD_WITHOUT_OPERATION);
    expect(filterProblems(filter({ field: 'NAO_TRANSBORDADA', op: 'contains', value: ' ' }))).toEqual({
      value: 'reports.conv.valueRequired',
    });
    expect(ptBR['reports.conv.valueRequired']).toBe(VALUE_REQUIRED);
    expect(filterProblems(filter({ field: 'NAO_TRANSBORDADA', op: 'not_equals', value: 'sim' }))).toEqual({});
  });

  it('point at the first part of the form with a problem', () => {
    expect(firstProblem({})).toBeNull();
    expect(firstProblem({ value: 'reports.conv.valueRequired', protocol: 'reports.conv.invalidProtocol' })).toBe(
      'protocol',
    );
  });
});

describe('tags typed by name', () => {
  it('splits by commas, without blanks or repeats', () => {
    expect(parseTagNames(' Vip, reclamação ,, vip ,Novo')).toEqual(['Vip', 'reclamação', 'Novo']);
    expect(parseTagNames('')).toEqual([]);
  });
});

describe('active filters as chips', () => {
  const f = filter({
    from: '2026-03-01',
    to: '2026-03-31',
    protocol: '20251007092633646',
    tags: ['t1', 't2'],
    field: 'NAO_TRANSBORDADA',
    op: 'exists',
    value: 'ignored',
    channel: 'widget',
    contact: 'Ana',
  });

  it('lists each active filter, one chip per tag', () => {
    expect(filterChips(f)).toEqual([
      { key: 'period', from: '2026-03-01', to: '2026-03-31' },
      { key: 'protocol', value: '20251007092633646' },
      { key: 'tag', tag: 't1' },
      { key: 'tag', tag: 't2' },
      { key: 'field', field: 'NAO_TRANSBORDADA', op: 'exists', value: '' },
      { key: 'channel', channel: 'widget' },
      { key: 'contact', value: 'Ana' },
    ]);
    expect(filterChips(emptyFilter())).toEqual([]);
    expect(new Set(filterChips(f).map(chipId)).size).toBe(filterChips(f).length);
  });

  it('removes only the filter of the chip', () => {
    const chips = filterChips(f);
    const noTag = withoutChip(f, chips[2]!);
    expect(noTag.tags).toEqual(['t2']);
    expect(f.tags).toEqual(['t1', 't2']);
    const noPeriod = withoutChip(f, chips[0]!);
    expect([noPeriod.from, noPeriod.to]).toEqual(['', '']);
    expect(noPeriod.protocol).toBe('20251007092633646');
    const noField = withoutChip(f, chips[4]!);
    expect([noField.field, noField.op, noField.value]).toEqual(['', '', '']);
    const bare = chips.reduce(withoutChip, f);
    expect(filterQuery(bare)).toEqual({});
  });
});

describe('pages', () => {
  it('append without repeating a row', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const c = { id: 'c' };
    expect(appendUnique([a, b], [b, c]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(appendUnique([], [a])).toEqual([a]);
  });
});

describe('labels', () => {
  it("keep seed 001's words", () => {
    expect(ptBR['reports.kind.conversationsHint']).toBe(
      'Pesquise os atendimentos do digital, humanos e do atendente virtual, filtrando por critérios personalizados e exportando conversas completas.',
    );
    expect(ptBR['reports.conv.range']).toBe('Intervalo de tempo');
    expect(ptBR['reports.conv.session']).toBe('Sessão');
    expect(ptBR['reports.conv.protocol']).toBe('Protocolo');
    expect(ptBR['reports.conv.tags']).toBe('Etiquetas');
    expect(ptBR['reports.conv.op']).toBe('Operação');
    expect(ptBR['reports.conv.field']).toBe('Informações Adicionais');
    expect(ptBR['reports.conv.channel']).toBe('Canais');
    expect(ptBR['reports.conv.col.session']).toBe('Sessão');
    expect(ptBR['reports.conv.col.date']).toBe('Data');
    expect(ptBR['reports.conv.col.action']).toBe('Ação');
    expect(
      ['contains', 'not_contains', 'equals', 'not_equals', 'exists'].map(
        (op) => ptBR[`reports.conv.op.${op}` as keyof typeof ptBR],
      ),
    ).toEqual(['Contém', 'Não contém', 'Igual a', 'Diferente de', 'Existe']);
    expect(ptBR['reports.conv.channel.widget']).toBe('Webchat');
  });
});
