import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import {
  AGILE_PAGE,
  type AgileFilter,
  agileProblem,
  agileQuery,
  type AgileRow,
  defaultAgileFilter,
  keepOffered,
  nextOffset,
  noOptions,
  pageSpan,
  periodOf,
  previousOffset,
  rowKey,
  rowMessagesQuery,
} from './agile';

/** The server's sentences (crates/server/src/reports/sessions.rs), which the bar's checks repeat. */
const RANGE_TOO_LONG = 'O intervalo de tempo não pode ultrapassar 31 dias.';
const RANGE_INCOMPLETE = 'Informe o início e o fim do intervalo de tempo.';

const filter = (over: Partial<AgileFilter> = {}): AgileFilter => ({
  from: '2025-05-01',
  to: '2025-05-31',
  client: '',
  campaign: '',
  batch: '',
  ...over,
});

const row = (over: Partial<AgileRow> = {}): AgileRow => ({
  batch: 'Lote 1',
  client: 'Cliente A',
  contact_id: 'c1',
  name: 'Ana Souza',
  document: '123.456.789-09',
  phone: '+5511999990000',
  phone_display: '+55 11 99999-0000',
  email: 'ana@example.com',
  flow_id: 'f1',
  flow_name: 'Cobrança',
  conversations: 2,
  messages: 7,
  last_started_at: '2025-05-20T12:00:00Z',
  ...over,
});

describe('the bar as it opens', () => {
  it('shows the last 31 days through today, in Brasília time, and every client, campaign and batch', () => {
    // 2025-06-01 01:00 UTC is still May 31st in Brasília.
    const f = defaultAgileFilter(Date.UTC(2025, 5, 1, 1, 0));
    expect(f).toEqual({ from: '2025-05-01', to: '2025-05-31', client: '', campaign: '', batch: '' });
    expect(agileProblem(f)).toBeNull();
  });
});

describe('filters → API', () => {
  it('sends the period and only the lists chosen, trimmed, under the names the API reads', () => {
    expect(agileQuery(filter())).toEqual({ from: '2025-05-01', to: '2025-05-31' });
    expect(agileQuery(filter({ client: ' Cliente A ', campaign: 'k1', batch: 'Lote 1' }))).toEqual({
      from: '2025-05-01',
      to: '2025-05-31',
      client: 'Cliente A',
      campaign_id: 'k1',
      batch: 'Lote 1',
    });
    expect(agileQuery(filter({ from: ' ', to: '', client: ' ' }))).toEqual({});
  });

  it('asks for the options of the period alone', () => {
    expect(periodOf(filter({ from: ' 2025-05-01', client: 'x' }))).toEqual({ from: '2025-05-01', to: '2025-05-31' });
  });

  it("asks for a row's history with its search's filters, narrowed to the row", () => {
    const applied = filter({ campaign: 'k1' });
    expect(rowMessagesQuery(applied, row())).toEqual({
      from: '2025-05-01',
      to: '2025-05-31',
      campaign_id: 'k1',
      client: 'Cliente A',
      batch: 'Lote 1',
      contact_id: 'c1',
      flow_id: 'f1',
    });
    // A row without batch or client keeps the search's (there is no "none" to ask for).
    expect(rowMessagesQuery(filter({ batch: 'Lote 2' }), row({ batch: null, client: null }))).toEqual({
      from: '2025-05-01',
      to: '2025-05-31',
      batch: 'Lote 2',
      contact_id: 'c1',
      flow_id: 'f1',
    });
  });
});

describe('the period, checked before asking the server', () => {
  it('takes seed 003’s example, 01/05/2025 a 31/05/2025', () => {
    expect(agileProblem(filter())).toBeNull();
  });

  it('refuses more than 31 days with the server’s sentence', () => {
    const p = agileProblem(filter({ from: '2025-05-01', to: '2025-06-01' }));
    expect(p).toBe('reports.conv.rangeTooLong');
    expect(ptBR[p!]).toBe(RANGE_TOO_LONG);
  });

  it('wants both ends, real dates, in order', () => {
    const p = agileProblem(filter({ from: '' }));
    expect(p).toBe('reports.conv.rangeIncomplete');
    expect(ptBR[p!]).toBe(RANGE_INCOMPLETE);
    expect(agileProblem(filter({ to: '' }))).toBe('reports.conv.rangeIncomplete');
    expect(agileProblem(filter({ from: '2025-02-30', to: '2025-03-01' }))).toBe('reports.periodFormat');
    expect(agileProblem(filter({ from: '2025-05-31', to: '2025-05-01' }))).toBe('reports.conv.rangeOrder');
  });
});

describe("the lists' choices when the period changes", () => {
  const options = {
    clients: ['Cliente A'],
    campaigns: [{ id: 'k1', name: 'Black Friday' }],
    batches: ['Lote 1', 'Lote 2'],
  };

  it('keep what the period still offers', () => {
    expect(keepOffered({ client: 'Cliente A', campaign: 'k1', batch: 'Lote 2' }, options)).toEqual({
      client: 'Cliente A',
      campaign: 'k1',
      batch: 'Lote 2',
    });
  });

  it('go back to "Todos" for what it does not', () => {
    expect(keepOffered({ client: 'Cliente B', campaign: 'k2', batch: 'Lote 1' }, options)).toEqual({
      client: '',
      campaign: '',
      batch: 'Lote 1',
    });
    expect(keepOffered({ client: 'Cliente A', campaign: 'k1', batch: 'Lote 1' }, noOptions())).toEqual({
      client: '',
      campaign: '',
      batch: '',
    });
    expect(keepOffered({ client: '', campaign: '', batch: '' }, options)).toEqual({
      client: '',
      campaign: '',
      batch: '',
    });
  });
});

describe('pages', () => {
  it('say which rows are shown of how many', () => {
    expect(AGILE_PAGE).toBe(50);
    expect(pageSpan(0, 50, 132)).toEqual({ first: 1, last: 50, total: 132 });
    expect(pageSpan(100, 32, 132)).toEqual({ first: 101, last: 132, total: 132 });
    expect(pageSpan(0, 0, 0)).toBeNull();
    // Rows that arrived since the count never read "51–60 of 55".
    expect(pageSpan(50, 10, 55)).toEqual({ first: 51, last: 60, total: 60 });
    expect(ptBR['reports.agile.range']).toBe('{first}–{last} de {total}');
  });

  it('go back a page down to the first, and on until the last', () => {
    expect(previousOffset(0)).toBeNull();
    expect(previousOffset(50)).toBe(0);
    expect(previousOffset(120)).toBe(70);
    expect(previousOffset(20)).toBe(0);
    expect(nextOffset(0, 50, 132)).toBe(50);
    expect(nextOffset(100, 32, 132)).toBeNull();
    expect(nextOffset(0, 50, 50)).toBeNull();
    expect(nextOffset(0, 0, 10)).toBeNull();
  });

  it('key rows by batch, client, contact and flow', () => {
    const keys = [
      row(),
      row({ batch: null }),
      row({ client: null }),
      row({ flow_id: 'f2' }),
      row({ contact_id: 'c2' }),
    ].map(rowKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rowKey(row())).toBe(rowKey(row({ name: 'Outro nome', messages: 1 })));
  });
});

describe('labels', () => {
  it("keep seed 003's words", () => {
    expect(ptBR['reports.kind.agile']).toBe('Relatório Fluxo Ágil');
    expect(ptBR['reports.kind.agileHint']).toContain(
      'dados analíticos sobre os contatos que interagiram com bots em diferentes canais. Esse relatório serve para acompanhamento de fluxos, validação de interações e análise de performance por lote, cliente e campanha.',
    );
    expect(ptBR['reports.period']).toBe('Período');
    expect(ptBR['reports.searchButton']).toBe('Buscar');
    expect(ptBR['reports.export']).toBe('Exportar');
    expect(
      (['batch', 'name', 'document', 'phone', 'email', 'flow', 'conversations', 'messages', 'action'] as const).map(
        (c) => ptBR[`reports.agile.col.${c}`],
      ),
    ).toEqual(['Lote', 'Nome', 'CPF/CNPJ', 'Telefone', 'Email', 'Fluxo', 'Conversas', 'Mensagens', 'Ação']);
    expect(ptBR['reports.agile.history']).toBe('Ver histórico com o bot de {name}');
    expect(en['reports.agile.history']).toBe('See the history with the bot of {name}');
  });
});
