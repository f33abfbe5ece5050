/** The console store the app uses (tests build their own). */
import { session } from '../session.svelte';
import { userName } from '../directory.svelte';
import { ConsoleStore } from './console.svelte';

export const chatConsole = new ConsoleStore();

/** An agent's name: the signed-in user's own, or from the directory. */
export function agentName(id: string | null | undefined): string | null {
  if (!id) return null;
  const me = session.current?.user;
  if (me && me.id === id) return me.name;
  return userName(id);
}
