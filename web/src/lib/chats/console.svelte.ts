/**
 * The agent console's state, in one place (STYLE 14): the chat list, the
 * open conversation and the connection status. Server changes arrive as
 * events from `EventSync`, in `seq` order, and are applied here only.
 */
import {
  type ApiEvent,
  type Conversation,
  type Message,
  type Order,
  ORDERS,
  type SendRequest,
  type View,
  VIEWS,
} from '../../api/types';
import { describeError } from '../errors';
import { t } from '../i18n/index.svelte';
import { notify } from '../notices.svelte';
import type { SyncStatus } from '../realtime/sync';
import * as payloads from '../realtime/payloads';
import * as chatApi from './api';
import { appendPage, DEFAULT_QUERY, type ListQuery, place } from './listQuery';
import { mergeMessages } from './messages';
import { windowAfterInbound } from './sessionWindow';
import type { TemplateSend } from '../templates/templates';

export type ChatApi = typeof chatApi;
export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

const QUERY_KEY = 'atende.chatList';
/** Coalesce refetches of chats touched by a burst of events. */
const REFETCH_DELAY_MS = 150;

/** The list settings kept from the last visit (search is not kept). */
function storedQuery(): ListQuery {
  const q = { ...DEFAULT_QUERY };
  try {
    const raw = globalThis.localStorage?.getItem(QUERY_KEY);
    const saved: unknown = raw ? JSON.parse(raw) : null;
    if (typeof saved !== 'object' || saved === null) return q;
    const s = saved as Record<string, unknown>;
    if ((VIEWS as readonly unknown[]).includes(s.view)) q.view = s.view as View;
    if ((ORDERS as readonly unknown[]).includes(s.order)) q.order = s.order as Order;
    for (const k of ['tag', 'department', 'agent', 'channel'] as const) {
      const v = s[k];
      if (typeof v === 'string') q[k] = v;
    }
    q.unreadOnly = s.unreadOnly === true;
  } catch {
    // Unreadable: start from the defaults.
  }
  return q;
}

export class ConsoleStore {
  query = $state<ListQuery>(storedQuery());
  items = $state.raw<Conversation[]>([]);
  nextCursor = $state<string | null>(null);
  listState = $state<LoadState>('idle');
  listError = $state<string | null>(null);
  loadingMore = $state(false);

  openId = $state<string | null>(null);
  openConversation = $state.raw<Conversation | null>(null);
  messages = $state.raw<Message[]>([]);
  olderCursor = $state<string | null>(null);
  paneState = $state<LoadState>('idle');
  paneError = $state<string | null>(null);
  loadingOlder = $state(false);
  olderError = $state<string | null>(null);

  sync = $state<SyncStatus>('connecting');

  private listGen = 0;
  private paneGen = 0;
  /** Events applied while the list was loading, replayed onto the result. */
  private listBacklog: ApiEvent[] = [];
  private refetchIds = new Set<string>();
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  private readTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly chats: ChatApi = chatApi) {}

  // ---- chat list ----------------------------------------------------------

  setQuery(patch: Partial<ListQuery>): void {
    this.query = { ...this.query, ...patch };
    try {
      const { search: _search, ...kept } = this.query;
      globalThis.localStorage?.setItem(QUERY_KEY, JSON.stringify(kept));
    } catch {
      // Not kept across reloads; still applied now.
    }
    void this.reloadList();
  }

  async reloadList(): Promise<void> {
    const gen = ++this.listGen;
    this.listState = 'loading';
    this.listError = null;
    this.listBacklog = [];
    try {
      const page = await this.chats.fetchList(this.query, null);
      if (gen !== this.listGen) return;
      this.items = page.items;
      this.nextCursor = page.next_cursor ?? null;
      this.listState = 'ready';
      const backlog = this.listBacklog;
      this.listBacklog = [];
      for (const e of backlog) this.applyToList(e);
    } catch (e) {
      if (gen !== this.listGen) return;
      this.listState = 'error';
      this.listError = describeError(e);
    }
  }

  /** The next page (infinite scroll). */
  async loadMore(): Promise<void> {
    if (this.loadingMore || !this.nextCursor || this.listState !== 'ready') return;
    const gen = this.listGen;
    this.loadingMore = true;
    try {
      const page = await this.chats.fetchList(this.query, this.nextCursor);
      if (gen !== this.listGen) return;
      this.items = appendPage(this.items, page.items);
      this.nextCursor = page.next_cursor ?? null;
    } catch (e) {
      if (gen === this.listGen) notify(t('list.loadError', { message: describeError(e) }));
    } finally {
      if (gen === this.listGen) this.loadingMore = false;
    }
  }

  async markUnread(id: string): Promise<void> {
    try {
      await this.chats.markUnread(id);
      this.patch(id, (c) => ({ ...c, unread: Math.max(1, c.unread) }));
    } catch (e) {
      notify(t('item.markUnreadFailed', { message: describeError(e) }));
    }
  }

  // ---- open conversation --------------------------------------------------

  async openChat(id: string): Promise<void> {
    const gen = ++this.paneGen;
    const listed = this.items.find((c) => c.id === id) ?? null;
    this.openId = id;
    this.openConversation = listed;
    this.messages = [];
    this.olderCursor = null;
    this.olderError = null;
    this.paneState = 'loading';
    this.paneError = null;
    try {
      const [conv, page] = await Promise.all([this.chats.fetchConversation(id), this.chats.fetchMessages(id, null)]);
      if (gen !== this.paneGen) return;
      this.openConversation = conv;
      // Live messages may have arrived meanwhile: merge, never replace.
      this.messages = mergeMessages(this.messages, page.items);
      this.olderCursor = page.next_cursor ?? null;
      this.paneState = 'ready';
      if (conv.unread > 0 || (listed?.unread ?? 0) > 0) void this.markReadNow(id);
    } catch (e) {
      if (gen !== this.paneGen) return;
      this.paneState = 'error';
      this.paneError = describeError(e);
    }
  }

  closeChat(): void {
    this.paneGen++;
    this.openId = null;
    this.openConversation = null;
    this.messages = [];
    this.paneState = 'idle';
  }

  async loadOlder(): Promise<void> {
    const id = this.openId;
    if (!id || !this.olderCursor || this.loadingOlder) return;
    const gen = this.paneGen;
    this.loadingOlder = true;
    this.olderError = null;
    try {
      const page = await this.chats.fetchMessages(id, this.olderCursor);
      if (gen !== this.paneGen) return;
      this.messages = mergeMessages(this.messages, page.items);
      this.olderCursor = page.next_cursor ?? null;
    } catch (e) {
      if (gen === this.paneGen) this.olderError = describeError(e);
    } finally {
      if (gen === this.paneGen) this.loadingOlder = false;
    }
  }

  /** Sends a text or internal note; throws the failure for the composer. */
  async send(id: string, text: string, internal: boolean, idempotencyKey: string): Promise<void> {
    await this.sendRequest(id, { text, internal }, idempotencyKey);
  }

  /** Sends any message body (media, contact card…); returns the message. */
  async sendRequest(id: string, body: SendRequest, idempotencyKey: string): Promise<Message> {
    const msg = await this.chats.sendMessage(id, body, idempotencyKey);
    if (this.openId === msg.conversation_id) this.messages = mergeMessages(this.messages, [msg]);
    return msg;
  }

  /** Sends a template (CH-6, allowed outside the window); throws the failure. */
  async sendTemplate(id: string, template: TemplateSend, idempotencyKey: string): Promise<void> {
    const msg = await this.chats.sendMessage(id, { template }, idempotencyKey);
    if (this.openId === msg.conversation_id) this.messages = mergeMessages(this.messages, [msg]);
  }

  private async markReadNow(id: string): Promise<void> {
    this.patch(id, (c) => ({ ...c, unread: 0 }));
    try {
      await this.chats.markRead(id);
    } catch (e) {
      notify(t('item.markReadFailed', { message: describeError(e) }));
    }
  }

  /** LC-7: a chat open on screen is marked read when a message arrives. */
  private markReadSoon(id: string): void {
    if (this.readTimer) clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => {
      this.readTimer = null;
      if (this.openId === id) void this.markReadNow(id);
    }, 300);
  }

  // ---- events -------------------------------------------------------------

  /** Applies events (from `EventSync`, in `seq` order). */
  apply(events: readonly ApiEvent[]): void {
    for (const e of events) {
      if (this.listState === 'loading') this.listBacklog.push(e);
      this.applyToList(e);
      this.applyToPane(e);
    }
  }

  private applyToList(e: ApiEvent): void {
    const id = e.conversation_id ?? null;
    switch (e.kind) {
      case 'message.created': {
        const m = payloads.createdMessage(e.payload);
        if (m) this.onMessage(m);
        return;
      }
      case 'conversation.read':
      case 'conversation.unread': {
        const n = payloads.unreadCount(e.payload);
        if (id && n !== null) this.patch(id, (c) => ({ ...c, unread: n }));
        return;
      }
      case 'conversation.assigned':
      case 'conversation.moved':
        if (id) {
          const a = payloads.assignment(e.payload);
          this.patch(id, (c) => ({ ...c, ...a }));
          this.refetchSoon(id);
        }
        return;
      case 'attendance.opened':
        if (id) {
          const a = payloads.assignment(e.payload);
          const protocol = payloads.protocolOf(e.payload);
          this.patch(id, (c) => ({ ...c, ...a, attendance_open: true, protocol: protocol ?? c.protocol, opened_at: e.created_at }));
          this.refetchSoon(id);
        }
        return;
      case 'attendance.closed':
        if (id) {
          this.patch(id, (c) => ({ ...c, attendance_open: false, agent_id: null, department_id: null }));
          this.refetchSoon(id);
        }
        return;
      case 'conversation.created':
        if (id) this.refetchSoon(id);
        return;
      case 'contact.updated': {
        const r = payloads.contactRename(e.payload);
        if (!r) return;
        const rename = (c: Conversation): Conversation =>
          c.contact.id === r.contactId ? { ...c, contact: { ...c.contact, name: r.name } } : c;
        this.items = this.items.map(rename);
        if (this.openConversation) this.openConversation = rename(this.openConversation);
        return;
      }
    }
  }

  private applyToPane(e: ApiEvent): void {
    if (!this.openId || e.conversation_id !== this.openId) return;
    if (e.kind === 'message.updated') {
      const u = payloads.messageUpdate(e.payload);
      if (u) this.messages = this.messages.map((m) => (m.id === u.messageId ? payloads.updateMessage(m, u) : m));
    } else if (e.kind === 'media.updated') {
      // The signed link is only in the message list: read the newest page again.
      void this.refreshNewestMessages(this.openId);
    }
  }

  /** A new message: list item moves/updates; the open pane shows it. */
  private onMessage(m: Message): void {
    const id = m.conversation_id;
    const isOpen = this.openId === id;
    if (isOpen) {
      this.messages = mergeMessages(this.messages, [m]);
      if (m.direction === 'in') this.markReadSoon(id);
    }
    const at = Date.parse(m.created_at);
    const known = this.items.find((c) => c.id === id) ?? (isOpen ? this.openConversation : null);
    if (!known) {
      this.refetchSoon(id);
      return;
    }
    this.patch(id, (c) => {
      // Already counted when the list was read after this message.
      if (Date.parse(c.last_message_at) >= at) return c;
      const inbound = m.direction === 'in';
      return {
        ...c,
        last_message_at: m.created_at,
        unread: inbound && !isOpen ? c.unread + 1 : c.unread,
        ...(inbound ? { last_inbound_at: m.created_at, ...windowAfterInbound(at) } : {}),
      };
    });
    if (!this.items.some((c) => c.id === id)) this.refetchSoon(id);
  }

  /**
   * The query a changed chat is placed by: the chat on screen stays listed
   * under "unread only" after it was read (it would vanish under the cursor).
   */
  private queryFor(id: string): ListQuery {
    return this.openId === id && this.query.unreadOnly ? { ...this.query, unreadOnly: false } : this.query;
  }

  /** Updates a chat in the list (moving it as the order says) and in the pane. */
  private patch(id: string, f: (c: Conversation) => Conversation): void {
    const listed = this.items.find((c) => c.id === id);
    if (listed) {
      const next = f(listed);
      if (next !== listed) this.items = place(this.items, next, this.queryFor(id), this.nextCursor !== null);
    }
    if (this.openConversation?.id === id) this.openConversation = f(this.openConversation);
  }

  /** Reads chats again whose list membership or details events can't tell. */
  private refetchSoon(id: string): void {
    this.refetchIds.add(id);
    this.refetchTimer ??= setTimeout(() => void this.flushRefetch(), REFETCH_DELAY_MS);
  }

  private async flushRefetch(): Promise<void> {
    this.refetchTimer = null;
    const ids = [...this.refetchIds];
    this.refetchIds.clear();
    const gen = this.listGen;
    await Promise.all(
      ids.map(async (id) => {
        try {
          const c = await this.chats.fetchConversation(id);
          if (gen !== this.listGen) return;
          this.items = place(this.items, c, this.queryFor(id), this.nextCursor !== null);
          if (this.openConversation?.id === id) this.openConversation = c;
        } catch (e) {
          if ((e as { status?: number }).status === 404) {
            // No longer visible to this user: it leaves the list.
            this.items = this.items.filter((c) => c.id !== id);
          } else {
            notify(t('item.refreshFailed', { message: describeError(e) }));
          }
        }
      }),
    );
  }

  private async refreshNewestMessages(id: string): Promise<void> {
    try {
      const page = await this.chats.fetchMessages(id, null);
      if (this.openId === id) this.messages = mergeMessages(this.messages, page.items);
    } catch (e) {
      notify(t('pane.loadError', { message: describeError(e) }));
    }
  }

  /** Forgets everything (logout). */
  reset(): void {
    this.listGen++;
    this.paneGen++;
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
    if (this.readTimer) clearTimeout(this.readTimer);
    this.refetchTimer = null;
    this.readTimer = null;
    this.refetchIds.clear();
    this.items = [];
    this.nextCursor = null;
    this.listState = 'idle';
    this.closeChat();
  }
}
