/**
 * The flows API (`/api/v1/flows…`, FL-1..FL-4) as the admin pages use it.
 * The generated schema types documents as bare objects (`Object` in the
 * OpenAPI document), so they are cast to and from `FlowDocument` here only.
 */
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import type { FlowDocument } from './document';

type Schemas = components['schemas'];
export type FlowSummary = Schemas['FlowSummary'];
export type FlowOut = Schemas['FlowOut'];
export type Problem = Schemas['Problem'];
export type FlowVersion = Schemas['VersionOut'];
export type ImportResult = Schemas['ImportOut'];
export type StepCount = Schemas['StepCountOut'];
/** A run of a flow (FL-3). */
export type FlowRun = Schemas['RunOut'];
/** `GET /flows/{id}/runs`'s filters and page: `status`, `before` (RFC 3339), `limit`. */
export type RunsQuery = NonNullable<paths['/api/v1/flows/{id}/runs']['get']['parameters']['query']>;

type Body = Record<string, never>;
const body = (doc: unknown) => doc as Body;
const path = (id: string) => ({ params: { path: { id } } });

export const listFlows = () => call(api.GET('/api/v1/flows'));

export const createFlow = (name: string) => call(api.POST('/api/v1/flows', { body: { name } }));

export const getFlow = (id: string) => call(api.GET('/api/v1/flows/{id}', path(id)));

/** Saves the draft (even with problems: they come back in the answer). */
export const saveDraft = (id: string, draft: FlowDocument) =>
  call(api.PUT('/api/v1/flows/{id}', { ...path(id), body: { draft: body(draft) } }));

export const deleteFlow = (id: string) => call(api.DELETE('/api/v1/flows/{id}', path(id))).then(() => {});

export const publishFlow = (id: string) => call(api.POST('/api/v1/flows/{id}/publish', path(id)));

/** The document to download: departments by name, agents by e-mail. */
export const exportFlow = (id: string) =>
  call(api.GET('/api/v1/flows/{id}/export', path(id))) as Promise<unknown> as Promise<FlowDocument>;

/** Creates or replaces (same name) and publishes. */
export const importFlow = (document: unknown) =>
  call(api.POST('/api/v1/flows/import', { body: { document: body(document) } }));

/** Where the published version's runs are or ended, by step. */
export const stepCounts = (id: string) => call(api.GET('/api/v1/flows/{id}/steps', path(id)));

/** The flow's runs, newest first; `before` pages back. */
export const listRuns = (id: string, query: RunsQuery = {}) =>
  call(api.GET('/api/v1/flows/{id}/runs', { params: { path: { id }, query } }));

export const setEntryFlow = (inboxId: string, flowId: string | null) =>
  call(api.PUT('/api/v1/inboxes/{id}/entry-flow', { ...path(inboxId), body: { flow_id: flowId } })).then(() => {});

/** The problems of a refused publish or import (422 `invalid_flow`), or null for another failure. */
export function problemsOf(e: unknown): Problem[] | null {
  if (!(e instanceof ApiFailure) || e.code !== 'invalid_flow') return null;
  const list = e.details?.problems;
  return Array.isArray(list) ? (list as Problem[]) : null;
}

/** A file name for a flow's name: no accents, no spaces or slashes. */
export function fileName(name: string): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return plain || 'fluxo';
}

/** Saves a flow document as `<name>.json` (the browser's download). */
export function downloadDocument(name: string, doc: unknown): void {
  const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${fileName(name)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
