/**
 * The state every admin list page shares: the rows read from the API, the
 * form being filled (a new row or one being edited), saving with its error,
 * and the row waiting for "Excluir?". Each page keeps its own form fields
 * and says how to list, write and delete.
 */
import { describeError } from './errors';
import { t } from './i18n/index.svelte';

export interface AdminListOps<T> {
  list(): Promise<T[]>;
  remove(item: T): Promise<void>;
  /** The rows' order after a save (default: as the API listed them, new ones last). */
  order?(a: T, b: T): number;
}

export class AdminList<T extends { id: string }> {
  items = $state.raw<T[]>([]);
  loading = $state(true);
  loadError = $state<string | null>(null);
  /** The row being edited (null: a new one); undefined: no form open. */
  editing = $state.raw<T | null | undefined>(undefined);
  saving = $state(false);
  formError = $state<string | null>(null);
  /** The row whose deletion waits for confirmation. */
  deleting = $state.raw<T | null>(null);

  constructor(private readonly ops: AdminListOps<T>) {}

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      this.items = await this.ops.list();
    } catch (e) {
      this.loadError = t('admin.loadError', { message: describeError(e) });
    } finally {
      this.loading = false;
    }
  }

  /** Opens the form for `item` (null: a new row). */
  open(item: T | null): void {
    this.editing = item;
    this.formError = null;
  }

  close(): void {
    this.editing = undefined;
  }

  /**
   * Writes the open form with `write` (given the row edited, or null to
   * create), puts the answer in the list and closes the form; a refusal
   * stays in `formError` with the form open.
   */
  async save(write: (editing: T | null) => Promise<T>): Promise<void> {
    const target = this.editing;
    if (this.saving || target === undefined) return;
    this.saving = true;
    this.formError = null;
    try {
      const saved = await write(target);
      const next = target ? this.items.map((x) => (x.id === saved.id ? saved : x)) : [...this.items, saved];
      this.items = this.ops.order ? [...next].sort(this.ops.order) : next;
      this.editing = undefined;
    } catch (err) {
      this.formError = t('admin.saveError', { message: describeError(err) });
    } finally {
      this.saving = false;
    }
  }

  /** Deletes a row (the confirmation dialog shows a refusal). */
  async remove(item: T): Promise<void> {
    await this.ops.remove(item);
    this.items = this.items.filter((x) => x.id !== item.id);
  }
}
