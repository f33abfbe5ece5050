import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../api/errors';
import { AdminList } from './adminList.svelte';

type Row = { id: string; name: string };

describe('AdminList', () => {
  it('loads, creates and edits in order, deletes', async () => {
    const remove = vi.fn(async () => {});
    const list = new AdminList<Row>({
      list: async () => [{ id: '2', name: 'b' }],
      remove,
      order: (a, b) => a.name.localeCompare(b.name),
    });
    await list.load();
    expect(list.loading).toBe(false);
    expect(list.items.map((r) => r.name)).toEqual(['b']);

    list.open(null);
    await list.save(async (editing) => ({ id: '1', name: editing ? 'x' : 'a' }));
    expect(list.items.map((r) => r.name)).toEqual(['a', 'b']);
    expect(list.editing).toBeUndefined();

    list.open(list.items[1] ?? null);
    await list.save(async (editing) => ({ id: editing?.id ?? '?', name: 'c' }));
    expect(list.items.map((r) => r.name)).toEqual(['a', 'c']);

    await list.remove({ id: '1', name: 'a' });
    expect(remove).toHaveBeenCalledOnce();
    expect(list.items.map((r) => r.id)).toEqual(['2']);
  });

  it('keeps the form open with the refusal, and a load failure as the page error', async () => {
    const list = new AdminList<Row>({
      list: async () => {
        throw new ApiFailure(500, 'internal', 'Erro interno.');
      },
      remove: async () => {},
    });
    await list.load();
    expect(list.loadError).toContain('Erro interno.');
    list.open(null);
    await list.save(async () => {
      throw new ApiFailure(409, 'conflict', 'Já existe uma campanha com este nome.');
    });
    expect(list.editing).toBeNull();
    expect(list.formError).toContain('Já existe uma campanha com este nome.');
    expect(list.saving).toBe(false);
    // Nothing open: a save does nothing.
    list.close();
    const write = vi.fn(async () => ({ id: '9', name: 'z' }));
    await list.save(write);
    expect(write).not.toHaveBeenCalled();
  });
});
