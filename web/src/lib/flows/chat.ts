/**
 * The bot flows the chat offers: "Encaminhar para fluxo" (LC-10) and the
 * flow after the closing (LC-11). Only published flows can start; whoever
 * may act on chats lists them (`GET /flows` answers a user without the
 * flows module with the published ones only).
 */
import { ApiFailure } from '../../api/errors';
import { canEdit } from '../admin';
import { listFlows, type FlowSummary } from './api';

/** Published flows, by name. */
export function publishedFlows(list: readonly FlowSummary[]): FlowSummary[] {
  return list
    .filter((f) => f.published_version != null)
    .sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
}

/** Whether the chat may offer flows to this session: it may act on chats. */
export function offersFlows(permissions: unknown): boolean {
  return canEdit(permissions, 'chat');
}

/**
 * The published flows the chat offers; null when the session may not list
 * flows (a 403 counts as that). Throws any other failure.
 */
export async function chatFlows(permissions: unknown): Promise<FlowSummary[] | null> {
  if (!offersFlows(permissions)) return null;
  try {
    return publishedFlows(await listFlows());
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403) return null;
    throw e;
  }
}
