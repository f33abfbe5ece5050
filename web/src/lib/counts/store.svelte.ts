/** The tab counters the console shows, as the server last pushed them. */
import type { View } from '../../api/types';
import type { ViewCounts } from './counts';

export class CountsStore {
  /** Null until the first `counts` frame (or answer): show no number rather than a wrong one. */
  current = $state.raw<ViewCounts | null>(null);

  set(counts: ViewCounts): void {
    const c = this.current;
    if (c && c.all === counts.all && c.open === counts.open && c.mine === counts.mine && c.in_service === counts.in_service) {
      return;
    }
    this.current = counts;
  }

  of(view: View): number | null {
    return this.current?.[view] ?? null;
  }

  /** Logout: forget the numbers. */
  clear(): void {
    this.current = null;
  }
}

/** The console's counters (tests build their own). */
export const tabCounts = new CountsStore();
