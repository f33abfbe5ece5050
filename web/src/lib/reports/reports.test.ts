import { describe, expect, it } from 'vitest';
import { ptBR } from '../i18n/pt-BR';
import {
  addDays,
  appendTickets,
  chooseInbox,
  type Inbox,
  kindHasPeriod,
  nextTicketsCursor,
  type Ticket,
  TICKETS_PAGE,
  changedStatus,
  dateIn,
  defaultPeriod,
  formatDay,
  formatSize,
  isDate,
  isReportKind,
  KIND_LABEL,
  nextExpiryDelay,
  MAX_RANGE_DAYS,
  periodProblem,
  rangeProblem,
  rangeTooLong,
  POLL_MS,
  pollTargets,
  preselect,
  type Report,
  REPORT_KINDS,
  reportView,
  updatedReportIds,
  upsert,
} from './reports';

/** The server's sentences (crates/server/src/reports.rs, seed 000). */
const PROCESSING = 'O histórico está sendo processado e em breve estará disponível';
const READY = 'Baixar histórico completo do contato';
const EXPIRED = 'O histórico completo da conversa expirou. Gere novamente para obter os dados';
const TIMEOUT = 'Tempo máximo de processamento excedido';
const ERROR = 'Ocorreu um erro durante o processamento';

const report = (id: string, over: Partial<Report> = {}): Report => ({
  id,
  kind: 'history',
  title: `Histórico completo de Ana (01/03/2026 a 31/03/2026) ${id}`,
  status: 'processing',
  message: PROCESSING,
  error_code: null,
  download_url: null,
  size: null,
  created_at: '2026-03-31T12:00:00Z',
  finished_at: null,
  expires_at: null,
  ...over,
});

describe('period', () => {
  it('defaults to the last 30 days through today, in Brasília time', () => {
    // 01:30 UTC on 1 March is still 28 February in Brasília (UTC-3).
    const now = Date.parse('2026-03-01T01:30:00Z');
    expect(dateIn(now)).toBe('2026-02-28');
    expect(dateIn(now, 'UTC')).toBe('2026-03-01');
    expect(defaultPeriod(now)).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(defaultPeriod(Date.parse('2026-03-31T15:00:00Z'), 7)).toEqual({ from: '2026-03-24', to: '2026-03-31' });
  });

  it('moves dates by calendar days across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-15', -30)).toBe('2025-12-16');
    expect(addDays('bogus', 3)).toBe('bogus');
  });

  it('reads only real YYYY-MM-DD dates', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('28/02/2026')).toBe(false);
    expect(isDate('')).toBe(false);
  });

  it('points out a period the server would refuse', () => {
    expect(periodProblem({ from: '2026-03-01', to: '2026-03-31' })).toBeNull();
    expect(periodProblem({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
    expect(periodProblem({ from: '', to: '2026-03-31' })).toBe('reports.periodMissing');
    expect(periodProblem({ from: '2026-02-31', to: '2026-03-31' })).toBe('reports.periodFormat');
    expect(periodProblem({ from: '2026-04-01', to: '2026-03-31' })).toBe('reports.periodOrder');
  });
});

describe('the spreadsheet reports’ range (RP-2, RP-3)', () => {
  /** The server's sentences (crates/server/src/reports/sessions.rs). */
  const RANGE_TOO_LONG = 'O intervalo de tempo não pode ultrapassar 31 dias.';
  const RANGE_INCOMPLETE = 'Informe o início e o fim do intervalo de tempo.';

  it('allows at most 31 days, both ends included', () => {
    expect(MAX_RANGE_DAYS).toBe(31);
    expect(rangeTooLong('2026-03-01', '2026-03-31')).toBe(false);
    expect(rangeTooLong('2026-03-01', '2026-04-01')).toBe(true);
    expect(rangeTooLong('2026-02-01', '2026-03-03')).toBe(false);
    expect(rangeTooLong('2026-02-01', '2026-03-04')).toBe(true);
    // Seed 003's example: "01/05/2025 a 31/05/2025".
    expect(rangeProblem('2025-05-01', '2025-05-31')).toBeNull();
    expect(rangeProblem('2025-05-01', '2025-06-01')).toBe('reports.conv.rangeTooLong');
    expect(ptBR['reports.conv.rangeTooLong']).toBe(RANGE_TOO_LONG);
  });

  it('wants both ends, real dates, in order', () => {
    expect(rangeProblem('', '2026-03-01')).toBe('reports.conv.rangeIncomplete');
    expect(rangeProblem('2026-03-01', ' ')).toBe('reports.conv.rangeIncomplete');
    expect(ptBR['reports.conv.rangeIncomplete']).toBe(RANGE_INCOMPLETE);
    expect(rangeProblem('2026-02-30', '2026-03-01')).toBe('reports.periodFormat');
    expect(rangeProblem('2026-03-10', '2026-03-01')).toBe('reports.conv.rangeOrder');
    expect(rangeProblem(' 2026-03-01 ', '2026-03-01')).toBeNull();
  });

  it('writes a day as people read it', () => {
    expect(formatDay('2025-10-07', 'pt-BR')).toBe('07/10/2025');
    expect(formatDay('2025-10-07', 'en')).toBe('10/7/25');
    expect(formatDay('not a day', 'pt-BR')).toBe('not a day');
  });
});

describe('report kinds', () => {
  it('offers the full conversation history, each kind with its label', () => {
    expect(REPORT_KINDS).toEqual(['history', 'ticket', 'conversations', 'agile']);
    for (const k of REPORT_KINDS) expect(KIND_LABEL[k]).toMatch(/^reports\.kind\./);
    expect(isReportKind('history')).toBe(true);
    expect(isReportKind('ticket')).toBe(true);
    expect(isReportKind('conversations')).toBe(true);
    expect(isReportKind('agile')).toBe(true);
    expect(isReportKind('sales')).toBe(false);
  });
});

describe('labels', () => {
  it("keep seed 000's words for the page and its steps", () => {
    expect(ptBR['reports.title']).toBe('Gerenciador de relatórios');
    expect(ptBR['reports.kind.history']).toBe('Histórico completo de conversa');
    expect(ptBR['reports.generate']).toBe('Gerar relatório');
    expect(ptBR['reports.search']).toBe('Nome, e-mail, telefone ou ID do contato');
    expect(ptBR['reports.includeInternal']).toBe('Incluir notas internas');
  });
});

describe('candidates', () => {
  it('preselects the only contact found, none of several', () => {
    expect(preselect([{ id: 'c1', name: 'Ana' }])).toBe('c1');
    expect(preselect([{ id: 'c1', name: 'Ana' }, { id: 'c2', name: 'Ana Paula' }])).toBeNull();
    expect(preselect([])).toBeNull();
  });
});

describe('status view', () => {
  it("shows the server's sentence for each status, and the download only while ready", () => {
    const processing = reportView(report('1'));
    expect(processing).toMatchObject({ tone: 'processing', message: PROCESSING, downloadUrl: null });

    const ready = reportView(
      report('2', { status: 'ready', message: READY, download_url: '/api/v1/reports/2/download', size: 4096 }),
    );
    expect(ready).toMatchObject({ tone: 'ready', message: READY, downloadUrl: '/api/v1/reports/2/download' });

    const expired = reportView(report('3', { status: 'expired', message: EXPIRED }));
    expect(expired).toMatchObject({ tone: 'expired', message: EXPIRED, downloadUrl: null, hint: 'reports.hint.expired' });
  });

  it('gives each failure its guidance', () => {
    const timeout = reportView(report('4', { status: 'failed', message: TIMEOUT, error_code: 'processing_timeout' }));
    expect(timeout).toMatchObject({ tone: 'failed', message: TIMEOUT, hint: 'reports.hint.timeout' });
    const error = reportView(report('5', { status: 'failed', message: ERROR, error_code: 'processing_error' }));
    expect(error.hint).toBe('reports.hint.error');
    expect(reportView(report('6', { status: 'failed', error_code: 'no_conversation_found' })).hint).toBe(
      'reports.hint.noConversation',
    );
    // A ticket's PDF (RP-4) has no period to shorten nor a search to redo.
    expect(
      reportView(report('8', { kind: 'ticket', status: 'failed', error_code: 'processing_timeout' })).hint,
    ).toBe('reports.hint.ticketTimeout');
    expect(
      reportView(report('9', { kind: 'ticket', status: 'failed', error_code: 'no_conversation_found' })).hint,
    ).toBe('reports.hint.ticketNoConversation');
    // A session's PDF and the conversations export (RP-2) guide to where they are made again.
    expect(reportView(report('10', { kind: 'session', status: 'expired' })).hint).toBe('reports.hint.sessionExpired');
    expect(
      reportView(report('11', { kind: 'session', status: 'failed', error_code: 'no_conversation_found' })).hint,
    ).toBe('reports.hint.sessionNoConversation');
    expect(reportView(report('12', { kind: 'conversations' })).hint).toBe('reports.hint.exportProcessing');
    expect(reportView(report('13', { kind: 'conversations', status: 'ready' })).hint).toBe('reports.hint.exportReady');
    expect(
      reportView(report('14', { kind: 'conversations', status: 'failed', error_code: 'processing_timeout' })).hint,
    ).toBe('reports.hint.exportTimeout');
    // The Fluxo Ágil export (RP-3) guides back to its own report.
    expect(reportView(report('16', { kind: 'agile' })).hint).toBe('reports.hint.agileProcessing');
    expect(reportView(report('17', { kind: 'agile', status: 'ready' })).hint).toBe('reports.hint.exportReady');
    expect(reportView(report('18', { kind: 'agile', status: 'expired' })).hint).toBe('reports.hint.agileExpired');
    expect(
      reportView(report('19', { kind: 'agile', status: 'failed', error_code: 'processing_timeout' })).hint,
    ).toBe('reports.hint.agileTimeout');
    // A kind this page does not know yet reads as the full history's.
    expect(reportView(report('15', { kind: 'sales', status: 'expired' })).hint).toBe('reports.hint.expired');
    // A status this page does not know yet reads as a failure, its message as sent.
    expect(reportView(report('7', { status: 'weird', message: 'x' }))).toMatchObject({ tone: 'failed', message: 'x' });
  });
});

describe('following the list', () => {
  it('polls only the reports still processing', () => {
    const list = [
      report('a'),
      report('b', { status: 'ready', message: READY }),
      report('c'),
      report('d', { status: 'failed' }),
    ];
    expect(pollTargets(list)).toEqual(['a', 'c']);
    expect(pollTargets([report('b', { status: 'expired' })])).toEqual([]);
  });

  it('puts a new report at the top and replaces a known one in place', () => {
    const older = report('old', { created_at: '2026-03-30T10:00:00Z' });
    const newer = report('new', { created_at: '2026-03-31T10:00:00Z' });
    let list = upsert([older], newer);
    expect(list.map((r) => r.id)).toEqual(['new', 'old']);
    list = upsert(list, { ...older, status: 'ready', message: READY });
    expect(list.map((r) => [r.id, r.status])).toEqual([
      ['new', 'processing'],
      ['old', 'ready'],
    ]);
  });

  it('finds the reports whose status changed, for announcing', () => {
    const before = [report('a'), report('b')];
    const after = [report('a', { status: 'ready', message: READY }), report('b'), report('c')];
    expect(changedStatus(before, after).map((r) => r.id)).toEqual(['a']);
  });

  it('reads the report ids of `report.updated` events, once each', () => {
    const events = [
      { kind: 'message.created', payload: { report_id: 'x' } },
      { kind: 'report.updated', payload: { report_id: 'a', status: 'ready' } },
      { kind: 'report.updated', payload: { report_id: 'a', status: 'ready' } },
      { kind: 'report.updated', payload: { status: 'failed' } },
      { kind: 'report.updated', payload: null },
      { kind: 'report.updated', payload: { report_id: 'b', status: 'failed' } },
    ];
    expect(updatedReportIds(events)).toEqual(['a', 'b']);
  });

  it('asks again when the first ready download expires', () => {
    const now = Date.parse('2026-03-31T12:00:00Z');
    const ready = (id: string, expires: string) => report(id, { status: 'ready', message: READY, expires_at: expires });
    expect(nextExpiryDelay([report('a')], now)).toBeNull();
    expect(nextExpiryDelay([ready('a', '2026-04-01T12:00:00Z'), ready('b', '2026-03-31T13:00:00Z')], now)).toBe(
      3_600_000 + 1_000,
    );
    // Expired ones are not waited for; one overdue is asked for at the poll's pace.
    expect(nextExpiryDelay([report('c', { status: 'expired', expires_at: '2026-03-30T00:00:00Z' })], now)).toBeNull();
    expect(nextExpiryDelay([ready('d', '2026-03-31T11:00:00Z')], now)).toBe(POLL_MS);
  });
});

describe('formatSize', () => {
  it('uses the units people read', () => {
    expect(formatSize(820, 'pt-BR')).toBe('820 B');
    expect(formatSize(1536, 'pt-BR')).toBe('1,5 KB');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
    expect(formatSize(48 * 1024, 'pt-BR')).toBe('48 KB');
    expect(formatSize(1.25 * 1024 * 1024, 'pt-BR')).toBe('1,3 MB');
    expect(formatSize(-1, 'pt-BR')).toBe('');
  });
});

describe('ticket history (RP-4)', () => {
  const TICKET_PROCESSING = 'O PDF do atendimento está sendo gerado';
  const TICKET_READY = 'Baixar PDF do atendimento';
  const TICKET_EXPIRED = 'O PDF do atendimento expirou. Gere novamente para obter os dados';

  const ticket = (id: string, opened_at: string): Ticket => ({
    id,
    protocol: `2026${id}`,
    contact_id: `c${id}`,
    contact_name: `Contato ${id}`,
    contact_phone: null,
    department: null,
    agent: null,
    opened_at,
    closed_at: null,
  });
  const inbox = (id: string): Inbox => ({
    id,
    name: id,
    channel: 'whatsapp',
    chatbot_enabled: true,
    created_at: '2026-01-01T00:00:00Z',
    needs_reauth: false,
    secrets_set: [],
    settings: {},
  });

  it('has no period: the window is the last 3 months', () => {
    expect(kindHasPeriod('history')).toBe(true);
    expect(kindHasPeriod('ticket')).toBe(false);
    expect(kindHasPeriod('conversations')).toBe(false);
    expect(kindHasPeriod('agile')).toBe(false);
    expect(ptBR['reports.kind.ticket']).toBe('Histórico de atendimentos');
    expect(ptBR['reports.ticketsEmpty']).toBe('Nenhum atendimento nos últimos 3 meses');
    expect(ptBR['reports.ticketWindowHint']).toMatch(/últimos 3 meses/);
  });

  it('pages by the last row’s opening, until a page comes short', () => {
    const full = Array.from({ length: TICKETS_PAGE }, (_, i) =>
      ticket(String(i), new Date(Date.UTC(2026, 2, 31) - i * 60_000).toISOString()),
    );
    const last = full[full.length - 1];
    expect(nextTicketsCursor(full)).toEqual({ before: last?.opened_at, before_id: last?.id });
    expect(nextTicketsCursor(full.slice(0, 3))).toBeNull();
    expect(nextTicketsCursor([])).toBeNull();
    expect(nextTicketsCursor([ticket('a', '2026-03-01T00:00:00Z')], 1)).toEqual({
      before: '2026-03-01T00:00:00Z',
      before_id: 'a',
    });
  });

  it('appends the next page without repeating a row', () => {
    const a = ticket('a', '2026-03-03T00:00:00Z');
    const b = ticket('b', '2026-03-02T00:00:00Z');
    const c = ticket('c', '2026-03-01T00:00:00Z');
    expect(appendTickets([a, b], [b, c]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(appendTickets([], [a]).map((x) => x.id)).toEqual(['a']);
  });

  it('keeps the chosen inbox while it exists, else the first', () => {
    const list = [inbox('i1'), inbox('i2')];
    expect(chooseInbox(list, null)).toBe('i1');
    expect(chooseInbox(list, 'i2')).toBe('i2');
    expect(chooseInbox(list, 'gone')).toBe('i1');
    expect(chooseInbox([], 'i1')).toBeNull();
  });

  it("shows the ticket PDF's sentences as the server sends them", () => {
    const base = { kind: 'ticket', title: 'Atendimento 2026001 — Ana' };
    expect(reportView(report('t1', { ...base, message: TICKET_PROCESSING }))).toMatchObject({
      tone: 'processing',
      message: TICKET_PROCESSING,
    });
    expect(
      reportView(
        report('t2', { ...base, status: 'ready', message: TICKET_READY, download_url: '/api/v1/reports/t2/download' }),
      ),
    ).toMatchObject({ tone: 'ready', message: TICKET_READY, downloadUrl: '/api/v1/reports/t2/download' });
    expect(reportView(report('t3', { ...base, status: 'expired', message: TICKET_EXPIRED }))).toMatchObject({
      tone: 'expired',
      message: TICKET_EXPIRED,
      hint: 'reports.hint.ticketExpired',
      downloadUrl: null,
    });
  });
});
