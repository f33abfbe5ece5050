/** A coarse clock for time-based tags (CH-5): ticks every 30 seconds. */
export const clock = $state({ now: Date.now() });

let timer: ReturnType<typeof setInterval> | null = null;

export function startClock(): void {
  if (timer) return;
  timer = setInterval(() => {
    clock.now = Date.now();
  }, 30_000);
}

export function stopClock(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
