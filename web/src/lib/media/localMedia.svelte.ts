/**
 * Files this browser sent, shown in their bubbles. The server keeps no copy
 * of outbound media (it sends WhatsApp's media id and returns no link for
 * it), so until it does, the agent sees what they sent from a local object
 * URL for as long as the page stays open.
 */
import { SvelteMap } from 'svelte/reactivity';

const urls = new SvelteMap<string, string>();

export function rememberSentFile(messageId: string, file: Blob): void {
  if (urls.has(messageId) || typeof URL.createObjectURL !== 'function') return;
  urls.set(messageId, URL.createObjectURL(file));
}

export function sentFileUrl(messageId: string): string | null {
  return urls.get(messageId) ?? null;
}

/** Lets the files go (logout). */
export function forgetSentFiles(): void {
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
}
