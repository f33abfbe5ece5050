import { describe, expect, it } from 'vitest';
import { scrollToReveal, visibleRange } from './virtual';

describe('virtual list range', () => {
  it('renders only the rows in view plus the overscan, even for 10,000 items', () => {
    const r = visibleRange(10_000, 68, 68 * 5000, 680, 6);
    expect(r.start).toBe(4994);
    expect(r.end).toBe(5017);
    expect(r.end - r.start).toBeLessThan(30);
  });

  it('clamps at both ends', () => {
    expect(visibleRange(10_000, 68, 0, 680, 6)).toEqual({ start: 0, end: 17 });
    const last = visibleRange(10_000, 68, 68 * 10_000, 680, 6);
    expect(last.end).toBe(10_000);
    expect(last.start).toBeLessThan(10_000);
    expect(visibleRange(0, 68, 0, 680, 6)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(3, 68, 0, 680, 6)).toEqual({ start: 0, end: 3 });
  });

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 50, 100, 300)).toBe(0);
    expect(scrollToReveal(3, 50, 100, 300)).toBeNull();
    expect(scrollToReveal(9, 50, 100, 300)).toBe(200);
  });
});
