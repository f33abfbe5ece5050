import { describe, expect, it } from 'vitest';
import { parseCounts, shortCount } from './counts';
import { CountsStore } from './store.svelte';

const c = (all: number, open: number, mine: number, in_service: number) => ({ all, open, mine, in_service });

describe('tab counters', () => {
  it('reads the four views and refuses anything else', () => {
    expect(parseCounts({ all: 12, open: 3, mine: 1, in_service: 4 })).toEqual(c(12, 3, 1, 4));
    expect(parseCounts({ all: 12, open: 3, mine: 1 })).toBeNull();
    expect(parseCounts({ all: '12', open: 3, mine: 1, in_service: 4 })).toBeNull();
    expect(parseCounts({ all: -1, open: 3, mine: 1, in_service: 4 })).toBeNull();
    expect(parseCounts({ all: Number.NaN, open: 3, mine: 1, in_service: 4 })).toBeNull();
    expect(parseCounts(null)).toBeNull();
    expect(parseCounts([1, 2, 3, 4])).toBeNull();
  });

  it('shows big numbers short', () => {
    expect(shortCount(0)).toBe('0');
    expect(shortCount(999)).toBe('999');
    expect(shortCount(1000)).toBe('999+');
  });

  it('starts empty, takes the newest numbers, forgets them on logout', () => {
    const s = new CountsStore();
    expect(s.current).toBeNull();
    expect(s.of('mine')).toBeNull();
    s.set(c(5, 2, 1, 3));
    expect(s.of('mine')).toBe(1);
    const first = s.current;
    s.set(c(5, 2, 1, 3));
    expect(s.current, 'same numbers keep the same object').toBe(first);
    s.set(c(6, 2, 2, 4));
    expect(s.of('mine')).toBe(2);
    expect(s.of('all')).toBe(6);
    s.clear();
    expect(s.current).toBeNull();
  });
});
