import { ApiFailure } from '../api/errors';
import { i18n, t, type MessageKey } from './i18n/index.svelte';

/** Server error codes with a text of our own, for languages other than
 * pt-BR (the server's messages are pt-BR, kept word for word there). */
const KNOWN: Record<string, MessageKey> = {
  invalid_credentials: 'login.invalid',
  forbidden: 'errors.forbidden',
  unauthorized: 'errors.sessionExpired',
  session_expired: 'window.expiredTitle',
  conversation_exists: 'newChat.exists',
  contact_blocked: 'contact.blockedState',
  block_needs_recent_message: 'contact.blockHint',
  flow_running: 'chatFlows.errorRunning',
  not_published: 'chatFlows.errorNotPublished',
  last_admin: 'errors.lastAdmin',
};

/** A user-facing sentence for any failure. */
export function describeError(e: unknown): string {
  if (e instanceof ApiFailure) {
    if (e.isNetwork) return t('errors.network');
    if (e.code === 'too_many_attempts' && e.retryAfter !== null) {
      return t('login.rateLimited', { seconds: e.retryAfter });
    }
    const known = KNOWN[e.code];
    if (known && (i18n.locale !== 'pt-BR' || !e.message)) return t(known);
    if (e.message) return e.message;
    if (e.status === 403) return t('errors.forbidden');
    return t('errors.unexpected', { status: e.status });
  }
  return e instanceof Error ? e.message : String(e);
}
