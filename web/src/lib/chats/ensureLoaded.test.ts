import { describe, expect, it, vi } from 'vitest';
import type { Message, MessagePage } from '../../api/types';
import { ApiFailure } from '../../api/errors';
import { conv, msg } from '../../test/fixtures';
import type { ChatApi } from './console.svelte';
import { ConsoleStore } from './console.svelte';

const id = (n: number) => `m${String(n).padStart(5, '0')}`;

/** A chat of `total` messages, paged like the API: oldest first in a page, `before` a message id. */
function chatOf(total: number) {
  const all: Message[] = Array.from({ length: total }, (_, n) =>
    msg(id(n), { created_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString() }),
  );
  const calls: { before: string | null; limit: number }[] = [];
  let fail = false;
  const fetchMessages = vi.fn(async (_c: string, before: string | null, limit = 50): Promise<MessagePage> => {
    calls.push({ before, limit });
    if (fail) throw new ApiFailure(0, 'network', '');
    const end = before ? all.findIndex((m) => m.id === before) : all.length;
    const start = Math.max(0, end - limit);
    const items = all.slice(start, end);
    return { items, next_cursor: start > 0 ? (items[0]?.id ?? null) : null };
  });
  const api = {
    MESSAGE_PAGE: 50,
    JUMP_PAGE: 200,
    fetchConversation: vi.fn(async () => conv('c1')),
    fetchMessages,
    fetchContact: vi.fn(async () => {
      throw new ApiFailure(404, 'not_found', '');
    }),
    markRead: vi.fn(),
  } as unknown as ChatApi;
  return {
    api,
    calls,
    failNext: () => (fail = true),
  };
}

async function opened(total: number) {
  const chat = chatOf(total);
  const store = new ConsoleStore(chat.api);
  await store.openChat('c1');
  chat.calls.length = 0;
  return { store, ...chat };
}

describe('ConsoleStore.ensureLoaded (jump to a search hit, LC-5)', () => {
  it('answers at once for a message already shown', async () => {
    const { store, calls } = await opened(120);
    expect(store.messages).toHaveLength(50);
    expect(await store.ensureLoaded(id(100))).toBe('loaded');
    expect(calls).toEqual([]);
  });

  it('reads older pages of 200 until the message is there, keeping them in order', async () => {
    const { store, calls } = await opened(1000);
    expect(await store.ensureLoaded(id(400))).toBe('loaded');
    // 950 older than the first page: 750..949, 550..749, 350..549.
    expect(calls.map((c) => c.limit)).toEqual([200, 200, 200]);
    expect(calls[0]?.before).toBe(id(950));
    expect(store.messages).toHaveLength(650);
    expect(store.messages[0]?.id).toBe(id(350));
    expect(store.messages.some((m) => m.id === id(400))).toBe(true);
    expect(store.olderCursor).toBe(id(350));
    expect(store.loadingOlder).toBe(false);
    // Scrolling up goes on from there.
    await store.loadOlder();
    expect(store.messages[0]?.id).toBe(id(300));
  });

  it('stops after the page limit and says the message is too old', async () => {
    const { store, calls } = await opened(10_000);
    expect(await store.ensureLoaded(id(5), 3)).toBe('tooOld');
    expect(calls).toHaveLength(3);
    // What was read stays, and the cursor goes on from it.
    expect(store.messages).toHaveLength(650);
    expect(store.olderCursor).toBe(store.messages[0]?.id);
    expect(store.loadingOlder).toBe(false);
  });

  it('stops at the beginning of the chat when the message is not there', async () => {
    const { store, calls } = await opened(300);
    expect(await store.ensureLoaded('nope')).toBe('notFound');
    expect(calls).toHaveLength(2);
    expect(store.olderCursor).toBeNull();
    expect(await store.ensureLoaded('nope')).toBe('notFound');
    expect(calls).toHaveLength(2);
  });

  it('throws a failed read and lets the list try again', async () => {
    const { store, failNext } = await opened(500);
    failNext();
    await expect(store.ensureLoaded(id(1))).rejects.toBeInstanceOf(ApiFailure);
    expect(store.loadingOlder).toBe(false);
    expect(store.olderCursor).toBe(id(450));
  });

  it('waits for a page the scroll asked for, and gives up when the chat changes', async () => {
    const { store, calls } = await opened(1000);
    const scrolled = store.loadOlder();
    const jump = store.ensureLoaded(id(700));
    await scrolled;
    expect(await jump).toBe('loaded');
    expect(calls.map((c) => c.limit)).toEqual([50, 200]);

    const other = store.ensureLoaded(id(10));
    void store.openChat('c2');
    expect(await other).toBe('cancelled');
    expect(store.loadingOlder).toBe(false);
  });
});
