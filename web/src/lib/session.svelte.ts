/** Who is signed in: `GET /me` at start, `POST /auth/login`, logout. */
import { api, call, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import type { Session, User } from '../api/types';
import { t } from './i18n/index.svelte';
import { isMyStatus } from './presence/status';

export type SessionStatus = 'loading' | 'anonymous' | 'ready' | 'unreachable';

export const session = $state<{
  status: SessionStatus;
  current: Session | null;
  /** Shown on the login page (e.g. after the session expired). */
  notice: string | null;
}>({ status: 'loading', current: null, notice: null });

function signedIn(s: Session): void {
  setCsrfToken(s.csrf_token);
  session.current = s;
  session.status = 'ready';
  session.notice = null;
}

function signedOut(notice: string | null): void {
  setCsrfToken(null);
  session.current = null;
  session.status = 'anonymous';
  session.notice = notice;
}

setUnauthorizedHandler(() => {
  if (session.status === 'ready') signedOut(t('errors.sessionExpired'));
});

/** Reads the current session; a 401 means "show the login page". */
export async function restoreSession(): Promise<void> {
  session.status = 'loading';
  try {
    signedIn(await call(api.GET('/api/v1/me'), { auth: false }));
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 401) signedOut(null);
    else session.status = 'unreachable';
  }
}

/** Signs in; throws the `ApiFailure` for the login form to show. */
export async function login(email: string, password: string): Promise<void> {
  const s = await call(api.POST('/api/v1/auth/login', { body: { email, password } }), { auth: false });
  signedIn(s);
}

/** Refreshes the user (e.g. after a department membership change). */
export async function refreshSession(): Promise<void> {
  signedIn(await call(api.GET('/api/v1/me')));
}

/**
 * The signed-in user as the server answered a change of their own (e.g.
 * `PUT /me/status`), status included, kept for every page from now on.
 */
export function updateOwnUser(user: User): void {
  const s = session.current;
  if (!s || s.user.id !== user.id) return;
  s.user = user;
  if (isMyStatus(user.status)) s.status = user.status;
  s.status_reason = user.status_reason ?? null;
}

/** Ends the session on the server, then locally (even if the call fails). */
export async function logout(): Promise<void> {
  try {
    await call(api.POST('/api/v1/auth/logout'), { auth: false });
  } finally {
    signedOut(null);
  }
}
