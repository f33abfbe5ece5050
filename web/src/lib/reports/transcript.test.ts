import { describe, expect, it } from 'vitest';
import { authorOf, isInternalNote, messageKind, messageSide, visibleMessages } from './transcript';

describe('transcript', () => {
  it('puts the contact left, the bot and people right, the system centered', () => {
    expect(messageSide({ author_kind: 'contact', direction: 'in' })).toBe('left');
    expect(messageSide({ author_kind: 'bot', direction: 'out' })).toBe('right');
    expect(messageSide({ author_kind: 'agent', direction: 'out' })).toBe('right');
    expect(messageSide({ author_kind: 'system', direction: 'out' })).toBe('center');
    expect(messageSide({ author_kind: 'other', direction: 'in' })).toBe('left');
    expect(messageSide({ author_kind: 'other', direction: 'out' })).toBe('right');
    // The Fluxo Ágil's history has no direction: its authors say the side.
    expect(messageSide({ author_kind: 'contact' })).toBe('left');
    expect(messageSide({ author_kind: 'bot' })).toBe('right');
  });

  it('labels the author by name, else the contact, else what wrote', () => {
    expect(authorOf({ author_kind: 'agent', author_name: 'Bruno' }, 'Ana')).toEqual({ name: 'Bruno' });
    expect(authorOf({ author_kind: 'contact', author_name: null }, 'Ana')).toEqual({ name: 'Ana' });
    expect(authorOf({ author_kind: 'bot', author_name: ' ' }, 'Ana')).toEqual({ key: 'reports.conv.author.bot' });
    expect(authorOf({ author_kind: 'bot' }, 'Ana')).toEqual({ key: 'reports.conv.author.bot' });
    expect(authorOf({ author_kind: 'agent' }, 'Ana')).toEqual({ key: 'reports.conv.author.agent' });
    expect(authorOf({ author_kind: 'system' }, 'Ana')).toEqual({ key: 'reports.conv.author.system' });
  });

  it('names message kinds, an unknown one with its kind', () => {
    expect(messageKind('image')).toEqual({ key: 'message.kind.image' });
    expect(messageKind('poll')).toEqual({ key: 'message.kind.other', params: { kind: 'poll' } });
  });
});

describe('internal notes', () => {
  const message = (id: string, author_kind: string, internal: boolean) => ({ id, author_kind, internal });
  const list = [
    message('hello', 'contact', false),
    message('reply', 'agent', false),
    message('note', 'agent', true),
    // The system's lines are stored as internal (a transfer, a closing).
    message('transfer', 'system', true),
    message('closing', 'system', false),
  ];

  it('are the team’s internal messages, not the system’s lines', () => {
    expect(isInternalNote({ author_kind: 'agent', internal: true })).toBe(true);
    expect(isInternalNote({ author_kind: 'bot', internal: true })).toBe(true);
    expect(isInternalNote({ author_kind: 'system', internal: true })).toBe(false);
    expect(isInternalNote({ author_kind: 'agent', internal: false })).toBe(false);
    expect(isInternalNote({ author_kind: 'contact' })).toBe(false);
  });

  it('show only with "Mostrar notas internas"; the system’s lines always', () => {
    expect(visibleMessages(list, false).map((m) => m.id)).toEqual(['hello', 'reply', 'transfer', 'closing']);
    expect(visibleMessages(list, true).map((m) => m.id)).toEqual(['hello', 'reply', 'note', 'transfer', 'closing']);
  });
});
