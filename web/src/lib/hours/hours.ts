/**
 * Business hours of an inbox (LC-22) as the editor fills them, and the JSON
 * the server takes (`PUT /inboxes/{id}/business-hours {"hours": …}`,
 * crates/domain/src/hours.rs):
 *
 * ```json
 * {"time_zone": "America/Sao_Paulo",
 *  "shifts": [{"days": ["mon", "tue"], "from": "08:00", "to": "12:00"}],
 *  "holidays": [{"date": "2026-12-25", "name": "Natal"}]}
 * ```
 *
 * `hours: null` removes them: the inbox is always open. Shifts may be split
 * (08:00–12:00 and 13:00–18:00); "24:00" ends a day; a shift does not cross
 * midnight; no shifts at all means always closed. The server checks the
 * rest (overlaps, repeated days and holidays) and names the shift at fault
 * ("turno 2 …"), which `shiftsNamed` reads back to point at it.
 */

/** A day of the week as the API writes it. */
export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The days as the editor shows them: Dom, Seg, …, Sáb. */
export const DAYS: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The server's order (Monday first), in which the JSON lists a shift's days. */
const API_ORDER: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

/**
 * The Brazilian zones (IANA), Brasília first, with where they apply and
 * their offset (Brazil has had no daylight saving time since 2019).
 */
export const BRAZIL_ZONES: readonly { zone: string; where: string; offset: string }[] = [
  { zone: 'America/Sao_Paulo', where: 'Brasília, SP, RJ, MG, ES, PR, SC, RS, GO, DF', offset: 'UTC−3' },
  { zone: 'America/Bahia', where: 'BA', offset: 'UTC−3' },
  { zone: 'America/Fortaleza', where: 'CE, RN, PB, PI, MA', offset: 'UTC−3' },
  { zone: 'America/Recife', where: 'PE', offset: 'UTC−3' },
  { zone: 'America/Maceio', where: 'AL, SE', offset: 'UTC−3' },
  { zone: 'America/Belem', where: 'PA, AP', offset: 'UTC−3' },
  { zone: 'America/Santarem', where: 'PA (Santarém)', offset: 'UTC−3' },
  { zone: 'America/Araguaina', where: 'TO', offset: 'UTC−3' },
  { zone: 'America/Noronha', where: 'Fernando de Noronha', offset: 'UTC−2' },
  { zone: 'America/Cuiaba', where: 'MT', offset: 'UTC−4' },
  { zone: 'America/Campo_Grande', where: 'MS', offset: 'UTC−4' },
  { zone: 'America/Manaus', where: 'AM (Manaus)', offset: 'UTC−4' },
  { zone: 'America/Porto_Velho', where: 'RO', offset: 'UTC−4' },
  { zone: 'America/Boa_Vista', where: 'RR', offset: 'UTC−4' },
  { zone: 'America/Rio_Branco', where: 'AC', offset: 'UTC−5' },
  { zone: 'America/Eirunepe', where: 'AM (Eirunepé)', offset: 'UTC−5' },
];

/** Other common zones (offsets left out: many of them change with daylight saving time). */
export const OTHER_ZONES: readonly string[] = [
  'UTC',
  'America/Argentina/Buenos_Aires',
  'America/Asuncion',
  'America/Bogota',
  'America/Chicago',
  'America/Denver',
  'America/Lima',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/Montevideo',
  'America/New_York',
  'America/Santiago',
  'Africa/Luanda',
  'Africa/Maputo',
  'Europe/Berlin',
  'Europe/Lisbon',
  'Europe/London',
  'Europe/Madrid',
  'Europe/Paris',
  'Asia/Tokyo',
];

/** One shift as the editor holds it: which days are ticked, and its times as typed. */
export interface ShiftForm {
  days: Record<Day, boolean>;
  from: string;
  to: string;
}

export interface HolidayForm {
  /** `AAAA-MM-DD` (what a date input gives). */
  date: string;
  name: string;
}

export interface HoursForm {
  timeZone: string;
  shifts: ShiftForm[];
  holidays: HolidayForm[];
}

/** The API's JSON. */
export interface BusinessHours {
  time_zone: string;
  shifts: { days: Day[]; from: string; to: string }[];
  holidays: { date: string; name?: string }[];
}

function isDay(v: unknown): v is Day {
  return typeof v === 'string' && (API_ORDER as readonly string[]).includes(v);
}

/** Ticks for `days`. */
export function dayTicks(days: readonly Day[] = []): Record<Day, boolean> {
  return Object.fromEntries(API_ORDER.map((d) => [d, days.includes(d)])) as Record<Day, boolean>;
}

const WEEKDAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A new shift: Monday to Friday, `from`–`to`. */
export function newShift(from = '08:00', to = '18:00'): ShiftForm {
  return { days: dayTicks(WEEKDAYS), from, to };
}

/** What the editor starts from when nothing is known: Mon–Fri 08:00–12:00 and 13:00–18:00, in Brasília. */
export function defaultHoursForm(): HoursForm {
  return {
    timeZone: DEFAULT_TIME_ZONE,
    shifts: [newShift('08:00', '12:00'), newShift('13:00', '18:00')],
    holidays: [],
  };
}

/** The JSON of a form: days in the server's order, holiday names left out when blank. */
export function hoursBody(form: HoursForm): BusinessHours {
  return {
    time_zone: form.timeZone.trim(),
    shifts: form.shifts.map((s) => ({
      days: API_ORDER.filter((d) => s.days[d]),
      from: normalizeTime(s.from),
      to: normalizeTime(s.to),
    })),
    holidays: form.holidays.map((h) => {
      const name = h.name.trim();
      return name ? { date: h.date, name } : { date: h.date };
    }),
  };
}

/** The form of business hours JSON (as saved); null when it is not such JSON. */
export function hoursForm(json: unknown): HoursForm | null {
  if (typeof json !== 'object' || json === null) return null;
  const h = json as Record<string, unknown>;
  if (typeof h.time_zone !== 'string' || !Array.isArray(h.shifts)) return null;
  const shifts: ShiftForm[] = [];
  for (const s of h.shifts as unknown[]) {
    if (typeof s !== 'object' || s === null) return null;
    const { days, from, to } = s as Record<string, unknown>;
    if (!Array.isArray(days) || typeof from !== 'string' || typeof to !== 'string') return null;
    shifts.push({ days: dayTicks(days.filter(isDay)), from, to });
  }
  const holidays: HolidayForm[] = [];
  for (const x of Array.isArray(h.holidays) ? (h.holidays as unknown[]) : []) {
    if (typeof x !== 'object' || x === null) return null;
    const { date, name } = x as Record<string, unknown>;
    if (typeof date !== 'string') return null;
    holidays.push({ date, name: typeof name === 'string' ? name : '' });
  }
  return { timeZone: h.time_zone, shifts, holidays };
}

/** `HH:MM` from 00:00 to 23:59, or 24:00 (the end of the day), as the server takes it. */
export const TIME_PATTERN = '(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00';
const TIME_RE = new RegExp(`^(?:${TIME_PATTERN})$`);

export function isTime(s: string): boolean {
  return TIME_RE.test(s);
}

/**
 * A time as typed made `HH:MM` when it clearly is one ("8" → "08:00",
 * "8:30" → "08:30", "1330" → "13:30", "24" → "24:00"); anything else is
 * returned trimmed, for the input's pattern (or the server) to refuse.
 */
export function normalizeTime(typed: string): string {
  const s = typed.trim().replace(/\s*[hH.]\s*/, ':');
  const m = /^(\d{1,2})(?::?(\d{2}))?:?$/.exec(s);
  if (!m) return s;
  const out = `${(m[1] ?? '').padStart(2, '0')}:${m[2] ?? '00'}`;
  return isTime(out) ? out : s;
}

/**
 * The shifts (numbered from 1) a server refusal names, e.g. "turnos
 * sobrepostos na segunda-feira: turno 1 (08:00–12:00) e turno 2 (11:00–18:00)".
 */
export function shiftsNamed(message: string): number[] {
  const found = new Set<number>();
  for (const m of message.matchAll(/\bturno (\d+)/g)) found.add(Number(m[1]));
  return [...found].sort((a, b) => a - b);
}

/**
 * What the server would refuse for sure, found before sending: a time that
 * is not HH:MM (after `normalizeTime`) and a holiday without a date. The
 * rest (days, order of the times, overlaps, repeats) the server checks and
 * names. Shifts and holidays are numbered from 1, as the server does.
 */
export type FormProblem =
  | { kind: 'time'; shift: number; value: string }
  | { kind: 'date'; holiday: number };

export function formProblems(form: HoursForm): FormProblem[] {
  const out: FormProblem[] = [];
  form.shifts.forEach((s, i) => {
    for (const v of [s.from, s.to]) {
      if (!isTime(normalizeTime(v))) out.push({ kind: 'time', shift: i + 1, value: v.trim() });
    }
  });
  form.holidays.forEach((h, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date)) out.push({ kind: 'date', holiday: i + 1 });
  });
  return out;
}

/**
 * The holidays (numbered from 1) a server refusal names by date, e.g.
 * "feriado repetido: 25/12/2026".
 */
export function holidaysNamed(message: string, holidays: readonly HolidayForm[]): number[] {
  const dates = new Set<string>();
  for (const m of message.matchAll(/\bferiado repetido: (\d{2})\/(\d{2})\/(\d{4})/g)) {
    dates.add(`${m[3]}-${m[2]}-${m[1]}`);
  }
  return holidays.flatMap((h, i) => (dates.has(h.date) ? [i + 1] : []));
}

/** A holiday date for a new row: today in `timeZone` (`AAAA-MM-DD`). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    // Swedish writes dates as AAAA-MM-DD.
    return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/**
 * What the inboxes page says of saved hours: none (always open), a
 * summary of the form's reading, or "unreadable" when the form cannot
 * represent them (then the editor shows them as saved, raw).
 */
export type HoursSummary =
  | { kind: 'always' }
  | { kind: 'scheduled'; shifts: number; holidays: number; zone: string }
  | { kind: 'unreadable' };

export function summarizeHours(json: unknown): HoursSummary {
  if (json === null || json === undefined) return { kind: 'always' };
  const form = hoursForm(json);
  if (!form) return { kind: 'unreadable' };
  return { kind: 'scheduled', shifts: form.shifts.length, holidays: form.holidays.length, zone: form.timeZone };
}

const WEEKDAYS_EN: Record<string, string> = {
  'segunda-feira': 'Monday',
  'terça-feira': 'Tuesday',
  'quarta-feira': 'Wednesday',
  'quinta-feira': 'Thursday',
  'sexta-feira': 'Friday',
  sábado: 'Saturday',
  domingo: 'Sunday',
};

/**
 * The server's next opening (always pt-BR words: "hoje às 13:00", "amanhã
 * à 01:00", "segunda-feira, 14/07, às 08:00") in English; anything else is
 * returned as it came.
 */
export function openingInEnglish(words: string): string {
  const time = /^(.+?),? às? (\d{2}:\d{2})$/u.exec(words);
  if (!time) return words;
  const [, when = '', at = ''] = time;
  if (when === 'hoje') return `today at ${at}`;
  if (when === 'amanhã') return `tomorrow at ${at}`;
  const day = /^([a-zçá-]+), (\d{2}\/\d{2}(?:\/\d{4})?)$/u.exec(when);
  const weekday = day && WEEKDAYS_EN[day[1] ?? ''];
  return weekday ? `${weekday}, ${day[2]}, at ${at}` : words;
}
