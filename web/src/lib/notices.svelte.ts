/** Short-lived error notices for failures that have no place of their own. */
export interface Notice {
  id: number;
  text: string;
}

export const notices = $state<{ list: Notice[] }>({ list: [] });

let nextId = 1;
const LIFETIME_MS = 10_000;

export function notify(text: string): void {
  const id = nextId++;
  // The same text twice in a row (e.g. one failure per event) shows once.
  if (notices.list.some((n) => n.text === text)) return;
  notices.list = [...notices.list.slice(-3), { id, text }];
  setTimeout(() => dismiss(id), LIFETIME_MS);
}

export function dismiss(id: number): void {
  notices.list = notices.list.filter((n) => n.id !== id);
}

export function clearNotices(): void {
  notices.list = [];
}
