/**
 * The report manager's calls (RP-1; docs/reports.md). All need the Reports
 * module, view or view and edit:
 * - `GET /api/v1/reports/history/candidates?q=&from=&to=`: at most 5
 *   contacts with conversations in the period, or `too_many_results`,
 *   `no_contact_found`, `contact_not_found`, `invalid` (their messages are
 *   the product's, word for word);
 * - `POST /api/v1/reports/history`: 202 with the report, processing; or
 *   `no_conversation_found`;
 * - `GET /api/v1/reports` (newest first; `mine`: the caller's own) and
 *   `GET /api/v1/reports/{id}`.
 * - `GET /api/v1/reports/tickets?inbox_id=&before=&before_id=&limit=` (RP-4): the
 *   inbox's attendances of the last 3 months, newest first; the next page
 *   starts after the last row (`before` its `opened_at`, `before_id` its id);
 * - `POST /api/v1/reports/tickets/{id}`: 202 with the ticket's PDF report,
 *   processing (listed with the others);
 * - `GET /api/v1/inboxes` for the ticket history's bot/number selector
 *   (open to who chats or manages inboxes).
 * - `GET /api/v1/reports/conversations` (RP-2): the newest sessions the
 *   filters find, a page at a time (`cursor`); its 422s (`range_too_long`,
 *   `invalid_protocol`, `invalid_session`, `unknown_tag`, `invalid`) word
 *   the problem for people;
 * - `GET /api/v1/reports/conversations/{id}/messages` (`after`,
 *   `include_internal`): the session's conversation in time order;
 * - `POST /api/v1/reports/conversations/{id}/pdf` and
 *   `POST /api/v1/reports/conversations/export` (CSV or XLSX of every
 *   session the filters find): 202 with the report, processing;
 * - `GET /api/v1/tags` and `GET /api/v1/custom-fields` for the filters
 *   (each needs its own module, view).
 * - `GET /api/v1/reports/agile` (RP-3, "Relatório Fluxo Ágil"): a page of
 *   the rows the filters find (`offset`, `limit`) and their `total`; a
 *   period over 31 days is `range_too_long`, worded for people;
 * - `GET /api/v1/reports/agile/options`: the clients, campaigns and
 *   batches of a period, for the filters' lists;
 * - `GET /api/v1/reports/agile/messages`: a row's history with the bot;
 * - `POST /api/v1/reports/agile/export` ("EXPORTAR", CSV or XLSX of every
 *   row): 202 with the report, processing.
 * The file itself downloads from the report's `download_url` with the
 * session cookie (a plain link).
 */
import { api, call } from '../../api/client';
import type { CustomField } from '../../api/admin-types';
import type { Tag } from '../../api/types';
import {
  type ConversationFilter,
  filterQuery,
  MESSAGES_PAGE,
  type SessionMessage,
  SESSIONS_PAGE,
  type SessionsPage,
} from './conversations';
import {
  type Candidate,
  type Inbox,
  type Period,
  type Report,
  type Ticket,
  type TicketsCursor,
  TICKETS_PAGE,
} from './reports';
import {
  AGILE_PAGE,
  type AgileFilter,
  type AgileMessage,
  type AgileOptions,
  type AgilePage,
  type AgileRow,
  agileQuery,
  rowMessagesQuery,
} from './agile';

/** The filters as the API types them (closed sets for `op` and `channel`). */
type ConversationFilters = import('../../api/schema').components['schemas']['ConversationFilters'];
type SessionsQuery = NonNullable<
  import('../../api/schema').paths['/api/v1/reports/conversations']['get']['parameters']['query']
>;

export async function findCandidates(q: string, period: Period): Promise<Candidate[]> {
  const out = await call(
    api.GET('/api/v1/reports/history/candidates', { params: { query: { q, from: period.from, to: period.to } } }),
  );
  return out.items;
}

export function createHistory(contactId: string, period: Period, includeInternal: boolean): Promise<Report> {
  return call(
    api.POST('/api/v1/reports/history', {
      body: { contact_id: contactId, from: period.from, to: period.to, include_internal: includeInternal },
    }),
  );
}

export function listReports(mine: boolean): Promise<Report[]> {
  return call(api.GET('/api/v1/reports', { params: { query: mine ? { mine: true } : {} } }));
}

export function getReport(id: string): Promise<Report> {
  return call(api.GET('/api/v1/reports/{id}', { params: { path: { id } } }));
}

export function listTickets(
  inboxId: string,
  after: TicketsCursor | null,
  limit: number = TICKETS_PAGE,
): Promise<Ticket[]> {
  return call(
    api.GET('/api/v1/reports/tickets', {
      params: { query: { inbox_id: inboxId, limit, ...(after ?? {}) } },
    }),
  );
}

export function createTicketPdf(ticketId: string): Promise<Report> {
  return call(api.POST('/api/v1/reports/tickets/{id}', { params: { path: { id: ticketId } } }));
}

export function listInboxes(): Promise<Inbox[]> {
  return call(api.GET('/api/v1/inboxes'));
}

/** A page of the sessions `filter` finds, after `cursor` (null: the newest). */
export function listSessions(
  filter: ConversationFilter,
  cursor: string | null,
  limit: number = SESSIONS_PAGE,
): Promise<SessionsPage> {
  const query = { ...(filterQuery(filter) as SessionsQuery), limit, ...(cursor ? { cursor } : {}) };
  return call(api.GET('/api/v1/reports/conversations', { params: { query } }));
}

export async function sessionMessages(
  sessionId: string,
  after: string | null,
  includeInternal: boolean,
  limit: number = MESSAGES_PAGE,
): Promise<{ items: SessionMessage[]; next_cursor?: string | null }> {
  const query = { limit, include_internal: includeInternal, ...(after ? { after } : {}) };
  return call(
    api.GET('/api/v1/reports/conversations/{id}/messages', { params: { path: { id: sessionId }, query } }),
  );
}

export function createSessionPdf(sessionId: string, includeInternal: boolean): Promise<Report> {
  return call(
    api.POST('/api/v1/reports/conversations/{id}/pdf', {
      params: { path: { id: sessionId } },
      body: { include_internal: includeInternal },
    }),
  );
}

export function exportSessions(filter: ConversationFilter, format: 'csv' | 'xlsx'): Promise<Report> {
  return call(api.POST('/api/v1/reports/conversations/export', { body: { ...(filterQuery(filter) as ConversationFilters), format } }));
}

export function listTags(): Promise<Tag[]> {
  return call(api.GET('/api/v1/tags'));
}

export function listCustomFields(): Promise<CustomField[]> {
  return call(api.GET('/api/v1/custom-fields'));
}

/** A page of the Fluxo Ágil report's rows for `filter`, from `offset`. */
export function listAgile(filter: AgileFilter, offset: number, limit: number = AGILE_PAGE): Promise<AgilePage> {
  return call(api.GET('/api/v1/reports/agile', { params: { query: { ...agileQuery(filter), offset, limit } } }));
}

/** The clients, campaigns and batches of the flows started in `period`. */
export function agileOptions(period: Period): Promise<AgileOptions> {
  return call(api.GET('/api/v1/reports/agile/options', { params: { query: { from: period.from, to: period.to } } }));
}

/** A row's history with the bot, for the filters of the search that listed it. */
export function agileMessages(applied: AgileFilter, row: AgileRow): Promise<AgileMessage[]> {
  return call(api.GET('/api/v1/reports/agile/messages', { params: { query: rowMessagesQuery(applied, row) } }));
}

export function exportAgile(filter: AgileFilter, format: 'csv' | 'xlsx'): Promise<Report> {
  return call(api.POST('/api/v1/reports/agile/export', { body: { ...agileQuery(filter), format } }));
}
