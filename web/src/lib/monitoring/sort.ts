/**
 * The monitoring tables' sorting: one column at a time, ascending or
 * descending (what `aria-sort` says), rows without a value last either way.
 */

export type SortDir = 'ascending' | 'descending';

export interface Sort<K extends string> {
  key: K;
  dir: SortDir;
}

/** A cell's value for sorting: text (compared as the language does), a number, or none. */
export type SortValue = string | number | null | undefined;

/** The sort after a click on `key`'s header: the same column flips, another starts ascending. */
export function nextSort<K extends string>(current: Sort<K>, key: K): Sort<K> {
  if (current.key !== key) return { key, dir: 'ascending' };
  return { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
}

/** What a header's `aria-sort` says: only the sorted column has one. */
export function ariaSort<K extends string>(current: Sort<K>, key: K): SortDir | undefined {
  return current.key === key ? current.dir : undefined;
}

/**
 * The rows in `sort` order (a new array; equal rows keep their order).
 * Text compares in `locale` (case and accents aside, numbers in it by
 * value); a missing value goes last whatever the direction.
 */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  sort: Sort<K>,
  value: (row: T, key: K) => SortValue,
  locale: string,
): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const sign = sort.dir === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, i) => ({ row, i, v: value(row, sort.key) }));
  keyed.sort((a, b) => {
    const an = a.v === null || a.v === undefined || Number.isNaN(a.v);
    const bn = b.v === null || b.v === undefined || Number.isNaN(b.v);
    if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
    const c =
      typeof a.v === 'number' && typeof b.v === 'number'
        ? a.v - b.v
        : collator.compare(String(a.v), String(b.v));
    return c === 0 ? a.i - b.i : sign * c;
  });
  return keyed.map((k) => k.row);
}
