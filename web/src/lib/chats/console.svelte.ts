/**
 * The agent console's state, in one place (STYLE 14): the chat list, the
 * open conversation and the connection status. Server changes arrive as
 * events from `EventSync`, in `seq` order, and are applied here only.
 */
import {
  type ApiEvent,
  type Contact,
  type ContactUpdate,
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
import { lastMessageOf, sameLast } from './preview';
import { windowAfterInbound } from './sessionWindow';
import type { TemplateSend } from '../templates/templates';

export type ChatApi = typeof chatApi;
export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** LC-18: a colleague asked the signed-in agent to hand over a chat. */
export interface TransferRequest {
  conversationId: string;
  requestedBy: string;
  requestedByName: string;
  /** The chat's contact when the request arrived (null if not listed). */
  contactName: string | null;
}

const QUERY_KEY = 'atende.chatList';
/** Coalesce refetches of chats touched by a burst of events. */
const REFETCH_DELAY_MS = 150;
/** How many older pages (of `JUMP_PAGE`) a jump to a search hit reads at most. */
export const JUMP_MAX_PAGES = 25;

/**
 * Where `ensureLoaded` left a message: in `messages`, beyond the pages it may
 * read (`tooOld`), not in the conversation (`notFound`), or the chat changed.
 */
export type EnsureResult = 'loaded' | 'tooOld' | 'notFound' | 'cancelled';

/** Whether a failed read says the chat is not (or no longer) visible to this user. */
export function isNotVisible(e: unknown): boolean {
  return (e as { status?: unknown } | null)?.status === 404;
}

/** Whether a chat as the server answered it is in any of the caller's views (LC-1); none: they cannot see it. */
export function inSomeView(c: Pick<Conversation, 'views'>): boolean {
  return Array.isArray(c.views) && c.views.length > 0;
}

/** A forwarded chat: still visible to this user, gone from all their views, or unknown (the read failed). */
export type ForwardOutcome = 'visible' | 'left' | 'unknown';

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
    for (const k of ['tag', 'campaign', 'department', 'agent', 'channel'] as const) {
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

  /** The open chat's contact (CT-1), read with the chat and again when it changes. */
  contact = $state.raw<Contact | null>(null);
  contactState = $state<LoadState>('idle');
  contactError = $state<string | null>(null);

  /** The signed-in user: transfer requests (LC-18) addressed to them are kept. */
  userId: string | null = null;
  /** LC-18: colleagues asking for chats this user serves, newest last. */
  transferRequests = $state.raw<TransferRequest[]>([]);

  private listGen = 0;
  private paneGen = 0;
  /** The older-messages read under way (`loadOlder` or `ensureLoaded`), one at a time. */
  private olderTask: Promise<unknown> | null = null;
  /** Events applied while the list was loading, replayed onto the result. */
  private listBacklog: ApiEvent[] = [];
  private refetchIds = new Set<string>();
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Changes applied to each chat, so a read that crossed one is not trusted. */
  private changes = new Map<string, number>();
  private readTimer: ReturnType<typeof setTimeout> | null = null;
  private contactTimer: ReturnType<typeof setTimeout> | null = null;

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
      this.items = page.items.map((c) => this.asSeen(c));
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
      this.items = appendPage(this.items, page.items.map((c) => this.asSeen(c)));
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
    this.loadingOlder = false;
    this.olderTask = null;
    this.paneState = 'loading';
    this.paneError = null;
    if (this.contact && this.contact.id !== listed?.contact.id) this.contact = null;
    this.contactState = 'idle';
    this.contactError = null;
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
      return;
    }
    await this.loadContact();
  }

  /** Reads the open chat's contact (again); a failure leaves the last one read. */
  async loadContact(): Promise<void> {
    const id = this.openConversation?.contact.id;
    if (!id) return;
    const gen = this.paneGen;
    if (this.contact?.id !== id) this.contactState = 'loading';
    try {
      const c = await this.chats.fetchContact(id);
      if (gen !== this.paneGen || this.openConversation?.contact.id !== id) return;
      this.contact = c;
      this.contactState = 'ready';
      this.contactError = null;
    } catch (e) {
      if (gen !== this.paneGen) return;
      this.contactState = 'error';
      this.contactError = describeError(e);
    }
  }

  /**
   * Saves an edit of the open chat's contact (only changed fields); throws
   * the failure (e.g. 422 with the server's message) for the form.
   */
  async saveContact(patch: ContactUpdate): Promise<Contact> {
    const c = this.contact;
    if (!c) throw new Error('no contact');
    const saved = await this.chats.updateContact(c.id, patch);
    if (this.contact?.id === saved.id) this.contact = saved;
    this.renameContact(saved.id, saved.name);
    return saved;
  }

  /** Blocks or unblocks the open chat's contact (CT-4); throws the failure. */
  async setContactBlocked(blocked: boolean): Promise<Contact> {
    const c = this.contact;
    if (!c) throw new Error('no contact');
    const saved = await this.chats.setContactBlocked(c.id, blocked);
    if (this.contact?.id === saved.id) this.contact = saved;
    return saved;
  }

  /** Sets a chat's tags (ids); throws the failure. */
  async setTags(id: string, tags: string[]): Promise<void> {
    this.replaceConversation(await this.chats.setTags(id, tags));
  }

  /** Marks (or, with null, unmarks) the chat's campaign (LC-2); throws the failure. */
  async setCampaign(id: string, campaignId: string | null): Promise<void> {
    this.replaceConversation(await this.chats.setCampaign(id, campaignId));
  }

  /** Cancels a scheduled closing (LC-11); throws the failure. */
  async cancelScheduledClose(id: string): Promise<void> {
    this.replaceConversation(await this.chats.cancelClose(id));
  }

  /** LC-18: asks the serving agent for the chat; throws the failure (409 when nobody else serves it). */
  async requestTransfer(id: string): Promise<void> {
    this.replaceConversation(await this.chats.requestTransfer(id));
  }

  /** LC-18: hands the chat to the colleague who asked; throws the failure. */
  async acceptTransfer(r: TransferRequest): Promise<void> {
    const c = await this.chats.assignToAgent(r.conversationId, r.requestedBy);
    this.dismissTransfer(r.conversationId);
    this.replaceConversation(c);
  }

  /**
   * After "Encaminhar" (LC-9) or "Encaminhar para fluxo" (LC-10): is the
   * chat still visible to this user? The forward's answer says so by its
   * `views` (none: no longer); without one (a flow's run) the chat is read
   * again, where a 404 says it. A chat that left all the user's views leaves
   * the list and, if open, the pane closes with a notice, so nothing is sent
   * to a chat they cannot reach. Otherwise (e.g. they see all chats) it
   * stays open with its new state. A failed read changes nothing.
   */
  async afterForward(id: string, answered: Conversation | null = null): Promise<ForwardOutcome> {
    let seen = answered;
    if (!seen) {
      const before = this.changes.get(id) ?? 0;
      try {
        seen = await this.chats.fetchConversation(id);
      } catch (e) {
        if (!isNotVisible(e)) return 'unknown';
      }
      if (seen && (this.changes.get(id) ?? 0) !== before) {
        // An event crossed the read: its answer may predate it.
        this.refetchSoon(id);
        return 'visible';
      }
    }
    if (seen && inSomeView(seen)) {
      this.replaceConversation(seen);
      return 'visible';
    }
    this.items = this.items.filter((c) => c.id !== id);
    this.dismissTransfer(id);
    if (this.openId === id) this.closeChat();
    notify(t('forward.left'));
    return 'left';
  }

  dismissTransfer(conversationId: string): void {
    this.transferRequests = this.transferRequests.filter((r) => r.conversationId !== conversationId);
  }

  closeChat(): void {
    this.paneGen++;
    this.openId = null;
    this.openConversation = null;
    this.messages = [];
    this.olderCursor = null;
    this.loadingOlder = false;
    this.olderTask = null;
    this.paneState = 'idle';
    this.contact = null;
    this.contactState = 'idle';
    this.contactError = null;
  }

  async loadOlder(): Promise<void> {
    const id = this.openId;
    const cursor = this.olderCursor;
    if (!id || !cursor || this.loadingOlder) return;
    const gen = this.paneGen;
    this.loadingOlder = true;
    this.olderError = null;
    const task = (async () => {
      try {
        const page = await this.chats.fetchMessages(id, cursor);
        if (gen !== this.paneGen) return;
        this.messages = mergeMessages(this.messages, page.items);
        this.olderCursor = page.next_cursor ?? null;
      } catch (e) {
        if (gen === this.paneGen) this.olderError = describeError(e);
      } finally {
        if (gen === this.paneGen) this.loadingOlder = false;
      }
    })();
    this.olderTask = task;
    await task;
    if (this.olderTask === task) this.olderTask = null;
  }

  /**
   * LC-5: makes sure a message of the open chat (a search hit) is in
   * `messages`, reading older pages of `JUMP_PAGE` until it is, at most
   * `maxPages` of them. The pages read are kept (in one update, so the list
   * redraws once). A failed read throws, after keeping the pages read before it.
   */
  async ensureLoaded(messageId: string, maxPages = JUMP_MAX_PAGES): Promise<EnsureResult> {
    const id = this.openId;
    if (!id || this.paneState !== 'ready') return 'cancelled';
    const gen = this.paneGen;
    // A page the scroll asked for first (its result may hold the message).
    while (this.olderTask) await this.olderTask.catch(() => undefined);
    if (gen !== this.paneGen) return 'cancelled';
    const has = () => this.messages.some((m) => m.id === messageId);
    if (has()) return 'loaded';
    if (!this.olderCursor) return 'notFound';

    this.loadingOlder = true;
    this.olderError = null;
    let cursor: string | null = this.olderCursor;
    let read: Message[] = [];
    const keep = () => {
      if (gen !== this.paneGen) return;
      this.messages = mergeMessages(this.messages, read);
      this.olderCursor = cursor;
      read = [];
    };
    const task = (async (): Promise<EnsureResult> => {
      try {
        for (let n = 0; n < maxPages && cursor; n++) {
          const page = await this.chats.fetchMessages(id, cursor, chatApi.JUMP_PAGE);
          if (gen !== this.paneGen) return 'cancelled';
          read = read.concat(page.items);
          cursor = page.next_cursor ?? null;
          if (page.items.some((m) => m.id === messageId)) {
            keep();
            return 'loaded';
          }
        }
        keep();
        return cursor ? 'tooOld' : 'notFound';
      } catch (e) {
        keep();
        throw e;
      } finally {
        if (gen === this.paneGen) this.loadingOlder = false;
      }
    })();
    this.olderTask = task;
    try {
      return await task;
    } finally {
      if (this.olderTask === task) this.olderTask = null;
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
      case 'message.created':
        this.onMessage(payloads.messageOf(e.payload.message));
        return;
      case 'message.updated': {
        // A contact's edit carries the new text (receipts and reactions
        // don't): the row's preview may show that message, and only the
        // server knows whether it is the newest one.
        const shown = this.items.some((c) => c.id === id) || this.openConversation?.id === id;
        if (id && typeof e.payload.text === 'string' && shown) this.refetchSoon(id);
        return;
      }
      case 'conversation.read':
      case 'conversation.unread': {
        const n = e.payload.unread;
        if (id) this.patch(id, (c) => ({ ...c, unread: n }));
        return;
      }
      case 'conversation.assigned':
      case 'conversation.moved':
        if (id) {
          const a = payloads.assignment(e.payload);
          this.patch(id, (c) => ({ ...c, ...a }));
          // A request for a chat that is no longer mine is moot.
          if (a.agent_id !== this.userId) this.dismissTransfer(id);
          this.refetchSoon(id);
        }
        return;
      case 'attendance.opened':
        if (id) {
          const a = payloads.assignment(e.payload);
          const protocol = e.payload.protocol;
          this.patch(id, (c) => ({ ...c, ...a, attendance_open: true, protocol, opened_at: e.created_at }));
          this.refetchSoon(id);
        }
        return;
      case 'attendance.closed':
        if (id) {
          this.patch(id, (c) => ({ ...c, attendance_open: false, agent_id: null, department_id: null, close_at: null }));
          this.dismissTransfer(id);
          this.refetchSoon(id);
        }
        return;
      case 'attendance.close_scheduled':
        if (id) {
          const at = payloads.isoTime(e.payload.close_at);
          this.patch(id, (c) => ({ ...c, close_at: at }));
        }
        return;
      case 'attendance.close_cancelled':
        if (id) this.patch(id, (c) => ({ ...c, close_at: null }));
        return;
      case 'conversation.flow': {
        // The automation mark (LC-7): a flow started (forward to flow, after closing…) or ended.
        const running = e.payload.flow_running;
        if (id) this.patch(id, (c) => ({ ...c, flow_running: running }));
        return;
      }
      case 'conversation.tagged': {
        const tags = e.payload.tags;
        if (!id) return;
        this.patch(id, (c) => ({ ...c, tags }));
        // A chat that just got the filtered tag is read to join the list.
        const tag = this.query.tag;
        if (tag && tags.includes(tag) && !this.items.some((c) => c.id === id)) this.refetchSoon(id);
        return;
      }
      case 'conversation.campaign': {
        const campaign = e.payload.campaign_id ?? null;
        if (!id) return;
        this.patch(id, (c) => ({ ...c, campaign_id: campaign }));
        // A chat that just got the filtered campaign is read to join the list.
        const wanted = this.query.campaign;
        if (wanted && campaign === wanted && !this.items.some((c) => c.id === id)) this.refetchSoon(id);
        return;
      }
      case 'campaign.deleted': {
        const gone = e.payload.id;
        this.items = this.items.map((c) => (c.campaign_id === gone ? { ...c, campaign_id: null } : c));
        if (this.openConversation?.campaign_id === gone) {
          this.openConversation = { ...this.openConversation, campaign_id: null };
        }
        if (this.query.campaign === gone) this.setQuery({ campaign: '' });
        return;
      }
      case 'conversation.transfer_requested': {
        const r = e.payload;
        if (!this.userId || r.agent_id !== this.userId) return;
        const known = this.items.find((c) => c.id === r.conversation_id) ??
          (this.openConversation?.id === r.conversation_id ? this.openConversation : null);
        this.transferRequests = [
          ...this.transferRequests.filter((x) => x.conversationId !== r.conversation_id),
          {
            conversationId: r.conversation_id,
            requestedBy: r.requested_by,
            requestedByName: r.requested_by_name,
            contactName: known?.contact.name ?? null,
          },
        ];
        if (!known) void this.nameTransferContact(r.conversation_id);
        return;
      }
      case 'conversation.created':
        if (id) this.refetchSoon(id);
        return;
      case 'contact.updated': {
        const r = e.payload;
        this.renameContact(r.contact_id, r.name);
        // The open chat's contact changed (e.g. a colleague edited it): read it again.
        if (this.openConversation?.contact.id === r.contact_id) this.reloadContactSoon();
        return;
      }
    }
  }

  private applyToPane(e: ApiEvent): void {
    if (!this.openId || e.conversation_id !== this.openId) return;
    if (e.kind === 'message.updated') {
      const u = e.payload;
      this.messages = this.messages.map((m) => (m.id === u.message_id ? payloads.updateMessage(m, u) : m));
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
    // The row's preview (a system line keeps the one before it).
    const last = lastMessageOf(m);
    this.patch(id, (c) => {
      const seen = Date.parse(c.last_message_at);
      // A message in the same millisecond as the chat's last one (a system
      // line and a reply written together, a bot's burst) comes later in
      // the log: it becomes the preview; the counts stay as they are (the
      // list may have been read after it).
      if (seen === at && last && !sameLast(c.last_message, last)) return { ...c, last_message: last };
      // Already counted when the list was read after this message.
      if (seen >= at) return c;
      const inbound = m.direction === 'in';
      return {
        ...c,
        last_message_at: m.created_at,
        ...(last ? { last_message: last } : {}),
        unread: inbound && !isOpen ? c.unread + 1 : c.unread,
        ...(inbound ? { last_inbound_at: m.created_at, ...windowAfterInbound(c, at) } : {}),
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

  /**
   * A chat as the server sent it, shown read when it is the chat open on
   * screen (LC-7): a snapshot read before the open chat was marked read (or
   * counting a message it is about to be marked read for) must not bring
   * its unread badge back.
   */
  private asSeen(c: Conversation): Conversation {
    return c.id === this.openId && c.unread > 0 ? { ...c, unread: 0 } : c;
  }

  /** Updates a chat in the list (moving it as the order says) and in the pane. */
  private patch(id: string, f: (c: Conversation) => Conversation): void {
    this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
    const listed = this.items.find((c) => c.id === id);
    if (listed) {
      const next = f(listed);
      if (next !== listed) this.items = place(this.items, next, this.queryFor(id), this.nextCursor !== null);
    }
    if (this.openConversation?.id === id) this.openConversation = f(this.openConversation);
  }

  /** A request for a chat not on screen: read the chat for its contact's name. */
  private async nameTransferContact(id: string): Promise<void> {
    try {
      const c = await this.chats.fetchConversation(id);
      this.transferRequests = this.transferRequests.map((r) =>
        r.conversationId === id ? { ...r, contactName: c.contact.name } : r,
      );
    } catch {
      // The notice names no contact then.
    }
  }

  /** A contact's new name, wherever its chats are shown. */
  private renameContact(contactId: string, name: string): void {
    const rename = (c: Conversation): Conversation =>
      c.contact.id === contactId && c.contact.name !== name ? { ...c, contact: { ...c.contact, name } } : c;
    this.items = this.items.map(rename);
    if (this.openConversation) this.openConversation = rename(this.openConversation);
  }

  /** One read for a burst of `contact.updated` (one event per chat of the contact). */
  private reloadContactSoon(): void {
    this.contactTimer ??= setTimeout(() => {
      this.contactTimer = null;
      void this.loadContact();
    }, REFETCH_DELAY_MS);
  }

  /** A chat as an action answered it: placed in the list, shown in the pane. */
  private replaceConversation(answered: Conversation): void {
    const c = this.asSeen(answered);
    this.items = place(this.items, c, this.queryFor(c.id), this.nextCursor !== null);
    if (this.openConversation?.id === c.id) this.openConversation = c;
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
        const before = this.changes.get(id) ?? 0;
        try {
          const c = this.asSeen(await this.chats.fetchConversation(id));
          if (gen !== this.listGen) return;
          if ((this.changes.get(id) ?? 0) !== before) {
            // An event changed the chat while it was read (e.g. its flow
            // ended): the answer may predate it. Read it again.
            this.refetchSoon(id);
            return;
          }
          this.items = place(this.items, c, this.queryFor(id), this.nextCursor !== null);
          if (this.openConversation?.id === id) this.openConversation = c;
        } catch (e) {
          if (isNotVisible(e)) {
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
    if (this.contactTimer) clearTimeout(this.contactTimer);
    this.refetchTimer = null;
    this.readTimer = null;
    this.contactTimer = null;
    this.transferRequests = [];
    this.userId = null;
    this.refetchIds.clear();
    this.changes.clear();
    this.items = [];
    this.nextCursor = null;
    this.listState = 'idle';
    this.closeChat();
  }
}
