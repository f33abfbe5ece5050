/**
 * A fresh `Idempotency-Key` for one send. `crypto.randomUUID` needs a
 * secure context; plain-HTTP deployments get the same from random bytes.
 */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
