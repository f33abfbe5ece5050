/**
 * Forwarding (LC-9) and closing now (LC-11): request bodies and the calls.
 * The chat itself changes through the events the server pushes.
 */
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { components } from '../../api/schema';
import type { Conversation } from '../../api/types';

export type AssignRequest = components['schemas']['AssignRequest'];
export type CloseRequest = components['schemas']['CloseRequest'];

/** Where to forward a chat: a department's queue or one agent. */
export type ForwardTarget = { kind: 'department'; id: string } | { kind: 'agent'; id: string };

/** The error code the server answers when another agent already has the chat. */
export const CONFIRM_AGENT_CHANGE = 'confirm_agent_change';

/** The `assign` body: exactly one of `agent_id`/`department_id`, plus `confirm`. */
export function assignRequest(target: ForwardTarget, confirm: boolean): AssignRequest {
  return target.kind === 'agent' ? { agent_id: target.id, confirm } : { department_id: target.id, confirm };
}

/** Whether a failed `assign` asks the user to confirm replacing the agent. */
export function needsConfirmation(e: unknown): boolean {
  return e instanceof ApiFailure && e.status === 409 && e.code === CONFIRM_AGENT_CHANGE;
}

/** The `close` body for closing now (no scheduling); a blank message sends none. */
export function closeRequest(message: string): CloseRequest {
  const text = message.trim();
  return text ? { message: text } : {};
}

export function assignConversation(id: string, target: ForwardTarget, confirm: boolean): Promise<Conversation> {
  return call(
    api.POST('/api/v1/conversations/{id}/assign', { params: { path: { id } }, body: assignRequest(target, confirm) }),
  );
}

export function closeConversation(id: string, message: string): Promise<Conversation> {
  return call(api.POST('/api/v1/conversations/{id}/close', { params: { path: { id } }, body: closeRequest(message) }));
}
