/**
 * The Fluxo Ágil report (RP-3, seed 003, "Relatório Fluxo Ágil"), free of
 * the DOM and of the API so it is unit-tested: the filters as the bar holds
 * them ("Período", cliente, campanha, lote), what the API is sent for them,
 * the period's checks (the server's, made here first in its words), the
 * lists' choices kept while the period changes, the pages, and what a
 * row's history with the bot asks for.
 */
import type { components } from '../../api/schema';
import type { MessageKey } from '../i18n/catalog';
import { addDays, dateIn, MAX_RANGE_DAYS, type Period, rangeProblem } from './reports';

/** A row: a contact's runs of one flow in one batch (`AgileRowOut`). */
export type AgileRow = components['schemas']['AgileRowOut'];
/** A page of rows and how many there are in all (`AgilePage`). */
export type AgilePage = components['schemas']['AgilePage'];
/** The clients, campaigns and batches of a period (`AgileOptionsOut`). */
export type AgileOptions = components['schemas']['AgileOptionsOut'];
/** A message between the contact and the bot (`AgileMessageOut`). */
export type AgileMessage = components['schemas']['AgileMessageOut'];

/** What the API takes as filters: the listing's query and the export's body. */
export type AgileQuery = {
  [K in keyof components['schemas']['AgileFilters']]?: string;
};

/** A row's history: the filters of its search, narrowed to the row. */
export type AgileMessagesQuery = AgileQuery & { contact_id: string; flow_id: string };

/** How many rows a page shows. */
export const AGILE_PAGE = 50;
/** The most messages a row's history brings (the server's limit). */
export const AGILE_MESSAGES_MAX = 2_000;

/** The filters as the bar holds them (an empty choice: "Todos"). */
export interface AgileFilter {
  /** "Período": `YYYY-MM-DD`, whole days in Brasília time, at most 31. */
  from: string;
  to: string;
  /** "Cliente": as the runs were started for it. */
  client: string;
  /** "Campanha": its id. */
  campaign: string;
  /** "Lote". */
  batch: string;
}

/** The bar as it opens: the last 31 days through today (what the server searches without a period), every client, campaign and batch. */
export function defaultAgileFilter(now: number): AgileFilter {
  const to = dateIn(now);
  return { from: addDays(to, -(MAX_RANGE_DAYS - 1)), to, client: '', campaign: '', batch: '' };
}

/** The period of a filter, trimmed (what the lists' options are asked for). */
export function periodOf(f: AgileFilter): Period {
  return { from: f.from.trim(), to: f.to.trim() };
}

/** What the API is sent for a filter: only the values given, trimmed (as the server reads them). */
export function agileQuery(f: AgileFilter): AgileQuery {
  const q: AgileQuery = {};
  const set = (key: keyof AgileQuery, v: string) => {
    const s = v.trim();
    if (s) q[key] = s;
  };
  set('from', f.from);
  set('to', f.to);
  set('client', f.client);
  set('campaign_id', f.campaign);
  set('batch', f.batch);
  return q;
}

/**
 * What the server would refuse in the filters (the period: both ends, real
 * dates, in order, at most 31 days), with its words; null when they can be
 * sent.
 */
export function agileProblem(f: AgileFilter): MessageKey | null {
  return rangeProblem(f.from, f.to);
}

/** No client, campaign or batch to offer (before the period's are read). */
export function noOptions(): AgileOptions {
  return { clients: [], campaigns: [], batches: [] };
}

/**
 * The lists' choices once a period's options came: each kept while the
 * period still offers it, else back to "Todos".
 */
export function keepOffered(
  f: Pick<AgileFilter, 'client' | 'campaign' | 'batch'>,
  o: AgileOptions,
): Pick<AgileFilter, 'client' | 'campaign' | 'batch'> {
  return {
    client: o.clients.includes(f.client) ? f.client : '',
    campaign: o.campaigns.some((c) => c.id === f.campaign) ? f.campaign : '',
    batch: o.batches.includes(f.batch) ? f.batch : '',
  };
}

/** A key for a row, unique in a page (the server groups by batch, client, contact and flow). */
export function rowKey(r: Pick<AgileRow, 'batch' | 'client' | 'contact_id' | 'flow_id'>): string {
  return JSON.stringify([r.batch ?? null, r.client ?? null, r.contact_id, r.flow_id]);
}

/**
 * What a row's history asks for: the filters of the search that listed it
 * (its period, campaign), narrowed to the row's contact and flow, and to
 * its batch and client when it has them.
 */
export function rowMessagesQuery(applied: AgileFilter, r: AgileRow): AgileMessagesQuery {
  const q: AgileMessagesQuery = { ...agileQuery(applied), contact_id: r.contact_id, flow_id: r.flow_id };
  if (r.batch) q.batch = r.batch;
  if (r.client) q.client = r.client;
  return q;
}

/** The rows a page shows, as "1–50 de 132": the first and last (from 1) and the total. */
export interface PageSpan {
  first: number;
  last: number;
  total: number;
}

/** The span of a page of `shown` rows read at `offset`; null when it shows none. */
export function pageSpan(offset: number, shown: number, total: number): PageSpan | null {
  if (shown <= 0) return null;
  return { first: offset + 1, last: offset + shown, total: Math.max(total, offset + shown) };
}

/** Where the previous page starts; null on the first. */
export function previousOffset(offset: number, limit: number = AGILE_PAGE): number | null {
  return offset > 0 ? Math.max(0, offset - limit) : null;
}

/** Where the next page starts; null on the last. */
export function nextOffset(offset: number, shown: number, total: number): number | null {
  const next = offset + shown;
  return shown > 0 && next < total ? next : null;
}
