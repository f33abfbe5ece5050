import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../api/errors';
import { assignRequest, closeRequest, needsConfirmation, parseCloseMinutes } from './actions';

describe('assignRequest', () => {
  it('names only the department', () => {
    expect(assignRequest({ kind: 'department', id: 'd1' }, false)).toEqual({ department_id: 'd1', confirm: false });
  });
  it('names only the agent and carries the confirmation', () => {
    expect(assignRequest({ kind: 'agent', id: 'u1' }, true)).toEqual({ agent_id: 'u1', confirm: true });
  });
});

describe('needsConfirmation', () => {
  it('is the 409 confirm_agent_change answer', () => {
    expect(needsConfirmation(new ApiFailure(409, 'confirm_agent_change', 'Tem certeza?'))).toBe(true);
  });
  it('is not any other failure', () => {
    expect(needsConfirmation(new ApiFailure(409, 'conflict', 'x'))).toBe(false);
    expect(needsConfirmation(new ApiFailure(422, 'confirm_agent_change', 'x'))).toBe(false);
    expect(needsConfirmation(new Error('confirm_agent_change'))).toBe(false);
  });
});

describe('closeRequest', () => {
  it('sends the trimmed message and nothing about scheduling', () => {
    expect(closeRequest('  Obrigado!  ')).toEqual({ message: 'Obrigado!' });
  });
  it('sends no message when blank', () => {
    expect(closeRequest('   ')).toEqual({});
  });
  it('carries the closing fields only when some changed', () => {
    expect(closeRequest('', null, { motivo: 'Compra', nota: null })).toEqual({ fields: { motivo: 'Compra', nota: null } });
    expect(closeRequest('', null, {})).toEqual({});
  });
  it('schedules in minutes, saying whether a reply keeps the closing', () => {
    expect(closeRequest('Até logo', { minutes: 30, keepIfContactReplies: false })).toEqual({
      message: 'Até logo',
      in_minutes: 30,
      keep_if_contact_replies: false,
    });
    expect(closeRequest('', { minutes: 5, keepIfContactReplies: true })).toEqual({
      in_minutes: 5,
      keep_if_contact_replies: true,
    });
  });
});

describe('closeRequest with a flow after the closing (LC-11)', () => {
  it('names the flow, now or with the scheduled closing', () => {
    expect(closeRequest('', null, {}, 'f1')).toEqual({ flow_id: 'f1' });
    expect(closeRequest('Tchau', { minutes: 10, keepIfContactReplies: false }, {}, 'f1')).toEqual({
      message: 'Tchau',
      in_minutes: 10,
      keep_if_contact_replies: false,
      flow_id: 'f1',
    });
  });
  it('sends no flow_id when none is chosen', () => {
    expect(closeRequest('', null, {}, null)).toEqual({});
    expect(closeRequest('', null, {}, '')).toEqual({});
  });
});

describe('parseCloseMinutes ("Tempo de encerramento")', () => {
  it('empty closes now; whole minutes up to a week schedule; the rest is invalid', () => {
    expect(parseCloseMinutes('  ')).toBe(null);
    expect(parseCloseMinutes(' 15 ')).toBe(15);
    expect(parseCloseMinutes('10080')).toBe(10080);
    for (const bad of ['0', '10081', '1.5', '-3', 'dez']) expect(parseCloseMinutes(bad)).toBe('invalid');
  });
});
