/**
 * The conversations report (RP-2, seed 001, "Relatório de Conversas"), free
 * of the DOM and of the API so it is unit-tested: the filters as the form
 * holds them, what the API is sent for them, the checks the server makes
 * (made here first, with the server's own words) and the active filters
 * shown as chips. How a session's transcript lays out is `./transcript`.
 */
import type { components } from '../../api/schema';
import type { Channel } from '../../api/types';
import type { MessageKey } from '../i18n/catalog';
import { isDate, rangeProblem } from './reports';

/** A session of the report. */
export type ReportSession = components['schemas']['ReportSessionOut'];

/** A page of sessions, newest first (`GET /reports/conversations`). */
export type SessionsPage = components['schemas']['SessionsPage'];

/** A message of a session's conversation. */
export type SessionMessage = components['schemas']['SessionMessageOut'];

/** What the API takes as filters: the listing's query and the export's body. */
export type ConversationQuery = {
  [K in keyof components['schemas']['ConversationFilters']]?: string;
};

/** How many sessions the list asks for at a time. */
export const SESSIONS_PAGE = 50;
/** How many messages of a session the conversation view asks for at a time. */
export const MESSAGES_PAGE = 200;

/** The operations on "Informações Adicionais", as the API names them. */
export const FIELD_OPS = ['contains', 'not_contains', 'equals', 'not_equals', 'exists'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

export const OP_LABEL: Record<FieldOp, MessageKey> = {
  contains: 'reports.conv.op.contains',
  not_contains: 'reports.conv.op.not_contains',
  equals: 'reports.conv.op.equals',
  not_equals: 'reports.conv.op.not_equals',
  exists: 'reports.conv.op.exists',
};

/** The channels as the report names them (the widget is "Webchat"). */
export const CHANNEL_LABEL: Record<Channel, MessageKey> = {
  whatsapp: 'reports.conv.channel.whatsapp',
  instagram: 'reports.conv.channel.instagram',
  messenger: 'reports.conv.channel.messenger',
  telegram: 'reports.conv.channel.telegram',
  widget: 'reports.conv.channel.widget',
};

/** The report's filters as the form holds them (an empty text: not filtered). */
export interface ConversationFilter {
  /** "Intervalo de tempo": `YYYY-MM-DD`, whole days in Brasília time. */
  from: string;
  to: string;
  /** "Sessão": a session's code. */
  session: string;
  /** "Protocolo": 17 digits. */
  protocol: string;
  /** "Etiquetas": tag ids (or names, which the server also reads). */
  tags: string[];
  /** "Informações Adicionais": the field's key, its operation and the value compared. */
  field: string;
  op: FieldOp | '';
  value: string;
  /** "Canais". */
  channel: Channel | '';
  /** The bot/number (inbox id). */
  inbox: string;
  /** The contact: name or phone (approximate), e-mail or id (exact). */
  contact: string;
}

/** No filter: the latest sessions (the server's last 31 days). */
export function emptyFilter(): ConversationFilter {
  return {
    from: '',
    to: '',
    session: '',
    protocol: '',
    tags: [],
    field: '',
    op: '',
    value: '',
    channel: '',
    inbox: '',
    contact: '',
  };
}

/** A copy that shares nothing with `f` (the dialog edits one). */
export function copyFilter(f: ConversationFilter): ConversationFilter {
  return { ...f, tags: [...f.tags] };
}

/**
 * What the API is sent for a filter: only the values given, trimmed; the
 * value compared is left out for "Existe", which has none.
 */
export function filterQuery(f: ConversationFilter): ConversationQuery {
  const q: ConversationQuery = {};
  const set = (key: keyof ConversationQuery, v: string) => {
    const s = v.trim();
    if (s) q[key] = s;
  };
  set('from', f.from);
  set('to', f.to);
  set('session_id', f.session);
  set('protocol', f.protocol);
  set('tags', f.tags.map((x) => x.trim()).filter(Boolean).join(','));
  set('field', f.field);
  set('op', f.op);
  if (f.op !== 'exists') set('value', f.value);
  set('channel', f.channel);
  set('inbox_id', f.inbox);
  set('contact', f.contact);
  return q;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SIMPLE = /^[0-9a-f]{32}$/i;

/** Whether `s` is a session's code as the server reads one (a UUID, with or without hyphens, braces or `urn:uuid:`). */
export function isSessionId(s: string): boolean {
  const v = s.trim();
  if (UUID_SIMPLE.test(v)) return true;
  const inner = v.startsWith('{') && v.endsWith('}') ? v.slice(1, -1) : v.replace(/^urn:uuid:/i, '');
  return UUID.test(inner);
}

/**
 * Whether `s` is an attendance protocol: 17 digits, the first 8 a real
 * date (`AAAAMMDD`), the 9 after it not all zero (spaces around ignored).
 */
export function isProtocol(s: string): boolean {
  const v = s.trim();
  if (!/^\d{17}$/.test(v)) return false;
  const date = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
  return isDate(date) && Number(v.slice(8)) > 0;
}

/** The form's parts a problem is shown next to. */
export type FilterPart = 'period' | 'session' | 'protocol' | 'field' | 'value';
export type FilterProblems = Partial<Record<FilterPart, MessageKey>>;

/**
 * What the server would refuse in a filter, each by the part it concerns
 * (the messages are the server's, word for word in pt-BR); empty when the
 * filter can be sent. The server checks again, and its answer is shown too.
 */
export function filterProblems(f: ConversationFilter): FilterProblems {
  const out: FilterProblems = {};
  // No range at all is the server's last 31 days (seed 001: "não podendo ultrapassar trinta e um dias").
  const period = f.from.trim() || f.to.trim() ? rangeProblem(f.from, f.to) : null;
  if (period) out.period = period;
  if (f.session.trim() && !isSessionId(f.session)) out.session = 'reports.conv.invalidSession';
  if (f.protocol.trim() && !isProtocol(f.protocol)) out.protocol = 'reports.conv.invalidProtocol';
  const field = f.field.trim();
  if (Boolean(field) !== Boolean(f.op)) out.field = 'reports.conv.fieldWithoutOperation';
  else if (field && f.op !== 'exists' && !f.value.trim()) out.value = 'reports.conv.valueRequired';
  return out;
}

/** The order the form's parts come in (the first with a problem gets focus). */
const FILTER_PARTS: readonly FilterPart[] = ['period', 'session', 'protocol', 'field', 'value'];

/** The first part of the form with a problem, if any. */
export function firstProblem(problems: FilterProblems): FilterPart | null {
  return FILTER_PARTS.find((p) => problems[p]) ?? null;
}

/** Tag names typed in a list ("Vip, Reclamação"): trimmed, without blanks or repeats. */
export function parseTagNames(text: string): string[] {
  const out: string[] = [];
  for (const name of text.split(',').map((s) => s.trim())) {
    if (name && !out.some((x) => x.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}

/** An active filter, as a removable chip. */
export type FilterChip =
  | { key: 'period'; from: string; to: string }
  | { key: 'session' | 'protocol' | 'contact'; value: string }
  | { key: 'tag'; tag: string }
  | { key: 'field'; field: string; op: FieldOp; value: string }
  | { key: 'channel'; channel: Channel }
  | { key: 'inbox'; inbox: string };

/** The active filters of `f`, in the form's order (one chip per tag). */
export function filterChips(f: ConversationFilter): FilterChip[] {
  const out: FilterChip[] = [];
  if (f.from.trim() && f.to.trim()) out.push({ key: 'period', from: f.from.trim(), to: f.to.trim() });
  if (f.session.trim()) out.push({ key: 'session', value: f.session.trim() });
  if (f.protocol.trim()) out.push({ key: 'protocol', value: f.protocol.trim() });
  for (const tag of f.tags) if (tag.trim()) out.push({ key: 'tag', tag: tag.trim() });
  if (f.field.trim() && f.op) {
    out.push({ key: 'field', field: f.field.trim(), op: f.op, value: f.op === 'exists' ? '' : f.value.trim() });
  }
  if (f.channel) out.push({ key: 'channel', channel: f.channel });
  if (f.inbox) out.push({ key: 'inbox', inbox: f.inbox });
  if (f.contact.trim()) out.push({ key: 'contact', value: f.contact.trim() });
  return out;
}

/** A key for a chip, unique among the chips of one filter. */
export function chipId(c: FilterChip): string {
  return c.key === 'tag' ? `tag:${c.tag}` : c.key;
}

/** `f` without the filter a chip stands for. */
export function withoutChip(f: ConversationFilter, c: FilterChip): ConversationFilter {
  const out = copyFilter(f);
  switch (c.key) {
    case 'period':
      out.from = '';
      out.to = '';
      break;
    case 'session':
      out.session = '';
      break;
    case 'protocol':
      out.protocol = '';
      break;
    case 'contact':
      out.contact = '';
      break;
    case 'tag':
      out.tags = out.tags.filter((x) => x.trim() !== c.tag);
      break;
    case 'field':
      out.field = '';
      out.op = '';
      out.value = '';
      break;
    case 'channel':
      out.channel = '';
      break;
    case 'inbox':
      out.inbox = '';
      break;
  }
  return out;
}

/** `list` with the rows of `page` after it, none repeated (pages can overlap while new rows arrive). */
export function appendUnique<T extends { id: string }>(list: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(list.map((x) => x.id));
  return [...list, ...page.filter((x) => !seen.has(x.id))];
}
