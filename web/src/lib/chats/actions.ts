/**
 * Forwarding (LC-9), forwarding to a bot flow (LC-10) and closing, now or
 * scheduled, with an optional flow after it (LC-11): request bodies and
 * the calls.
 * The chat itself changes through the events the server pushes.
 */
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { components } from '../../api/schema';
import type { Conversation } from '../../api/types';

export type AssignRequest = components['schemas']['AssignRequest'];
export type CloseRequest = components['schemas']['CloseRequest'];
/** The run a forward to a flow started (FL-3). */
export type FlowRun = components['schemas']['RunOut'];

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

/** The longest scheduled closing the server takes: one week, in minutes. */
export const MAX_CLOSE_MINUTES = 10_080;

/** A closing scheduled this many minutes ahead; whether a reply from the contact keeps it. */
export interface CloseSchedule {
  minutes: number;
  keepIfContactReplies: boolean;
}

/**
 * "Tempo de encerramento" as typed: empty closes now (null), a whole number
 * of minutes from 1 to a week schedules, anything else is invalid.
 */
export function parseCloseMinutes(raw: string): number | null | 'invalid' {
  const v = raw.trim();
  if (!v) return null;
  if (!/^\d+$/.test(v)) return 'invalid';
  const n = Number(v);
  return n >= 1 && n <= MAX_CLOSE_MINUTES ? n : 'invalid';
}

/**
 * The `close` body: a blank message sends none; a schedule closes later;
 * `fields` are the closing fields' changes (see `closingFieldsBody`);
 * `flowId` is the flow started once the attendance closes (now or when
 * the scheduled closing happens).
 */
export function closeRequest(
  message: string,
  schedule: CloseSchedule | null = null,
  fields: Record<string, string | null> = {},
  flowId: string | null = null,
): CloseRequest {
  const text = message.trim();
  const body: CloseRequest = text ? { message: text } : {};
  if (schedule) {
    body.in_minutes = schedule.minutes;
    body.keep_if_contact_replies = schedule.keepIfContactReplies;
  }
  if (Object.keys(fields).length > 0) body.fields = fields;
  if (flowId) body.flow_id = flowId;
  return body;
}

export function assignConversation(id: string, target: ForwardTarget, confirm: boolean): Promise<Conversation> {
  return call(
    api.POST('/api/v1/conversations/{id}/assign', { params: { path: { id } }, body: assignRequest(target, confirm) }),
  );
}

export function closeConversation(
  id: string,
  message: string,
  schedule: CloseSchedule | null = null,
  fields: Record<string, string | null> = {},
  flowId: string | null = null,
): Promise<Conversation> {
  return call(
    api.POST('/api/v1/conversations/{id}/close', {
      params: { path: { id } },
      body: closeRequest(message, schedule, fields, flowId),
    }),
  );
}

/**
 * "Encaminhar para fluxo" (LC-10): the server closes the attendance (if
 * open) and starts the flow's published version for the contact.
 */
export function forwardToFlow(id: string, flowId: string): Promise<FlowRun> {
  return call(
    api.POST('/api/v1/conversations/{id}/flow', { params: { path: { id } }, body: { flow_id: flowId } }),
  );
}
