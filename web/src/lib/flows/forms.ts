/**
 * Small conversions the step forms share: numbers typed in inputs, a wait
 * in a unit people think in, references matched by id or name.
 */

/** A whole number typed in an input, or undefined when blank or not a number. */
export function toInt(text: string): number | undefined {
  const v = text.trim();
  if (!/^-?\d+$/.test(v)) return undefined;
  return Number.parseInt(v, 10);
}

/** A number typed in an input (a comma reads as the decimal point), or undefined. */
export function toNumber(text: string): number | undefined {
  const v = text.trim().replace(',', '.');
  if (v === '' || !Number.isFinite(Number(v))) return undefined;
  return Number(v);
}

export const WAIT_UNITS = [
  { unit: 'days', seconds: 86_400 },
  { unit: 'hours', seconds: 3_600 },
  { unit: 'minutes', seconds: 60 },
  { unit: 'seconds', seconds: 1 },
] as const;
export type WaitUnit = (typeof WAIT_UNITS)[number]['unit'];

/** A wait as an amount of the largest unit it is a whole number of (90 s → 90 seconds, 7200 s → 2 hours). */
export function splitSeconds(seconds: number): { amount: number; unit: WaitUnit } {
  for (const u of WAIT_UNITS) {
    if (seconds > 0 && seconds % u.seconds === 0) return { amount: seconds / u.seconds, unit: u.unit };
  }
  return { amount: seconds, unit: 'seconds' };
}

export function joinSeconds(amount: number, unit: WaitUnit): number {
  return amount * (WAIT_UNITS.find((u) => u.unit === unit)?.seconds ?? 1);
}

/**
 * The option a reference (an id, or a name or e-mail as imported documents
 * have them) stands for, matched like the server does: id, or the name
 * ignoring case and surrounding spaces.
 */
export function matchRef<T extends { id: string; name: string }>(
  options: readonly T[],
  ref: string | undefined,
): T | null {
  const wanted = (ref ?? '').trim().toLowerCase();
  if (!wanted) return null;
  return options.find((o) => o.id.toLowerCase() === wanted || o.name.trim().toLowerCase() === wanted) ?? null;
}

/** A fresh choice id not in `taken`: `base_1`, `base_2`, … */
export function freshId(base: string, taken: readonly string[]): string {
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.includes(id)) return id;
  }
}
