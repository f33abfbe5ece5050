/**
 * The monitoring page's live connection (`GET /api/v1/monitoring/stream`):
 * a snapshot first, then deltas; `scope` switches the number without
 * reconnecting; a ping every `PING_EVERY_MS` keeps the socket (the server
 * drops one silent for 45 s), and one that brought nothing for
 * `DEAD_AFTER_MS` is taken for dead. A lost socket reconnects after a
 * growing pause and starts again from a new snapshot, except when the
 * server closed it with `FORBIDDEN` (the user lost the analytics
 * capability). A socket refused at the handshake says nothing about why,
 * so `probe` asks the REST endpoint.
 *
 * Pure TypeScript with its socket and timers injected, so it is unit-tested.
 */
import { globalClock, type SocketLike, type SyncClock } from '../realtime/sync';
import { type ClientFrame, type Delta, parseFrame, type Snapshot } from './snapshot';

export type StreamStatus =
  /** The first connection is being made. */
  | 'connecting'
  /** A snapshot arrived on the current socket: the page is up to date. */
  | 'live'
  /** The socket dropped: waiting to reconnect, or reconnecting. */
  | 'reconnecting'
  /** The user may not see monitoring: no reconnecting. */
  | 'forbidden'
  | 'stopped';

/** The close code of a stream whose user may no longer see monitoring. */
export const FORBIDDEN = 4403;
export const PING_EVERY_MS = 15_000;
export const DEAD_AFTER_MS = 40_000;
/** The pauses before reconnecting, one after another (the last repeats). */
export const RETRY_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 15_000];

/** What `GET /monitoring` says when the socket could not open. */
export type ProbeResult = 'forbidden' | 'unknown_scope' | 'other';

export interface StreamDeps {
  /** Opens the stream for a scope (an inbox id, or null for every inbox). */
  openSocket(inboxId: string | null): SocketLike;
  probe(inboxId: string | null): Promise<ProbeResult>;
  /** A whole snapshot, with the browser's clock when it arrived. */
  onSnapshot(snapshot: Snapshot, receivedAt: number): void;
  onDelta(delta: Delta, receivedAt: number): void;
  onStatus(status: StreamStatus): void;
  /** The chosen inbox no longer exists: the stream went back to every inbox. */
  onScopeLost?(): void;
  clock?: SyncClock;
}

export class MonitoringStream {
  private socket: SocketLike | null = null;
  /** The current socket opened (a scope frame can go on it). */
  private opened = false;
  /** The current socket brought a frame (it was not refused). */
  private heard = false;
  /** Deltas until the next snapshot belong to the scope left. */
  private awaitingSnapshot = true;
  private status: StreamStatus = 'stopped';
  private failures = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private deadTimer: unknown = null;
  private lastFrameAt = 0;
  private readonly clock: SyncClock;

  constructor(
    private readonly deps: StreamDeps,
    private scope: string | null = null,
  ) {
    this.clock = deps.clock ?? globalClock;
  }

  get currentStatus(): StreamStatus {
    return this.status;
  }

  start(): void {
    this.connect('connecting');
  }

  stop(): void {
    this.drop();
    this.clearRetry();
    this.setStatus('stopped');
  }

  /** Watches another inbox (null: every inbox): on the open socket, or on the next one. */
  setScope(inboxId: string | null): void {
    if (inboxId === this.scope) return;
    this.scope = inboxId;
    if (this.status === 'stopped' || this.status === 'forbidden') return;
    if (this.socket && this.opened) {
      this.awaitingSnapshot = true;
      this.send({ type: 'scope', inbox_id: inboxId });
    } else if (this.socket) {
      // Still opening, for the old scope: open it again for the new one.
      this.connect(this.status === 'connecting' ? 'connecting' : 'reconnecting');
    }
  }

  private send(frame: ClientFrame): void {
    this.socket?.send(JSON.stringify(frame));
  }

  private setStatus(s: StreamStatus): void {
    if (this.status === s) return;
    this.status = s;
    this.deps.onStatus(s);
  }

  private connect(status: 'connecting' | 'reconnecting'): void {
    this.drop();
    this.clearRetry();
    this.setStatus(status);
    const socket = this.deps.openSocket(this.scope);
    this.socket = socket;
    this.opened = false;
    this.heard = false;
    this.awaitingSnapshot = true;
    socket.onopen = () => {
      if (this.socket === socket) this.opened = true;
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.lastFrameAt = this.clock.now();
      this.heard = true;
      this.onFrame(ev.data);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      const code = (ev as { code?: unknown } | null)?.code;
      this.drop();
      if (code === FORBIDDEN) this.forbid();
      else this.lost();
    };
    socket.onerror = () => {
      // A close event follows; that is where the loss is handled.
    };
    this.startHeartbeat(socket);
  }

  private onFrame(data: unknown): void {
    const frame = parseFrame(data);
    if (!frame) return;
    const at = this.clock.now();
    if (frame.type === 'snapshot') {
      this.awaitingSnapshot = false;
      this.failures = 0;
      this.deps.onSnapshot(frame.snapshot, at);
      this.setStatus('live');
    } else if (frame.type === 'delta' && !this.awaitingSnapshot) {
      this.deps.onDelta({ now: frame.now, changes: frame.changes }, at);
    }
  }

  private startHeartbeat(socket: SocketLike): void {
    this.lastFrameAt = this.clock.now();
    this.pingTimer = this.clock.setInterval(() => {
      if (this.socket === socket) this.send({ type: 'ping' });
    }, PING_EVERY_MS);
    this.armDeadline(socket, DEAD_AFTER_MS);
  }

  private armDeadline(socket: SocketLike, ms: number): void {
    this.deadTimer = this.clock.setTimeout(() => {
      this.deadTimer = null;
      if (this.socket !== socket) return;
      const quiet = this.clock.now() - this.lastFrameAt;
      if (quiet < DEAD_AFTER_MS) {
        this.armDeadline(socket, DEAD_AFTER_MS - quiet);
        return;
      }
      this.drop();
      this.lost();
    }, ms);
  }

  /** Forgets the current socket and closes it. */
  private drop(): void {
    if (this.pingTimer !== null) this.clock.clearInterval(this.pingTimer);
    if (this.deadTimer !== null) this.clock.clearTimeout(this.deadTimer);
    this.pingTimer = null;
    this.deadTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onclose = null;
      s.onerror = null;
      s.close();
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private forbid(): void {
    this.clearRetry();
    this.setStatus('forbidden');
  }

  /** The socket is gone: find out why when it was refused, then reconnect later. */
  private lost(): void {
    this.setStatus('reconnecting');
    if (this.heard) {
      this.retry();
      return;
    }
    const scope = this.scope;
    this.deps.probe(scope).then(
      (why) => {
        if (this.status !== 'reconnecting' || this.socket || this.retryTimer !== null) return;
        if (why === 'forbidden') {
          this.forbid();
          return;
        }
        if (why === 'unknown_scope' && scope === this.scope && scope !== null) {
          this.scope = null;
          this.deps.onScopeLost?.();
        }
        this.retry();
      },
      () => this.retry(),
    );
  }

  private retry(): void {
    if (this.status !== 'reconnecting' || this.socket || this.retryTimer !== null) return;
    const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 15_000;
    this.failures++;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect('reconnecting');
    }, wait);
  }
}
