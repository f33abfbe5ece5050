/**
 * Typed calls to the Atende API (openapi-fetch over the generated schema).
 * The session cookie rides along; writes echo the session's CSRF token as
 * `X-CSRF-Token`. Every failure becomes an `ApiFailure`.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiFailure, failureFrom, networkFailure } from './errors';
import type { paths } from './schema';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The token `/auth/login` and `/me` return (null after logout). */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Called when an authenticated call answers 401 (the session ended). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The session ended elsewhere (the event stream was closed for it). */
export function sessionEnded(): void {
  onUnauthorized?.();
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
});
api.use(csrf);

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an
 * `ApiFailure` (status 0 when the server could not be reached).
 */
export async function call<T>(request: Promise<Result<T>>, opts: { auth?: boolean } = {}): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (e) {
    throw networkFailure(e);
  }
  if (!result.response.ok) {
    const failure = failureFrom(result.response, result.error);
    if (failure.status === 401 && opts.auth !== false) onUnauthorized?.();
    throw failure;
  }
  return result.data as T;
}

export { ApiFailure };
