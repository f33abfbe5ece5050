/**
 * The inbox form's credentials, per channel: which fields it shows, the
 * request bodies it sends (`POST /inboxes`, `PATCH /inboxes/{id}`) and the
 * webhook URL the provider must be given. Secrets are write-only: the form
 * never reads them back, and an edit sends only the fields filled in. A
 * web-chat widget inbox has settings rather than credentials: `widget.ts`.
 */
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type NewInboxRequest = Schemas['NewInboxRequest'];
type CredentialsUpdate = Pick<Schemas['InboxUpdate'], 'whatsapp' | 'telegram' | 'meta'>;

/** The channels an inbox can be created for. */
export const NEW_CHANNELS = ['whatsapp', 'telegram', 'messenger', 'instagram', 'widget'] as const;
export type NewChannel = (typeof NEW_CHANNELS)[number];
/** The channels whose inboxes take provider credentials (all but the widget). */
export type CredentialChannel = Exclude<NewChannel, 'widget'>;

/**
 * The credentials an inbox's channel takes: a Telegram bot token, a Meta
 * page's or Instagram account's (Messenger, Instagram), the widget's
 * settings (no provider credentials), or WhatsApp's (also for a kind the
 * form does not know, as before).
 */
export type CredentialsKind = 'whatsapp' | 'telegram' | 'meta' | 'widget';

export function credentialsKind(channel: string): CredentialsKind {
  if (channel === 'telegram') return 'telegram';
  if (channel === 'messenger' || channel === 'instagram') return 'meta';
  if (channel === 'widget') return 'widget';
  return 'whatsapp';
}

/** The name of a Meta inbox's id in its settings and its `meta` object. */
export function metaIdKey(channel: string): 'page_id' | 'account_id' {
  return channel === 'instagram' ? 'account_id' : 'page_id';
}

/** The form's credential inputs, all text. */
export interface CredentialFields {
  phoneNumberId: string;
  wabaId: string;
  /** Messenger's page id or Instagram's account id. */
  metaId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  botToken: string;
}

/** A setting of an inbox as text ('' when absent). */
export function settingOf(settings: unknown, key: string): string {
  const v = settings && typeof settings === 'object' ? (settings as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The inputs a form opens with: an inbox's non-secret settings, or blanks for a new one. */
export function credentialFields(inbox: { channel: string; settings: unknown } | null): CredentialFields {
  const s = inbox?.settings;
  return {
    phoneNumberId: settingOf(s, 'phone_number_id'),
    wabaId: settingOf(s, 'waba_id'),
    metaId: inbox && credentialsKind(inbox.channel) === 'meta' ? settingOf(s, metaIdKey(inbox.channel)) : '',
    accessToken: '',
    appSecret: '',
    verifyToken: '',
    botToken: '',
  };
}

const whatsappOf = (f: CredentialFields) => ({
  phone_number_id: f.phoneNumberId,
  waba_id: f.wabaId,
  access_token: f.accessToken,
  app_secret: f.appSecret,
  verify_token: f.verifyToken,
});

const metaOf = (channel: string, f: CredentialFields) => ({
  [metaIdKey(channel)]: f.metaId.trim(),
  access_token: f.accessToken.trim(),
  app_secret: f.appSecret.trim(),
  verify_token: f.verifyToken.trim(),
});

const filledIn = <T extends Record<string, string>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v.trim() !== '')) as Partial<T>;

/** `POST /inboxes`'s body for a new inbox on `channel` (a widget's: `newWidgetInboxBody`). */
export function newInboxBody(
  channel: CredentialChannel,
  name: string,
  chatbot: boolean,
  f: CredentialFields,
): NewInboxRequest {
  const base = { name, chatbot_enabled: chatbot };
  switch (channel) {
    case 'telegram':
      return { ...base, channel, telegram: { bot_token: f.botToken.trim() } };
    case 'messenger':
    case 'instagram':
      return { ...base, channel, meta: metaOf(channel, f) };
    case 'whatsapp':
      return { ...base, channel, whatsapp: whatsappOf(f) };
  }
}

/**
 * The credentials part of `PATCH /inboxes/{id}` when they are to change:
 * only what was filled in (blank fields keep their values); nothing for
 * Telegram without a new token, nor for the widget (its settings go in
 * `widget`).
 */
export function credentialsPatch(channel: string, f: CredentialFields): CredentialsUpdate {
  switch (credentialsKind(channel)) {
    case 'telegram': {
      const token = f.botToken.trim();
      return token ? { telegram: { bot_token: token } } : {};
    }
    case 'meta':
      return { meta: filledIn(metaOf(channel, f)) };
    case 'whatsapp':
      return { whatsapp: filledIn(whatsappOf(f)) };
    case 'widget':
      return {};
  }
}

/**
 * The webhook URL to give the provider, on the server at `origin`: Meta's
 * apps call `/webhooks/whatsapp` (WhatsApp) or `/webhooks/meta` (Messenger,
 * Instagram); Telegram's is set by the server itself, and other kinds have
 * none to give (null).
 */
export function webhookUrl(origin: string, channel: string): string | null {
  const path = channel === 'whatsapp' ? 'whatsapp' : credentialsKind(channel) === 'meta' ? 'meta' : null;
  return path && `${origin.replace(/\/+$/, '')}/webhooks/${path}`;
}
