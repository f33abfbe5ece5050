/**
 * Keeps the client's copy of the organization's event stream (LC-13):
 * one WebSocket, events handed to `apply` strictly in `seq` order, each at
 * most once. A reconnect that finds the server ahead (`hello.last_seq`
 * beyond what we have), a `{"type":"resync"}` from the server, or the
 * "Ressincronizar" button all catch up through `GET /events?after=N`,
 * page by page, before live events are applied again. The tab counters
 * (`{"type":"counts"}`, LC-1) ride the same socket and go to `onCounts`,
 * and so does live typing: a contact's (`{"type":"typing"}`) goes to
 * `onTyping`, the user's own is sent with `send`.
 *
 * A dead connection (Wi-Fi gone, laptop lid closed) may keep its socket
 * "open" for minutes: the client sends `{"type":"ping"}` every
 * `PING_EVERY_MS` (the server answers `{"type":"pong"}`), and a socket that
 * brought no frame at all for `DEAD_AFTER_MS` is closed and shown as lost,
 * like a dropped one. The browser's `offline` event does the same at once.
 *
 * Pure TypeScript with its socket, fetch, timers and clock injected, so it
 * is unit-tested.
 */
import type { components } from '../../api/schema';
import type { ApiEvent, EventPage } from '../../api/types';
import { parseCounts, type ViewCounts } from '../counts/counts';

export type SyncStatus =
  /** Opening the socket (first time or after a resync). */
  | 'connecting'
  /** Socket open and caught up. */
  | 'live'
  /** Fetching missed events before going live again. */
  | 'catching_up'
  /** The socket dropped: the user should press "Ressincronizar". */
  | 'lost'
  /** The server could not be reached while resynchronizing. */
  | 'offline'
  | 'stopped';

/** What the engine needs of a WebSocket. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  /** Sends a text frame; dropped while the socket is not open. */
  send(data: string): void;
  close(): void;
}

/** The timers and the clock the heartbeat runs on (the browser's by default). */
export interface SyncClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * The global timers, looked up on each call (so test fake timers installed
 * after the engine was built still apply).
 */
export const globalClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

/** How often the client pings the server while a socket is up. */
export const PING_EVERY_MS = 4_000;
/** A socket that brought no frame for this long is dead. */
export const DEAD_AFTER_MS = 10_000;
/** The close code of a socket whose session ended: sign in again. */
export const SESSION_ENDED = 4401;
/** The frame the client sends; the server answers `{"type":"pong"}`. */
export const PING_FRAME = '{"type":"ping"}';

export interface SyncDeps {
  openSocket(): SocketLike;
  /** `GET /api/v1/events?after=…`; rejects when the server is unreachable. */
  fetchEvents(after: number): Promise<EventPage>;
  /** Applies events, already in order and never seen before. */
  apply(events: ApiEvent[]): void;
  onStatus(status: SyncStatus): void;
  /**
   * Load the lists now: the first `hello` arrived (the stream starts at
   * `lastSeq`), or the first connection failed (`null`: load without live
   * updates; a later `hello` calls this again).
   */
  onBaseline(lastSeq: number | null): void;
  /** After a catch-up, e.g. to refresh what events cannot rebuild. */
  onCaughtUp?(): void;
  /** The tab counters the server pushed (`{"type":"counts"}`), as they arrive. */
  onCounts?(counts: ViewCounts): void;
  /** A chat's contact started or stopped typing (`{"type":"typing"}`, not ordered with events). */
  onTyping?(frame: TypingFrame): void;
  /**
   * The server closed the socket because the session ended (logout,
   * deactivation, revoked token: close code `SESSION_ENDED`). The engine
   * stops; the app shows the login page instead of reconnecting.
   */
  onSessionEnded?(): void;
  /** Timers and clock for the heartbeat; `globalClock` when absent. */
  clock?: SyncClock;
  /**
   * Calls `onOffline` when the device loses its network (the browser's
   * `offline` event); returns the unsubscribe. Watched from `start` to `stop`.
   */
  watchOffline?(onOffline: () => void): () => void;
}

/** The frames the server sends, as its OpenAPI document types them (the
 * heartbeat's `pong` only shows the socket is alive). */
type Frame = Exclude<components['schemas']['ServerFrame'], { type: 'pong' }>;
/** A contact's typing, as the server sends it. */
export type TypingFrame = Extract<Frame, { type: 'typing' }>;
/** A frame the client sends. */
export type ClientFrame = components['schemas']['ClientFrame'];

export function parseFrame(data: unknown): Frame | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const f = v as {
    type?: unknown;
    last_seq?: unknown;
    event?: unknown;
    counts?: unknown;
    conversation_id?: unknown;
    sender?: unknown;
    on?: unknown;
  };
  if (f.type === 'hello' && typeof f.last_seq === 'number') return { type: 'hello', last_seq: f.last_seq };
  if (f.type === 'resync') return { type: 'resync' };
  if (f.type === 'counts') {
    const counts = parseCounts(f.counts);
    return counts ? { type: 'counts', counts } : null;
  }
  if (f.type === 'typing') {
    if (typeof f.conversation_id !== 'string' || typeof f.on !== 'boolean' || typeof f.sender !== 'string') return null;
    return { type: 'typing', conversation_id: f.conversation_id, sender: f.sender, on: f.on };
  }
  if (f.type === 'event' && typeof f.event === 'object' && f.event !== null) {
    const e = f.event as ApiEvent;
    if (typeof e.seq === 'number' && typeof e.kind === 'string') return { type: 'event', event: e };
  }
  return null;
}

/** Stop paging after this many pages in one catch-up (a runaway guard). */
const MAX_PAGES = 10_000;

export class EventSync {
  private socket: SocketLike | null = null;
  private lastSeq: number | null = null;
  private status: SyncStatus = 'stopped';
  /** Live events that arrived while catching up. */
  private buffer: ApiEvent[] = [];
  private catchingUp = false;
  private resyncAsked = false;
  private stopped = true;
  /** `onBaseline(null)` was called (first connection failed). */
  private baselineGiven = false;
  private readonly clock: SyncClock;
  /** When the current socket last brought a frame (or was opened). */
  private lastFrameAt = 0;
  private pingTimer: unknown = null;
  private deadTimer: unknown = null;
  private unwatchOffline: (() => void) | null = null;

  constructor(private readonly deps: SyncDeps) {
    this.clock = deps.clock ?? globalClock;
  }

  /** The newest `seq` applied (or covered by a catch-up). */
  get seq(): number | null {
    return this.lastSeq;
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  /**
   * Sends a frame on the current socket (e.g. the user's typing); false,
   * and nothing sent, while there is none. Not queued: a frame that cannot
   * go now is stale by the time a socket is back.
   */
  send(frame: ClientFrame): boolean {
    if (this.stopped || !this.socket) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  start(): void {
    this.stopped = false;
    this.unwatchOffline?.();
    this.unwatchOffline = this.deps.watchOffline?.(() => this.onOffline()) ?? null;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.unwatchOffline?.();
    this.unwatchOffline = null;
    this.dropSocket();
    this.buffer = [];
    this.setStatus('stopped');
  }

  /**
   * The "Ressincronizar" button: catch up through `/events`, then reconnect.
   * Resolves to false when the server could not be reached.
   */
  async resync(): Promise<boolean> {
    if (this.stopped || this.catchingUp) return false;
    this.dropSocket();
    if (this.lastSeq !== null) {
      this.setStatus('catching_up');
      const ok = await this.catchUp();
      if (!ok) {
        this.setStatus('offline');
        return false;
      }
    }
    if (this.stopped) return false;
    this.connect();
    return true;
  }

  private setStatus(s: SyncStatus): void {
    if (this.status === s) return;
    this.status = s;
    this.deps.onStatus(s);
  }

  private connect(): void {
    this.dropSocket();
    this.resyncAsked = false;
    this.setStatus('connecting');
    const socket = this.deps.openSocket();
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      // Any frame, even one this client does not read (`pong`), shows the
      // connection is alive.
      this.lastFrameAt = this.clock.now();
      this.onFrame(parseFrame(ev.data));
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      if (closeCode(ev) === SESSION_ENDED) {
        this.stop();
        this.deps.onSessionEnded?.();
        return;
      }
      this.onClosed();
    };
    socket.onerror = () => {
      // A close event follows; that is where the loss is handled.
    };
    this.startHeartbeat(socket);
  }

  /**
   * Pings every `PING_EVERY_MS` and gives the socket `DEAD_AFTER_MS` from its
   * opening, then from each frame, before it is declared dead. The handshake
   * counts too: the server's `hello` comes right after it.
   */
  private startHeartbeat(socket: SocketLike): void {
    this.stopHeartbeat();
    this.lastFrameAt = this.clock.now();
    this.pingTimer = this.clock.setInterval(() => {
      if (this.socket === socket) socket.send(PING_FRAME);
    }, PING_EVERY_MS);
    this.armDeadline(socket, DEAD_AFTER_MS);
  }

  /** One timer for the deadline, moved on only when it fires (not per frame). */
  private armDeadline(socket: SocketLike, ms: number): void {
    this.deadTimer = this.clock.setTimeout(() => {
      this.deadTimer = null;
      if (this.socket !== socket) return;
      const quiet = this.clock.now() - this.lastFrameAt;
      if (quiet >= DEAD_AFTER_MS) this.connectionDead();
      else this.armDeadline(socket, DEAD_AFTER_MS - quiet);
    }, ms);
  }

  private stopHeartbeat(): void {
    if (this.pingTimer !== null) this.clock.clearInterval(this.pingTimer);
    if (this.deadTimer !== null) this.clock.clearTimeout(this.deadTimer);
    this.pingTimer = null;
    this.deadTimer = null;
  }

  /** The browser lost its network: the socket cannot be trusted any more. */
  private onOffline(): void {
    if (this.stopped || !this.socket) return;
    this.connectionDead();
  }

  /** Closes a silent (or offline) socket and handles it as a dropped one. */
  private connectionDead(): void {
    this.dropSocket();
    this.onClosed();
  }

  private dropSocket(): void {
    this.stopHeartbeat();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onmessage = null;
      s.onclose = null;
      s.onerror = null;
      s.onopen = null;
      s.close();
    }
  }

  private onFrame(frame: Frame | null): void {
    if (!frame || this.stopped) return;
    switch (frame.type) {
      case 'hello':
        void this.onHello(frame.last_seq);
        return;
      case 'resync':
        // The server closes the socket next; catch up then.
        this.resyncAsked = true;
        return;
      case 'counts':
        // Absolute numbers, not ordered with events: the newest frame wins.
        this.deps.onCounts?.(frame.counts);
        return;
      case 'typing':
        this.deps.onTyping?.(frame);
        return;
      case 'event':
        if (this.catchingUp || this.status === 'connecting') {
          this.buffer.push(frame.event);
        } else {
          this.applyInOrder([frame.event]);
        }
    }
  }

  private async onHello(serverSeq: number): Promise<void> {
    if (this.lastSeq === null) {
      this.lastSeq = serverSeq;
      this.setStatus('live');
      this.deps.onBaseline(serverSeq);
      this.flushBuffer();
      return;
    }
    if (serverSeq > this.lastSeq) {
      // Events committed while we were away: the socket starts after them.
      const socket = this.socket;
      this.setStatus('catching_up');
      const ok = await this.catchUp();
      if (this.stopped) return;
      if (!ok) {
        this.dropSocket();
        this.setStatus('offline');
        return;
      }
      if (this.socket !== socket) {
        // The socket dropped (or went silent) meanwhile: not live.
        this.setStatus('lost');
        return;
      }
    }
    this.setStatus('live');
    this.flushBuffer();
  }

  private onClosed(): void {
    this.stopHeartbeat();
    this.socket = null;
    if (this.stopped) return;
    if (this.resyncAsked) {
      // The server told us we lagged: catch up and reconnect on our own.
      void this.resync();
      return;
    }
    if (this.catchingUp) return;
    this.setStatus('lost');
    if (this.lastSeq === null && !this.baselineGiven) {
      this.baselineGiven = true;
      this.deps.onBaseline(null);
    }
  }

  /** Pages through `/events` from `lastSeq`; false if the server is unreachable. */
  private async catchUp(): Promise<boolean> {
    this.catchingUp = true;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const after = this.lastSeq ?? 0;
        let p: EventPage;
        try {
          p = await this.deps.fetchEvents(after);
        } catch {
          return false;
        }
        if (this.stopped) return false;
        this.applyInOrder(p.events);
        // `last_seq` also covers events we may not see.
        if (p.last_seq > (this.lastSeq ?? 0)) this.lastSeq = p.last_seq;
        if (!p.has_more) break;
      }
      this.deps.onCaughtUp?.();
      return true;
    } finally {
      this.catchingUp = false;
    }
  }

  private flushBuffer(): void {
    const pending = this.buffer;
    this.buffer = [];
    this.applyInOrder(pending);
  }

  /** Applies the events newer than `lastSeq`, in `seq` order, once each. */
  private applyInOrder(events: readonly ApiEvent[]): void {
    const fresh = events
      .filter((e) => this.lastSeq === null || e.seq > this.lastSeq)
      .sort((a, b) => a.seq - b.seq);
    const out: ApiEvent[] = [];
    for (const e of fresh) {
      const last = out[out.length - 1];
      if (last && last.seq === e.seq) continue;
      out.push(e);
    }
    if (out.length === 0) return;
    const newest = out[out.length - 1];
    if (newest) this.lastSeq = newest.seq;
    this.deps.apply(out);
  }
}

/** The code of a close event, when it has one. */
function closeCode(ev: unknown): number | null {
  const code = (ev as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}
