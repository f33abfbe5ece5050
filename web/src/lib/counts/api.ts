import { api, call } from '../../api/client';
import { parseCounts, type ViewCounts } from './counts';

/**
 * `GET /conversations/counts`: read only when the socket could not connect
 * (its frames carry the numbers otherwise). Null if the answer is malformed.
 */
export async function fetchCounts(): Promise<ViewCounts | null> {
  return parseCounts(await call(api.GET('/api/v1/conversations/counts')));
}
