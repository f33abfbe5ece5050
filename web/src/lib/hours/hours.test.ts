import { describe, expect, it } from 'vitest';
import {
  BRAZIL_ZONES,
  DAYS,
  dayTicks,
  DEFAULT_TIME_ZONE,
  defaultHoursForm,
  formProblems,
  holidaysNamed,
  hoursBody,
  hoursForm,
  isTime,
  normalizeTime,
  openingInEnglish,
  shiftsNamed,
  summarizeHours,
  todayIn,
} from './hours';

describe('business hours form', () => {
  it('shows the days Sunday first and starts from a split weekday schedule in Brasília', () => {
    expect(DAYS).toEqual(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    expect(DEFAULT_TIME_ZONE).toBe('America/Sao_Paulo');
    expect(BRAZIL_ZONES[0]?.zone).toBe(DEFAULT_TIME_ZONE);
    expect(hoursBody(defaultHoursForm())).toEqual({
      time_zone: 'America/Sao_Paulo',
      shifts: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '12:00' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '13:00', to: '18:00' },
      ],
      holidays: [],
    });
  });

  it('writes the JSON the server takes: days Monday first, times as HH:MM, blank holiday names left out', () => {
    const body = hoursBody({
      timeZone: ' America/Manaus ',
      shifts: [
        { days: dayTicks(['sun', 'sat']), from: '8', to: '12:00' },
        { days: dayTicks(['fri']), from: '22:00', to: '24' },
      ],
      holidays: [
        { date: '2026-12-25', name: ' Natal ' },
        { date: '2027-01-01', name: '  ' },
      ],
    });
    expect(body).toEqual({
      time_zone: 'America/Manaus',
      shifts: [
        { days: ['sat', 'sun'], from: '08:00', to: '12:00' },
        { days: ['fri'], from: '22:00', to: '24:00' },
      ],
      holidays: [{ date: '2026-12-25', name: 'Natal' }, { date: '2027-01-01' }],
    });
  });

  it('reads saved hours back into the form, and nothing else', () => {
    const json = {
      time_zone: 'America/Recife',
      shifts: [{ days: ['mon', 'wed'], from: '09:00', to: '17:30' }],
      holidays: [{ date: '2026-02-17', name: 'Carnaval' }, { date: '2026-04-03' }],
    };
    const form = hoursForm(json);
    expect(form?.timeZone).toBe('America/Recife');
    expect(form?.shifts[0]?.days).toEqual({
      mon: true,
      tue: false,
      wed: true,
      thu: false,
      fri: false,
      sat: false,
      sun: false,
    });
    expect(form?.holidays).toEqual([
      { date: '2026-02-17', name: 'Carnaval' },
      { date: '2026-04-03', name: '' },
    ]);
    expect(form && hoursBody(form)).toEqual(json);
    expect(hoursForm({ time_zone: 'UTC', shifts: [], holidays: [] })).toEqual({
      timeZone: 'UTC',
      shifts: [],
      holidays: [],
    });
    expect(hoursForm(null)).toBeNull();
    expect(hoursForm({ shifts: [] })).toBeNull();
    expect(hoursForm({ time_zone: 'UTC', shifts: [{ days: 'mon', from: '08:00', to: '09:00' }] })).toBeNull();
  });

  it('takes times from 00:00 to 24:00 and tidies what people type', () => {
    for (const ok of ['00:00', '08:30', '23:59', '24:00']) expect(isTime(ok), ok).toBe(true);
    for (const bad of ['24:01', '25:00', '8:00', '08:60', '0800', '', '08:00 ']) expect(isTime(bad), bad).toBe(false);
    expect(normalizeTime('8')).toBe('08:00');
    expect(normalizeTime(' 8:30 ')).toBe('08:30');
    expect(normalizeTime('1330')).toBe('13:30');
    expect(normalizeTime('800')).toBe('08:00');
    expect(normalizeTime('18h')).toBe('18:00');
    expect(normalizeTime('8h30')).toBe('08:30');
    expect(normalizeTime('24')).toBe('24:00');
    expect(normalizeTime('12:00')).toBe('12:00');
    // Not a time: left for the input (or the server) to refuse.
    expect(normalizeTime('25')).toBe('25');
    expect(normalizeTime('24:30')).toBe('24:30');
    expect(normalizeTime('meio-dia')).toBe('meio-dia');
  });

  it('finds the shifts a server refusal names', () => {
    expect(
      shiftsNamed(
        'Horário de atendimento inválido: turnos sobrepostos na segunda-feira: turno 1 (08:00–12:00) e turno 3 (11:00–18:00)',
      ),
    ).toEqual([1, 3]);
    expect(shiftsNamed('Horário de atendimento inválido: turno 2: informe ao menos um dia da semana')).toEqual([2]);
    expect(shiftsNamed('Horário de atendimento inválido: feriado repetido: 25/12/2026')).toEqual([]);
  });

  it('finds bad times and missing dates before sending, and the holidays a refusal names', () => {
    const form = {
      timeZone: 'America/Sao_Paulo',
      shifts: [
        { days: dayTicks(['mon']), from: '8', to: '12:00' },
        { days: dayTicks(['tue']), from: '13:00', to: '25:00' },
      ],
      holidays: [
        { date: '2026-12-25', name: 'Natal' },
        { date: '', name: 'Sem data' },
        { date: '2026-12-25', name: 'De novo' },
      ],
    };
    expect(formProblems(form)).toEqual([
      { kind: 'time', shift: 2, value: '25:00' },
      { kind: 'date', holiday: 2 },
    ]);
    expect(formProblems(defaultHoursForm())).toEqual([]);
    expect(holidaysNamed('Horário de atendimento inválido: feriado repetido: 25/12/2026', form.holidays)).toEqual([1, 3]);
    expect(holidaysNamed('turno 1: informe ao menos um dia da semana', form.holidays)).toEqual([]);
  });

  it("gives today's date in the inbox's zone", () => {
    const at = new Date('2026-01-01T02:00:00Z');
    expect(todayIn('America/Sao_Paulo', at)).toBe('2025-12-31');
    expect(todayIn('Asia/Tokyo', at)).toBe('2026-01-01');
    expect(todayIn('Not/AZone', at)).toBe('2026-01-01');
  });
});

describe('saved hours on the inboxes page', () => {
  it('summarizes none, readable and unreadable hours', () => {
    expect(summarizeHours(null)).toEqual({ kind: 'always' });
    expect(
      summarizeHours({
        time_zone: 'America/Bahia',
        shifts: [{ days: ['mon'], from: '08:00', to: '12:00' }],
        holidays: [{ date: '2030-12-25' }],
      }),
    ).toEqual({ kind: 'scheduled', shifts: 1, holidays: 1, zone: 'America/Bahia' });
    expect(summarizeHours({ time_zone: 'UTC', shifts: [], holidays: [] })).toEqual({
      kind: 'scheduled',
      shifts: 0,
      holidays: 0,
      zone: 'UTC',
    });
    expect(summarizeHours({ weekly: 'always' })).toEqual({ kind: 'unreadable' });
  });

  it("puts the server's next opening in English, keeping what it does not know", () => {
    expect(openingInEnglish('hoje às 13:00')).toBe('today at 13:00');
    expect(openingInEnglish('amanhã à 01:00')).toBe('tomorrow at 01:00');
    expect(openingInEnglish('amanhã às 08:00')).toBe('tomorrow at 08:00');
    expect(openingInEnglish('segunda-feira, 14/07, às 08:00')).toBe('Monday, 14/07, at 08:00');
    expect(openingInEnglish('sábado, 02/01/2027, às 09:30')).toBe('Saturday, 02/01/2027, at 09:30');
    expect(openingInEnglish('terça-feira, 15/07, à 00:00')).toBe('Tuesday, 15/07, at 00:00');
    expect(openingInEnglish('em breve')).toBe('em breve');
  });
});
