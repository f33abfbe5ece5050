import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../api/errors';
import { ReportList } from './list.svelte';
import { POLL_MS, type Report } from './reports';

const PROCESSING = 'O histórico está sendo processado e em breve estará disponível';
const READY = 'Baixar histórico completo do contato';
const EXPIRED = 'O histórico completo da conversa expirou. Gere novamente para obter os dados';

const report = (id: string, over: Partial<Report> = {}): Report => ({
  id,
  kind: 'history',
  title: `Histórico ${id}`,
  status: 'processing',
  message: PROCESSING,
  created_at: '2026-03-31T12:00:00Z',
  ...over,
});

const ready = (id: string, over: Partial<Report> = {}) =>
  report(id, { status: 'ready', message: READY, download_url: `/api/v1/reports/${id}/download`, ...over });

/** Lets pending promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('ReportList', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls a processing report every 2 s until it is ready, then stops', async () => {
    let state: Report = report('a');
    const get = vi.fn(async () => state);
    const list = new ReportList({ list: async () => [state], get });
    await list.load();
    expect(list.items).toHaveLength(1);
    expect(get).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(get).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(get).toHaveBeenCalledTimes(2);

    state = ready('a', { expires_at: '2099-01-01T00:00:00Z' });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(list.items[0]?.status).toBe('ready');
    expect(list.announcement).toBe(`Histórico a: ${READY}`);
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(get).toHaveBeenCalledTimes(3);
    list.stop();
  });

  it('does not poll when nothing is processing', async () => {
    const get = vi.fn(async () => ready('a'));
    const list = new ReportList({ list: async () => [ready('a'), report('b', { status: 'failed' })], get });
    await list.load();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(get).not.toHaveBeenCalled();
    list.stop();
  });

  it('adds a new report at the top, announces it and starts polling', async () => {
    const get = vi.fn(async (id: string) => ready(id));
    const list = new ReportList({ list: async () => [ready('old', { created_at: '2026-03-30T00:00:00Z' })], get });
    await list.load();
    list.add(report('new'));
    expect(list.items.map((r) => r.id)).toEqual(['new', 'old']);
    expect(list.announcement).toBe(`Histórico new: ${PROCESSING}`);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(get).toHaveBeenCalledWith('new');
    expect(list.items[0]?.status).toBe('ready');
    list.stop();
  });

  it('refreshes on `report.updated`; an unknown report reloads the list', async () => {
    const listCall = vi.fn(async () => [report('a')]);
    const get = vi.fn(async (id: string) => ready(id));
    const list = new ReportList({ list: listCall, get });
    await list.load();
    list.onEvents([{ kind: 'report.updated', payload: { report_id: 'a', status: 'ready' } }]);
    await settle();
    expect(get).toHaveBeenCalledWith('a');
    expect(list.items[0]?.status).toBe('ready');

    list.onEvents([{ kind: 'report.updated', payload: { report_id: 'z', status: 'ready' } }]);
    await settle();
    expect(listCall).toHaveBeenCalledTimes(2);
    list.onEvents([{ kind: 'message.created', payload: {} }]);
    await settle();
    expect(listCall).toHaveBeenCalledTimes(2);
    list.stop();
  });

  it('asks again when a download expires, and shows the server’s expiry', async () => {
    const now = Date.parse('2026-03-31T12:00:00Z');
    vi.setSystemTime(now);
    const get = vi.fn(async (id: string) => report(id, { status: 'expired', message: EXPIRED }));
    const list = new ReportList({ list: async () => [ready('a', { expires_at: '2026-03-31T12:00:10Z' })], get });
    await list.load();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(get).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(get).toHaveBeenCalledWith('a');
    expect(list.items[0]?.message).toBe(EXPIRED);
    list.stop();
  });

  it('drops a report the server no longer has, and keeps polling through other errors', async () => {
    let fail: ApiFailure = new ApiFailure(0, 'network', 'offline');
    const get = vi.fn(async () => {
      throw fail;
    });
    const list = new ReportList({ list: async () => [report('a')], get });
    await list.load();
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(list.items).toHaveLength(1);
    fail = new ApiFailure(404, 'not_found', 'Não encontrado.');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(get).toHaveBeenCalledTimes(2);
    expect(list.items).toHaveLength(0);
    list.stop();
  });

  it('keeps a load failure as the page error, and lists only mine when asked', async () => {
    const listCall = vi.fn(async (mine: boolean) => {
      if (!mine) throw new ApiFailure(500, 'internal', 'Erro interno.');
      return [ready('mine')];
    });
    const list = new ReportList({ list: listCall, get: async (id) => ready(id) });
    await list.load();
    expect(list.loadError).toContain('Erro interno.');
    list.setMine(true);
    await settle();
    expect(listCall).toHaveBeenLastCalledWith(true);
    expect(list.loadError).toBeNull();
    expect(list.items.map((r) => r.id)).toEqual(['mine']);
    list.stop();
  });

  it('stops polling once stopped', async () => {
    const get = vi.fn(async () => report('a'));
    const list = new ReportList({ list: async () => [report('a')], get });
    await list.load();
    list.stop();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(get).not.toHaveBeenCalled();
  });
});
