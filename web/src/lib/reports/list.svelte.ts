/**
 * The report manager's list (RP-1): the reports read from the API, newest
 * first, kept current while the page is open. A report finishing arrives as
 * the realtime event `report.updated` (`onEvents`); as a fallback the
 * reports still processing are asked for every `POLL_MS`, and a ready
 * report is asked for again when its download expires, so its row shows
 * the server's expiry message. Status changes are announced (`announcement`,
 * for an `aria-live` region) in the server's words.
 */
import { describeError } from '../errors';
import { t } from '../i18n/index.svelte';
import { ApiFailure } from '../../api/errors';
import {
  changedStatus,
  nextExpiryDelay,
  POLL_MS,
  pollTargets,
  type Report,
  updatedReportIds,
  upsert,
} from './reports';

export interface ReportListDeps {
  list(mine: boolean): Promise<Report[]>;
  get(id: string): Promise<Report>;
  now?(): number;
}

export class ReportList {
  items = $state.raw<Report[]>([]);
  loading = $state(true);
  loadError = $state<string | null>(null);
  /** Only the signed-in user's own reports. */
  mine = $state(false);
  /** The last status change, for screen readers ("title: message"). */
  announcement = $state('');

  private loads = 0;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private polling = false;
  private stopped = false;

  constructor(private readonly deps: ReportListDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Reads the list again (an older answer arriving late is dropped). */
  async load(): Promise<void> {
    const n = ++this.loads;
    this.loading = true;
    this.loadError = null;
    try {
      const list = await this.deps.list(this.mine);
      if (n === this.loads) this.set(list);
    } catch (e) {
      if (n === this.loads) this.loadError = t('reports.loadError', { message: describeError(e) });
    } finally {
      if (n === this.loads) this.loading = false;
    }
  }

  /** Shows only the user's own reports, or everyone's. */
  setMine(mine: boolean): void {
    if (this.mine === mine) return;
    this.mine = mine;
    void this.load();
  }

  /** A report just requested: at the top of the list, announced. */
  add(r: Report): void {
    this.items = upsert(this.items, r);
    this.announce(r);
    this.schedule();
  }

  /** Asks for one report again and puts the answer in the list. */
  async refresh(id: string): Promise<void> {
    try {
      const r = await this.deps.get(id);
      if (this.stopped) return;
      this.set(upsert(this.items, r));
    } catch (e) {
      if (this.stopped) return;
      // Gone from the server: gone from the list.
      if (e instanceof ApiFailure && e.status === 404) {
        this.set(this.items.filter((x) => x.id !== id));
      }
      // Anything else: the next poll tries again.
    }
  }

  /** Realtime events: `report.updated` refreshes that report (an unknown one: the list). */
  onEvents(events: readonly { kind: string; payload?: unknown }[]): void {
    const ids = updatedReportIds(events);
    if (ids.length === 0 || this.stopped) return;
    if (ids.some((id) => !this.items.some((r) => r.id === id))) {
      void this.load();
      return;
    }
    for (const id of ids) void this.refresh(id);
  }

  /** Stops the timers (the page closed). */
  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.pollTimer = null;
    this.expiryTimer = null;
  }

  private set(next: Report[]): void {
    const changed = changedStatus(this.items, next);
    this.items = next;
    const last = changed[changed.length - 1];
    if (last) this.announce(last);
    this.schedule();
  }

  private announce(r: Report): void {
    this.announcement = t('reports.announce', { title: r.title, message: r.message });
  }

  /** Arms the poll while something is processing, and the next expiry. */
  private schedule(): void {
    if (this.stopped) return;
    if (!this.polling && !this.pollTimer && pollTargets(this.items).length > 0) {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = null;
        void this.poll();
      }, POLL_MS);
    }
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const delay = nextExpiryDelay(this.items, this.now());
    if (delay !== null) {
      this.expiryTimer = setTimeout(() => {
        this.expiryTimer = null;
        void this.refreshExpired();
      }, delay);
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    this.polling = true;
    try {
      await Promise.all(pollTargets(this.items).map((id) => this.refresh(id)));
    } finally {
      this.polling = false;
    }
    this.schedule();
  }

  /** The ready reports whose download time passed: the server now words them as expired. */
  private async refreshExpired(): Promise<void> {
    const now = this.now();
    const due = this.items.filter(
      (r) => r.status === 'ready' && r.expires_at && Date.parse(r.expires_at) <= now,
    );
    await Promise.all(due.map((r) => this.refresh(r.id)));
  }
}
