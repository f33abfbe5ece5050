/**
 * The report manager's logic (RP-1), free of the DOM and of the API so it is
 * unit-tested: the default period, the kinds of report offered, what a
 * report's row shows for its status, and when to poll or refresh.
 *
 * The server words every status and error in pt-BR, as seed 000 quotes them
 * ("O histórico está sendo processado e em breve estará disponível", …);
 * the page shows those texts as sent, never a copy of its own.
 */
import type { components } from '../../api/schema';
import type { MessageKey } from '../i18n/catalog';

/** A report as the API has them (`ReportOut`). */
export type Report = components['schemas']['ReportOut'];

/** A contact a history search found (`CandidateOut`). */
export type Candidate = components['schemas']['CandidateOut'];

/** An attendance of the ticket history (`TicketOut`, RP-4). */
export type Ticket = components['schemas']['TicketOut'];

/** An inbox (bot/number) the ticket history is chosen by (`InboxOut`). */
export type Inbox = components['schemas']['InboxOut'];

/**
 * The kinds of report the manager offers, in the order of its select:
 * "Histórico completo de conversa" (RP-1), "Histórico de atendimentos"
 * (RP-4), "Relatório de conversas" (RP-2) and "Relatório Fluxo Ágil"
 * (RP-3). Other kinds add theirs here (and their form to the page).
 */
export const REPORT_KINDS = ['history', 'ticket', 'conversations', 'agile'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const KIND_LABEL: Record<ReportKind, MessageKey> = {
  history: 'reports.kind.history',
  ticket: 'reports.kind.ticket',
  conversations: 'reports.kind.conversations',
  agile: 'reports.kind.agile',
};

/**
 * Whether a kind's form asks for a period (the ticket history is fixed to
 * the last 3 months; the conversations report has its own "Intervalo de
 * tempo" among its filters, the Fluxo Ágil report its own "Período").
 */
export function kindHasPeriod(kind: ReportKind): boolean {
  return kind === 'history';
}

export function isReportKind(v: unknown): v is ReportKind {
  return typeof v === 'string' && (REPORT_KINDS as readonly string[]).includes(v);
}

/** The server reads dates without a time as whole days in Brasília time. */
export const REPORT_TIME_ZONE = 'America/Sao_Paulo';
/** The default period: this many days before today, through today. */
export const DEFAULT_DAYS = 30;
/** How often a processing report is asked for when no event told us it finished. */
export const POLL_MS = 2_000;

/** `YYYY-MM-DD` of the instant `ms` in `timeZone`. */
export function dateIn(ms: number, timeZone: string = REPORT_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) return date;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return at.toISOString().slice(0, 10);
}

export interface Period {
  from: string;
  to: string;
}

/** The last `days` days through today (in the server's time zone). */
export function defaultPeriod(now: number, days: number = DEFAULT_DAYS, timeZone: string = REPORT_TIME_ZONE): Period {
  const to = dateIn(now, timeZone);
  return { from: addDays(to, -days), to };
}

/**
 * What is wrong with a period before asking the server (which checks it
 * again, in its own words): a missing or unreadable date, or the start after
 * the end. Null when it can be sent.
 */
export function periodProblem(p: Period): MessageKey | null {
  if (!p.from || !p.to) return 'reports.periodMissing';
  if (!isDate(p.from) || !isDate(p.to)) return 'reports.periodFormat';
  if (p.from > p.to) return 'reports.periodOrder';
  return null;
}

/** The longest period the spreadsheet reports search, both ends included (seeds 001 and 003: 31 days). */
export const MAX_RANGE_DAYS = 31;

/** Whether a period (both ends included) is longer than the reports search. */
export function rangeTooLong(from: string, to: string, days: number = MAX_RANGE_DAYS): boolean {
  return addDays(from, days - 1) < to;
}

/**
 * What the server would refuse in the period of the conversations (RP-2)
 * and Fluxo Ágil (RP-3) reports, in its own words
 * (crates/server/src/reports/sessions.rs, which both use): a missing end,
 * an unreadable date, the start after the end, more than 31 days. Null when
 * it can be sent; the server checks again, and its answer is shown too.
 */
export function rangeProblem(from: string, to: string): MessageKey | null {
  const [f, t] = [from.trim(), to.trim()];
  if (!f || !t) return 'reports.conv.rangeIncomplete';
  if (!isDate(f) || !isDate(t)) return 'reports.periodFormat';
  if (f > t) return 'reports.conv.rangeOrder';
  if (rangeTooLong(f, t)) return 'reports.conv.rangeTooLong';
  return null;
}

/** A day (`YYYY-MM-DD`) as people read it in `locale` ("07/10/2025"). */
export function formatDay(date: string, locale: string): string {
  if (!isDate(date)) return date;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** The candidate to select after a search: the only one, if just one came. */
export function preselect(items: readonly Candidate[]): string | null {
  return items.length === 1 ? (items[0]?.id ?? null) : null;
}

export type Tone = 'processing' | 'ready' | 'failed' | 'expired';

/** What a report's row shows. */
export interface ReportView {
  tone: Tone;
  /** The short status label (ours, translated). */
  label: MessageKey;
  /** The server's sentence for this status, word for word. */
  message: string;
  /** Guidance for the tooltip and, when something went wrong, under the message. */
  hint: MessageKey;
  /** Where the file downloads from (only while ready). */
  downloadUrl: string | null;
}

/** The guidance a kind of report gives for each status, and for its failures by error code. */
interface KindHints {
  processing: MessageKey;
  ready: MessageKey;
  expired: MessageKey;
  failed: Record<string, MessageKey>;
}

/** The full history (RP-1), and any kind without hints of its own. */
const HISTORY_HINTS: KindHints = {
  processing: 'reports.hint.processing',
  ready: 'reports.hint.ready',
  expired: 'reports.hint.expired',
  failed: {
    processing_timeout: 'reports.hint.timeout',
    no_conversation_found: 'reports.hint.noConversation',
  },
};

const KIND_HINTS: Record<string, KindHints> = {
  history: HISTORY_HINTS,
  // A ticket's PDF (RP-4) has no period to shorten nor a search to redo.
  ticket: {
    ...HISTORY_HINTS,
    expired: 'reports.hint.ticketExpired',
    failed: {
      processing_timeout: 'reports.hint.ticketTimeout',
      no_conversation_found: 'reports.hint.ticketNoConversation',
    },
  },
  // A session's PDF, from the conversations report (RP-2).
  session: {
    ...HISTORY_HINTS,
    expired: 'reports.hint.sessionExpired',
    failed: {
      processing_timeout: 'reports.hint.sessionTimeout',
      no_conversation_found: 'reports.hint.sessionNoConversation',
    },
  },
  // The conversations report's spreadsheet (CSV or XLSX).
  conversations: {
    processing: 'reports.hint.exportProcessing',
    ready: 'reports.hint.exportReady',
    expired: 'reports.hint.exportExpired',
    failed: { processing_timeout: 'reports.hint.exportTimeout' },
  },
  // The Fluxo Ágil report's spreadsheet (RP-3).
  agile: {
    processing: 'reports.hint.agileProcessing',
    ready: 'reports.hint.exportReady',
    expired: 'reports.hint.agileExpired',
    failed: { processing_timeout: 'reports.hint.agileTimeout' },
  },
};

/** The view of a report's status; an unknown status reads as failed. */
export function reportView(r: Report): ReportView {
  const hints = KIND_HINTS[r.kind] ?? HISTORY_HINTS;
  switch (r.status) {
    case 'processing':
      return {
        tone: 'processing',
        label: 'reports.status.processing',
        message: r.message,
        hint: hints.processing,
        downloadUrl: null,
      };
    case 'ready':
      return {
        tone: 'ready',
        label: 'reports.status.ready',
        message: r.message,
        hint: hints.ready,
        downloadUrl: r.download_url ?? null,
      };
    case 'expired':
      return {
        tone: 'expired',
        label: 'reports.status.expired',
        message: r.message,
        hint: hints.expired,
        downloadUrl: null,
      };
    default:
      return {
        tone: 'failed',
        label: 'reports.status.failed',
        message: r.message,
        hint: hints.failed[r.error_code ?? ''] ?? 'reports.hint.error',
        downloadUrl: null,
      };
  }
}

export function isProcessing(r: Report): boolean {
  return r.status === 'processing';
}

/** The reports to ask for on the next poll: those still processing. */
export function pollTargets(list: readonly Report[]): string[] {
  return list.filter(isProcessing).map((r) => r.id);
}

/** Newest first, as the server lists them (ties keep their order). */
function newestFirst(a: Report, b: Report): number {
  return Date.parse(b.created_at) - Date.parse(a.created_at);
}

/**
 * The list with `r` in it: replacing the report with its id, or added in
 * its place by creation time (a new one goes to the top).
 */
export function upsert(list: readonly Report[], r: Report): Report[] {
  const i = list.findIndex((x) => x.id === r.id);
  if (i >= 0) {
    const out = [...list];
    out[i] = r;
    return out;
  }
  return [r, ...list].sort(newestFirst);
}

/**
 * The reports whose status differs between two lists (the new version),
 * for announcing: a report that just finished, failed or expired.
 */
export function changedStatus(before: readonly Report[], after: readonly Report[]): Report[] {
  const old = new Map(before.map((r) => [r.id, r.status]));
  return after.filter((r) => old.has(r.id) && old.get(r.id) !== r.status);
}

/**
 * How long until the first ready report's download expires (the page asks
 * the server again then, and shows its expiry message); null when none is
 * ready. At least `POLL_MS`, and capped so a far date does not overflow timers.
 */
export function nextExpiryDelay(list: readonly Report[], now: number): number | null {
  let first: number | null = null;
  for (const r of list) {
    if (r.status !== 'ready' || !r.expires_at) continue;
    const at = Date.parse(r.expires_at);
    if (Number.isNaN(at)) continue;
    if (first === null || at < first) first = at;
  }
  if (first === null) return null;
  // A second after, so the server surely sees it expired; one overdue (the
  // server's clock behind ours) is asked for again at the poll's pace.
  return Math.min(Math.max(first - now + 1_000, POLL_MS), 2 ** 31 - 1);
}

/** The report ids a batch of realtime events says changed (`report.updated`). */
export function updatedReportIds(events: readonly { kind: string; payload?: unknown }[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.kind !== 'report.updated') continue;
    const id = (e.payload as { report_id?: unknown } | null | undefined)?.report_id;
    if (typeof id === 'string' && !out.includes(id)) out.push(id);
  }
  return out;
}

/** How many attendances the ticket history asks for at a time. */
export const TICKETS_PAGE = 50;

/**
 * The ticket list with the next page after it: the server pages by
 * `opened_at` (newest first), so a row already shown is not repeated.
 */
export function appendTickets(list: readonly Ticket[], page: readonly Ticket[]): Ticket[] {
  const seen = new Set(list.map((x) => x.id));
  return [...list, ...page.filter((x) => !seen.has(x.id))];
}

/** Where the next page of tickets starts: after the last one read, by its opening time and id. */
export interface TicketsCursor {
  before: string;
  before_id: string;
}

/** Where the page after `page` starts (its last row), or null when it was the last. */
export function nextTicketsCursor(page: readonly Ticket[], limit: number = TICKETS_PAGE): TicketsCursor | null {
  const last = page[page.length - 1];
  if (page.length < limit || !last) return null;
  return { before: last.opened_at, before_id: last.id };
}

/** The inbox to show first: the one chosen before if still there, else the first. */
export function chooseInbox(inboxes: readonly Inbox[], current: string | null): string | null {
  if (current && inboxes.some((i) => i.id === current)) return current;
  return inboxes[0]?.id ?? null;
}

/** A file size for people: "820 B", "48 KB", "1,2 MB" (in `locale`). */
export function formatSize(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v)} ${units[u]}`;
}
