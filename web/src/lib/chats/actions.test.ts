import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../api/errors';
import { assignRequest, closeRequest, needsConfirmation } from './actions';

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
});
