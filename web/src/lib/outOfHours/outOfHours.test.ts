import { describe, expect, it } from 'vitest';
import { callbackKey, hasNoName, markSent, type OutOfHoursEntry } from './outOfHours';

const entry = (id: string, over: Partial<OutOfHoursEntry> = {}): OutOfHoursEntry => ({
  id,
  at: '2026-05-04T22:10:00Z',
  name: 'Ana',
  phone: '+5511944443333',
  callback: 'N/D',
  active_message_sent: false,
  conversation_id: `c-${id}`,
  inbox_id: 'i-1',
  ...over,
});

describe('out-of-hours contacts', () => {
  it('reads the callback answer the server words in pt-BR', () => {
    expect(callbackKey('Sim')).toBe('outOfHours.yes');
    expect(callbackKey('Não')).toBe('outOfHours.no');
    expect(callbackKey('N/D')).toBe('outOfHours.notApplicable');
    expect(callbackKey('talvez')).toBeNull();
  });

  it('knows a contact without a name', () => {
    expect(hasNoName({ name: '(Sem nome)' })).toBe(true);
    expect(hasNoName({ name: ' ' })).toBe(true);
    expect(hasNoName({ name: 'Ana' })).toBe(false);
  });

  it('marks one entry as answered, leaving the others and the list as they were', () => {
    const list = [entry('a'), entry('b')];
    const next = markSent(list, 'b');
    expect(next.map((e) => e.active_message_sent)).toEqual([false, true]);
    expect(list[1]?.active_message_sent).toBe(false);
    expect(next[0]).toBe(list[0]);
  });
});
