import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/catalog';
import type { MessageKey, Params } from '../i18n/catalog';
import { isMyStatus, sameChoice, statusChoices, statusText } from './status';

const pt = (k: MessageKey, p?: Params) => translate('pt-BR', k, p);
const en = (k: MessageKey, p?: Params) => translate('en', k, p);

describe('statusChoices', () => {
  it('offers a pause without a reason when the organization has none', () => {
    expect(statusChoices([])).toEqual([
      { status: 'online', reason: null },
      { status: 'paused', reason: null },
      { status: 'invisible', reason: null },
    ]);
  });

  it("offers one pause per reason, in the organization's order", () => {
    expect(statusChoices(['Almoço', 'Reunião'])).toEqual([
      { status: 'online', reason: null },
      { status: 'paused', reason: 'Almoço' },
      { status: 'paused', reason: 'Reunião' },
      { status: 'invisible', reason: null },
    ]);
  });
});

describe('statusText and sameChoice', () => {
  it('reads each status in both languages', () => {
    expect(statusText({ status: 'online', reason: null }, pt)).toBe('Online');
    expect(statusText({ status: 'paused', reason: null }, pt)).toBe('Pausa');
    expect(statusText({ status: 'paused', reason: 'Almoço' }, pt)).toBe('Pausa: Almoço');
    expect(statusText({ status: 'invisible', reason: null }, pt)).toBe('Invisível');
    expect(statusText({ status: 'paused', reason: 'Lunch' }, en)).toBe('Paused: Lunch');
    expect(statusText({ status: 'invisible', reason: null }, en)).toBe('Invisible');
  });

  it('tells choices apart by status and reason', () => {
    expect(sameChoice({ status: 'paused', reason: 'Almoço' }, { status: 'paused', reason: 'Almoço' })).toBe(true);
    expect(sameChoice({ status: 'paused', reason: 'Almoço' }, { status: 'paused', reason: null })).toBe(false);
    expect(sameChoice({ status: 'online', reason: null }, { status: 'invisible', reason: null })).toBe(false);
  });

  it('knows the statuses a user may choose', () => {
    expect(['online', 'paused', 'invisible'].every(isMyStatus)).toBe(true);
    expect(isMyStatus('offline')).toBe(false);
    expect(isMyStatus(null)).toBe(false);
  });
});
