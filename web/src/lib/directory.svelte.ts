/**
 * Names the chat list and the pane show for ids: departments, tags,
 * campaigns and users. User names come from `GET /agents`, which every signed-in user may
 * read (no e-mail), so an agent sees who serves a chat and who wrote a
 * message (LC-7). An id that is still unknown gets a generic label.
 */
import { api, call } from '../api/client';
import { ApiFailure } from '../api/errors';
import type { Agent, ApiEvent, Campaign, Department, Tag } from '../api/types';
import { describeError } from './errors';
import { t } from './i18n/index.svelte';
import { assignment } from './realtime/payloads';
import { session } from './session.svelte';

export const directory = $state<{
  departments: Department[];
  tags: Tag[];
  /** Campaigns (LC-2), for the list filter and the chat panel. */
  campaigns: Campaign[];
  /** The organization's active users: names for ids and the agent filter. */
  agents: Agent[];
  error: string | null;
}>({ departments: [], tags: [], campaigns: [], agents: [], error: null });

/** Bumped by every agents load (and by logout): only the newest one lands. */
let agentsGen = 0;
/** Unknown agent ids a reload was already made for (no reload loop). */
const reloadedFor = new Set<string>();

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403) return null;
    throw e;
  }
}

/** The access a session's permissions give to a module ("none" if unknown). */
export function moduleAccess(permissions: unknown, module: string): string {
  const modules = (permissions as { modules?: Record<string, unknown> } | null)?.modules;
  const v = modules?.[module];
  return typeof v === 'string' ? v : 'none';
}

/** Reads `GET /agents` into the directory; throws the failure. */
export async function loadAgents(): Promise<void> {
  const gen = ++agentsGen;
  const agents = await call(api.GET('/api/v1/agents'));
  if (gen === agentsGen) directory.agents = agents;
}

/**
 * Loads what the caller may see (`permissions` from `/me` saves refused
 * calls). One failed list leaves the others loaded.
 */
export async function loadDirectory(permissions: unknown): Promise<void> {
  const may = (module: string) => moduleAccess(permissions, module) !== 'none';
  const results = await Promise.allSettled([
    may('departments') ? optional(call(api.GET('/api/v1/departments'))) : null,
    may('tags') ? optional(call(api.GET('/api/v1/tags'))) : null,
    may('chat') || may('campaigns') ? optional(call(api.GET('/api/v1/campaigns'))) : null,
    loadAgents(),
  ]);
  const [departments, tags, campaigns] = results;
  if (departments.status === 'fulfilled') directory.departments = departments.value ?? [];
  if (tags.status === 'fulfilled') directory.tags = tags.value ?? [];
  if (campaigns.status === 'fulfilled') directory.campaigns = campaigns.value ?? [];
  const failed = results.find((r) => r.status === 'rejected');
  directory.error = failed ? describeError(failed.reason) : null;
}

export function clearDirectory(): void {
  agentsGen++;
  reloadedFor.clear();
  directory.departments = [];
  directory.tags = [];
  directory.campaigns = [];
  directory.agents = [];
  directory.error = null;
}

/** Agent ids that assignment events name (`conversation.assigned`, `attendance.opened`). */
export function assignedAgentIds(events: readonly ApiEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'conversation.assigned' && e.kind !== 'attendance.opened') continue;
    const id = assignment(e.payload).agent_id;
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * Reads the agents again when an assignment names someone not listed (e.g.
 * a colleague created after login). Each unknown id causes one reload at
 * most, so an id the list never gets (a deactivated user) costs nothing
 * more. Returns whether a reload started.
 */
export function reloadAgentsIfUnknown(ids: readonly string[]): boolean {
  const missing = ids.filter((id) => !reloadedFor.has(id) && !directory.agents.some((a) => a.id === id));
  if (missing.length === 0) return false;
  for (const id of missing) reloadedFor.add(id);
  loadAgents().catch((e: unknown) => {
    // Let a later event try again.
    for (const id of missing) reloadedFor.delete(id);
    directory.error = describeError(e);
  });
  return true;
}

export function departmentName(id: string | null | undefined): string | null {
  if (!id) return null;
  return directory.departments.find((d) => d.id === id)?.name ?? null;
}

export function campaignName(id: string | null | undefined): string | null {
  if (!id) return null;
  return directory.campaigns.find((k) => k.id === id)?.name ?? null;
}

/** A user's name: from the agents list, or the signed-in user's own; null when unknown. */
export function userName(id: string | null | undefined): string | null {
  if (!id) return null;
  const listed = directory.agents.find((a) => a.id === id);
  if (listed) return listed.name;
  const me = session.current?.user;
  return me && me.id === id ? me.name : null;
}

/** The chat list's agent-in-service icon hover (LC-7). */
export function inServiceLabel(agentId: string): string {
  const name = userName(agentId);
  return name ? t('item.agent', { name }) : t('item.agentOther');
}

/** The conversation header's assigned agent. */
export function assignedAgentLabel(agentId: string): string {
  const name = userName(agentId);
  return name ? t('pane.agent', { name }) : t('item.agentOther');
}

/** The author line of a message bubble an agent wrote. */
export function authorLabel(authorId: string | null | undefined): string {
  return userName(authorId) ?? t('sender.agent');
}
