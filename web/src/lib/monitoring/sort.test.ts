import { describe, expect, it } from 'vitest';
import { ariaSort, nextSort, type Sort, sortRows, type SortValue } from './sort';

interface Row {
  id: string;
  name: string;
  dept: string | null;
  wait: number | null;
}

const rows: Row[] = [
  { id: 'a', name: 'Érica', dept: 'Vendas', wait: 30 },
  { id: 'b', name: 'bruno', dept: null, wait: 120 },
  { id: 'c', name: 'Ana', dept: 'Suporte', wait: null },
  { id: 'd', name: 'Carla', dept: 'Vendas', wait: 30 },
  { id: 'e', name: 'Cliente 10', dept: 'Suporte', wait: 5 },
  { id: 'f', name: 'Cliente 9', dept: 'Suporte', wait: 5 },
];
type Col = 'name' | 'dept' | 'wait';
const value = (r: Row, k: Col): SortValue => r[k];
const ids = (sort: Sort<Col>) => sortRows(rows, sort, value, 'pt-BR').map((r) => r.id);

describe('nextSort and ariaSort', () => {
  it('flips the sorted column and starts another one ascending', () => {
    const s: Sort<Col> = { key: 'name', dir: 'ascending' };
    expect(nextSort(s, 'name')).toEqual({ key: 'name', dir: 'descending' });
    expect(nextSort(nextSort(s, 'name'), 'name')).toEqual(s);
    expect(nextSort({ key: 'name', dir: 'descending' }, 'wait')).toEqual({ key: 'wait', dir: 'ascending' });
  });

  it('puts aria-sort on the sorted column only', () => {
    const s: Sort<Col> = { key: 'wait', dir: 'descending' };
    expect(ariaSort(s, 'wait')).toBe('descending');
    expect(ariaSort(s, 'name')).toBeUndefined();
  });
});

describe('sortRows', () => {
  it('sorts text as the language does (case, accents and numbers inside)', () => {
    expect(ids({ key: 'name', dir: 'ascending' })).toEqual(['c', 'b', 'd', 'f', 'e', 'a']);
    expect(ids({ key: 'name', dir: 'descending' })).toEqual(['a', 'e', 'f', 'd', 'b', 'c']);
  });

  it('sorts numbers by value, equal ones in their first order either way', () => {
    expect(ids({ key: 'wait', dir: 'ascending' })).toEqual(['e', 'f', 'a', 'd', 'b', 'c']);
    expect(ids({ key: 'wait', dir: 'descending' })).toEqual(['b', 'a', 'd', 'e', 'f', 'c']);
  });

  it('puts rows without a value last in both directions', () => {
    expect(ids({ key: 'dept', dir: 'ascending' }).at(-1)).toBe('b');
    expect(ids({ key: 'dept', dir: 'descending' }).at(-1)).toBe('b');
    expect(ids({ key: 'wait', dir: 'ascending' }).at(-1)).toBe('c');
  });

  it('returns a new array and leaves the rows as they were', () => {
    const before = rows.map((r) => r.id);
    const sorted = sortRows(rows, { key: 'name', dir: 'ascending' }, value, 'en');
    expect(sorted).not.toBe(rows);
    expect(rows.map((r) => r.id)).toEqual(before);
  });
});
