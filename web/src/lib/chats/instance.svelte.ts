/** The console store the app uses (tests build their own). */
import { ConsoleStore } from './console.svelte';

export type { TransferRequest } from './console.svelte';

export const chatConsole = new ConsoleStore();
