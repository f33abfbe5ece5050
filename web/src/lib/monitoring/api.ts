/** Monitoring's addresses: the stream, the REST snapshot (to learn why a stream was refused), the export. */
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { components } from '../../api/schema';
import type { ProbeResult } from './stream';

/** `format` of `GET /monitoring/export`. */
export type ExportFormat = components['schemas']['ExportFormat'];

function query(params: Record<string, string | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The stream's WebSocket address on this origin, for one inbox or (null) every inbox. */
export function streamUrl(loc: Pick<Location, 'protocol' | 'host'>, inboxId: string | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api/v1/monitoring/stream${query({ inbox_id: inboxId })}`;
}

/** Today's numbers hour by hour as a file (the server answers it as a download). */
export function exportUrl(format: ExportFormat, inboxId: string | null): string {
  return `/api/v1/monitoring/export${query({ format, inbox_id: inboxId })}`;
}

/**
 * Why the stream could not open: the REST snapshot answers the same
 * checks with a status (a 401 signs the user out on the way).
 */
export async function probe(inboxId: string | null): Promise<ProbeResult> {
  try {
    await call(api.GET('/api/v1/monitoring', { params: { query: inboxId ? { inbox_id: inboxId } : {} } }));
    return 'other';
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403) return 'forbidden';
    if (e instanceof ApiFailure && e.status === 404 && inboxId) return 'unknown_scope';
    return 'other';
  }
}
