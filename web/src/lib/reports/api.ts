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
 * - `GET /api/v1/reports/tickets?inbox_id=&before=&limit=` (RP-4): the
 *   inbox's attendances of the last 3 months, newest first; the next page
 *   is the one `before` the last row's `opened_at`;
 * - `POST /api/v1/reports/tickets/{id}`: 202 with the ticket's PDF report,
 *   processing (listed with the others);
 * - `GET /api/v1/inboxes` for the ticket history's bot/number selector
 *   (open to who chats or manages inboxes).
 * The file itself downloads from the report's `download_url` with the
 * session cookie (a plain link).
 */
import { api, call } from '../../api/client';
import { type Candidate, type Inbox, type Period, type Report, type Ticket, TICKETS_PAGE } from './reports';

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

export function listTickets(inboxId: string, before: string | null, limit: number = TICKETS_PAGE): Promise<Ticket[]> {
  return call(
    api.GET('/api/v1/reports/tickets', {
      params: { query: before ? { inbox_id: inboxId, before, limit } : { inbox_id: inboxId, limit } },
    }),
  );
}

export function createTicketPdf(ticketId: string): Promise<Report> {
  return call(api.POST('/api/v1/reports/tickets/{id}', { params: { path: { id: ticketId } } }));
}

export function listInboxes(): Promise<Inbox[]> {
  return call(api.GET('/api/v1/inboxes'));
}
