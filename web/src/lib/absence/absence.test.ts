import { describe, expect, it } from 'vitest';
import {
  type Absence,
  absenceOn,
  absentInboxes,
  buttonTitle,
  colleagues,
  initialInbox,
  MESSAGE_MAX,
  messageLength,
  tooLong,
  withAbsence,
  withoutAbsence,
  withUserAbsences,
} from './absence';

const absence = (user_id: string, inbox_id: string, inbox_name = inbox_id, message = 'Estou de férias.'): Absence => ({
  user_id,
  user_name: user_id,
  inbox_id,
  inbox_name,
  message,
  suggested_agent_id: null,
  suggested_agent_name: null,
  since: '2026-07-01T12:00:00Z',
});

describe('absence message', () => {
  it('counts characters after trimming, as the server does, up to 1024', () => {
    expect(MESSAGE_MAX).toBe(1024);
    expect(messageLength('  Olá!  ')).toBe(4);
    // Emoji are one character each, not two UTF-16 units.
    expect(messageLength('👋🏖️')).toBe(3);
    expect(tooLong('a'.repeat(1024))).toBe(false);
    expect(tooLong(` ${'a'.repeat(1024)} `)).toBe(false);
    expect(tooLong('a'.repeat(1025))).toBe(true);
    expect(tooLong('😀'.repeat(1024))).toBe(false);
    expect(tooLong('😀'.repeat(1025))).toBe(true);
  });

  it('names the suggestion button as the server does: "Falar com" and the first name, within 20 characters', () => {
    expect(buttonTitle('Bruno (Suporte)')).toBe('Falar com Bruno');
    expect(buttonTitle('Bruno Souza')).toBe('Falar com Bruno');
    const long = buttonTitle('Maximiliano Albuquerque');
    expect([...long].length).toBe(20);
    expect(long).toBe('Falar com Maximilian');
  });
});

describe('absences of users and inboxes', () => {
  it('offers everyone but the absent user, by name', () => {
    const agents = [
      { id: 'c', name: 'Carla' },
      { id: 'a', name: 'Ana' },
      { id: 'b', name: 'Álvaro' },
    ];
    expect(colleagues(agents, 'a').map((x) => x.name)).toEqual(['Álvaro', 'Carla']);
    expect(agents.map((x) => x.id)).toEqual(['c', 'a', 'b']);
  });

  it("finds a user's absence per inbox and lists the inboxes they are away from", () => {
    const list = [absence('ana', 'i2', 'Loja'), absence('bruno', 'i1', 'Site'), absence('ana', 'i1', 'Instagram')];
    expect(absenceOn(list, 'ana', 'i1')?.inbox_name).toBe('Instagram');
    expect(absenceOn(list, 'bruno', 'i2')).toBeUndefined();
    expect(absentInboxes(list, 'ana')).toEqual(['Instagram', 'Loja']);
    expect(absentInboxes(list, 'carla')).toEqual([]);
  });

  it('replaces, adds and removes absences', () => {
    const list = [absence('ana', 'i1'), absence('bruno', 'i1')];
    const changed = withAbsence(list, absence('ana', 'i1', 'i1', 'De volta dia 20.'));
    expect(changed.filter((a) => a.user_id === 'ana').map((a) => a.message)).toEqual(['De volta dia 20.']);
    expect(withAbsence(list, absence('ana', 'i2'))).toHaveLength(3);
    expect(withoutAbsence(list, 'ana', 'i1').map((a) => a.user_id)).toEqual(['bruno']);
    expect(withoutAbsence(list, 'ana', 'i9')).toHaveLength(2);
    const theirs = withUserAbsences(list, 'ana', [absence('ana', 'i2'), absence('bruno', 'i3')]);
    expect(theirs.map((a) => `${a.user_id}/${a.inbox_id}`)).toEqual(['bruno/i1', 'ana/i2']);
  });

  it('opens on the first inbox the user is away from, else the first', () => {
    const inboxes = [{ id: 'i1' }, { id: 'i2' }, { id: 'i3' }];
    expect(initialInbox(inboxes, [absence('ana', 'i3'), absence('ana', 'i2')], 'ana')).toBe('i2');
    expect(initialInbox(inboxes, [absence('bruno', 'i3')], 'ana')).toBe('i1');
    expect(initialInbox([], [], 'ana')).toBeNull();
  });
});
