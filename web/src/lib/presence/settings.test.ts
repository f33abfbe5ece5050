import { describe, expect, it } from 'vitest';
import { addReason, settingsBody, settingsForm } from './settings';

describe('addReason', () => {
  it('adds a trimmed reason at the end', () => {
    expect(addReason(['Almoço'], '  Reunião ')).toEqual(['Almoço', 'Reunião']);
  });

  it('refuses a blank, a too long or a repeated reason (case aside, as the server)', () => {
    expect(addReason([], '   ')).toEqual({ error: 'settings.reasonEmpty' });
    expect(addReason([], 'x'.repeat(61))).toEqual({ error: 'settings.reasonTooLong' });
    expect(addReason([], 'é'.repeat(60))).toEqual(['é'.repeat(60)]);
    expect(addReason(['Almoço'], 'almoço')).toEqual({ error: 'settings.reasonDuplicate' });
  });

  it('stops at 20 reasons', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `Motivo ${i}`);
    expect(addReason(twenty, 'Mais um')).toEqual({ error: 'settings.reasonsFull' });
    expect(addReason(twenty.slice(1), 'Mais um')).toHaveLength(20);
  });
});

describe('settingsBody', () => {
  const saved = { pause_reasons: ['Almoço'], away_minutes: 5, ticket_expiry_hours: 24 };

  it('sends every field of the form', () => {
    expect(settingsBody(settingsForm(saved))).toEqual(saved);
    expect(settingsBody({ pauseReasons: [], awayMinutes: 1440, expiryHours: 0 })).toEqual({
      pause_reasons: [],
      away_minutes: 1440,
      ticket_expiry_hours: 0,
    });
  });

  it('points out a number out of range or missing', () => {
    const form = settingsForm(saved);
    expect(settingsBody({ ...form, awayMinutes: 0 })).toEqual({ error: 'settings.awayInvalid', field: 'away' });
    expect(settingsBody({ ...form, awayMinutes: 1441 })).toEqual({ error: 'settings.awayInvalid', field: 'away' });
    expect(settingsBody({ ...form, awayMinutes: 2.5 })).toEqual({ error: 'settings.awayInvalid', field: 'away' });
    expect(settingsBody({ ...form, awayMinutes: null })).toEqual({ error: 'settings.awayInvalid', field: 'away' });
    expect(settingsBody({ ...form, expiryHours: -1 })).toEqual({ error: 'settings.expiryInvalid', field: 'expiry' });
    expect(settingsBody({ ...form, expiryHours: 721 })).toEqual({ error: 'settings.expiryInvalid', field: 'expiry' });
  });

  it('copies the reasons, so editing the form leaves the saved settings alone', () => {
    const form = settingsForm(saved);
    form.pauseReasons.push('Reunião');
    expect(saved.pause_reasons).toEqual(['Almoço']);
  });
});
