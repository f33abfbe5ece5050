/** Wires the browser's WebSocket and the events API to the console store. */
import type { ConsoleStore } from '../chats/console.svelte';
import { sessionEnded } from '../../api/client';
import { fetchEvents } from '../chats/api';
import { fetchCounts } from '../counts/api';
import { tabCounts } from '../counts/store.svelte';
import { assignedAgentIds, reloadAgentsIfUnknown } from '../directory.svelte';
import { readyResponses } from '../ready/store.svelte';
import { contactTyping } from '../typing/store.svelte';
import { setTypingOutlet } from '../typing/typing';
import { EventSync, type SocketLike } from './sync';

export function wsUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/v1/ws`;
}

export interface LiveHooks {
  /** Departments, tags, campaigns or users changed: names may have changed. */
  onDirectoryChanged(): void;
  /** The signed-in user joined or left a department: views change. */
  onMembershipChanged(): void;
  userId(): string | null;
}

export function startLive(store: ConsoleStore, hooks: LiveHooks): EventSync {
  const sync = new EventSync({
    openSocket: () => browserSocket(wsUrl(location)),
    fetchEvents,
    apply(events) {
      store.apply(events);
      contactTyping.applied(events);
      let directory = false;
      let membership = false;
      let ready = false;
      for (const e of events) {
        if (e.kind === 'ready_responses.changed') ready = true;
        if (/^(department|tag|campaign|user)\./.test(e.kind)) directory = true;
        if (e.kind === 'department.deleted') membership = true;
        if (e.kind === 'department.member_added' || e.kind === 'department.member_removed') {
          if (e.payload.user_id === hooks.userId()) membership = true;
        }
      }
      if (directory) hooks.onDirectoryChanged();
      // An agent the directory does not know yet (e.g. created after login).
      else reloadAgentsIfUnknown(assignedAgentIds(events));
      if (membership) hooks.onMembershipChanged();
      if (ready) readyResponses.changed();
    },
    onCounts(counts) {
      tabCounts.set(counts);
    },
    onTyping(frame) {
      contactTyping.frame(frame);
    },
    watchOffline: browserOffline,
    // Logout in another tab, deactivation, a revoked token: to the login.
    onSessionEnded: sessionEnded,
    onStatus(s) {
      store.sync = s;
    },
    onBaseline(seq) {
      // No socket (first connection failed): read the counters once; the
      // socket's frames bring them after it connects.
      if (seq === null) {
        fetchCounts()
          .then((c) => c && tabCounts.current === null && tabCounts.set(c))
          .catch(() => {});
      }
      void store.reloadList();
      if (store.openId) void store.openChat(store.openId);
    },
  });
  sync.start();
  // The composer's typing (widget chats) goes out on this socket.
  setTypingOutlet((frame) => sync.send(frame));
  return sync;
}

/** The browser's WebSocket behind the engine's small socket interface. */
export function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: (data) => {
      // Sending while the handshake is still going throws.
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close: () => ws.close(),
  };
  ws.onopen = (e) => socket.onopen?.(e);
  ws.onmessage = (e: MessageEvent) => socket.onmessage?.({ data: e.data });
  ws.onclose = (e) => socket.onclose?.(e);
  ws.onerror = (e) => socket.onerror?.(e);
  return socket;
}

/** The browser's `offline` event (the device lost its network). */
export function browserOffline(onOffline: () => void): () => void {
  window.addEventListener('offline', onOffline);
  return () => window.removeEventListener('offline', onOffline);
}
