/**
 * The ready responses the console offers (LC-20), loaded when first needed
 * and read again when a `ready_responses.changed` event arrives (any
 * create, rename, move or delete, by anyone).
 */
import { describeError } from '../errors';
import { fetchReady } from './api';
import type { ReadyCategory } from './ready';

export class ReadyStore {
  /** Null until loaded. */
  categories = $state.raw<ReadyCategory[] | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  private gen = 0;
  private wanted = false;

  constructor(private readonly fetch: () => Promise<ReadyCategory[]> = fetchReady) {}

  /** Loads once (the composer's picker calls this when it shows). */
  ensure(): void {
    if (this.wanted) return;
    this.wanted = true;
    void this.load();
  }

  async load(): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    try {
      const list = await this.fetch();
      if (gen !== this.gen) return;
      this.categories = list;
      this.error = null;
    } catch (e) {
      if (gen === this.gen) this.error = describeError(e);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  /** `ready_responses.changed`: read again, if anyone needed them yet. */
  changed(): void {
    if (this.wanted) void this.load();
  }

  /** Logout. */
  clear(): void {
    this.gen++;
    this.wanted = false;
    this.categories = null;
    this.error = null;
    this.loading = false;
  }
}

export const readyResponses = new ReadyStore();
