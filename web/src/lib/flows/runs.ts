/**
 * The runs list of the flow editor (FL-3): the `GET /flows/{id}/runs`
 * query and its pages (newest first, `before` the oldest run shown), and
 * the words for a run's status, trigger, outcome and what it waits for.
 */
import { t, type MessageKey } from '../i18n/index.svelte';
import type { FlowRun, RunsQuery } from './api';

export const RUN_STATUSES = ['active', 'finished', 'failed', 'stopped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Runs per page (the server's default; at most 200). */
export const RUN_PAGE = 50;

const TRIGGERS = ['entry', 'forward', 'after_close', 'scheduled', 'jump', 'api'] as const;
const OUTCOMES = ['handover', 'jump', 'end', 'attendance', 'stopped'] as const;
const WAITING = ['answer', 'time', 'http', 'script', 'hours', 'agents_online'] as const;

const known = (list: readonly string[], v: string | null | undefined): v is string => !!v && list.includes(v);

/** The query of one page: the status filter ('' for all) and, after the first page, `before`. */
export function runsQuery(status: RunStatus | '', before: string | null, limit = RUN_PAGE): RunsQuery {
  const q: RunsQuery = { limit };
  if (status) q.status = status;
  if (before) q.before = before;
  return q;
}

/** Where the next page starts (the oldest run's start), or null when this page was the last. */
export function nextBefore(page: readonly FlowRun[], limit = RUN_PAGE): string | null {
  if (page.length < limit) return null;
  return page[page.length - 1]?.started_at ?? null;
}

/** The runs shown plus a new page, each run once (runs started in the same instant may repeat). */
export function appendRuns(shown: readonly FlowRun[], page: readonly FlowRun[]): FlowRun[] {
  const ids = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((r) => !ids.has(r.id))];
}

export const runStatusLabel = (status: string) =>
  known(RUN_STATUSES, status) ? t(`admin.flows.runList.status.${status}` as MessageKey) : status;

export const runTriggerLabel = (trigger: string) =>
  known(TRIGGERS, trigger) ? t(`admin.flows.runList.trigger.${trigger}` as MessageKey) : trigger;

/** How a run ended: a known outcome in words, else the error as the server wrote it; '' while it runs. */
export function runOutcomeLabel(outcome: string | null | undefined): string {
  if (!outcome) return '';
  return known(OUTCOMES, outcome) ? t(`admin.flows.runList.outcome.${outcome}` as MessageKey) : outcome;
}

/** "Aguardando a resposta do contato" for an active run; '' otherwise. */
export function runWaitingLabel(run: Pick<FlowRun, 'status' | 'waiting'>): string {
  if (run.status !== 'active' || !run.waiting) return '';
  const what = known(WAITING, run.waiting)
    ? t(`admin.flows.runList.waiting.${run.waiting}` as MessageKey)
    : run.waiting;
  return t('admin.flows.runList.waitingFor', { what });
}

/** The batch, client and campaign a run was started for (FL-3), those that are set. */
export function runLabels(
  run: Pick<FlowRun, 'batch' | 'client' | 'campaign_id'>,
  campaignName: (id: string) => string,
): string[] {
  const out: string[] = [];
  if (run.batch) out.push(t('admin.flows.runList.batch', { value: run.batch }));
  if (run.client) out.push(t('admin.flows.runList.client', { value: run.client }));
  if (run.campaign_id) out.push(t('admin.flows.runList.campaign', { value: campaignName(run.campaign_id) }));
  return out;
}

/** What the canvas marks for a picked run: the step it is at or stopped at, and the steps it went through. */
export interface RunMark {
  step: string | null;
  trail: readonly string[];
}

export function runMark(run: Pick<FlowRun, 'step' | 'trail'> | null): RunMark | null {
  return run ? { step: run.step ?? null, trail: run.trail } : null;
}
