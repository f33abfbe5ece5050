/**
 * A web-chat widget inbox's form (the `widget` object of `POST /inboxes`
 * and `PATCH /inboxes/{id}`): the sites that may embed it, its look, the
 * pre-chat form, the message outside business hours and the identity
 * secret. The secret is write-only: the form shows a generated one once
 * and never reads it back. Also the snippet a site pastes and the direct
 * chat link.
 */
import type { components } from '../../api/schema';
import { settingOf } from './credentials';

type Schemas = components['schemas'];
export type WidgetConfig = Schemas['WidgetConfig'];
export type Ask = Schemas['Ask'];
export type Prechat = Schemas['Prechat'];

export const ASKS = ['off', 'optional', 'required'] as const satisfies readonly Ask[];
export const PRECHAT_FIELDS = ['name', 'email', 'phone'] as const satisfies readonly (keyof Prechat)[];
/** The server's colour when none is given. */
export const DEFAULT_COLOR = '#1f6feb';
export const MAX_ORIGINS = 50;
export const MAX_TITLE = 60;
export const MAX_TEXT = 500;
/** How long a generated identity secret is (hex characters). */
export const SECRET_LENGTH = 40;

/** The form's inputs. */
export interface WidgetFields {
  /** One origin per line. */
  origins: string;
  title: string;
  greeting: string;
  /** `#rrggbb`. */
  color: string;
  prechat: Prechat;
  closedMessage: string;
  /** Whether the site signs its users' ids. */
  verification: boolean;
  /** A new secret generated in this form ('' when none: the current one stays). */
  secret: string;
}

const isAsk = (v: unknown): v is Ask => (ASKS as readonly unknown[]).includes(v);

/** The inputs a form opens with: a widget inbox's settings, or a new one's defaults. */
export function widgetFields(inbox: { settings: unknown } | null): WidgetFields {
  const s = (inbox?.settings && typeof inbox.settings === 'object' ? inbox.settings : {}) as Record<string, unknown>;
  const origins = Array.isArray(s.allowed_origins) ? s.allowed_origins.filter((o) => typeof o === 'string') : [];
  const p = (s.prechat && typeof s.prechat === 'object' ? s.prechat : {}) as Record<string, unknown>;
  const color = settingOf(s, 'color');
  return {
    origins: origins.join('\n'),
    title: settingOf(s, 'title'),
    greeting: settingOf(s, 'greeting'),
    color: isColor(color) ? color.toLowerCase() : DEFAULT_COLOR,
    prechat: {
      name: isAsk(p.name) ? p.name : 'off',
      email: isAsk(p.email) ? p.email : 'off',
      phone: isAsk(p.phone) ? p.phone : 'off',
    },
    closedMessage: settingOf(s, 'closed_message'),
    verification: s.identity_verification === true,
    secret: '',
  };
}

/** Whether `v` is a `#rrggbb` colour. */
export function isColor(v: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(v.trim());
}

/**
 * One allowed site as the server keeps it: `*` (any site), or an http(s)
 * origin, normalized as the server does (`HTTPS://Loja.com.br/` →
 * `https://loja.com.br`, a default port dropped); null for anything else
 * (a path or query, another scheme, a bare host name, a user name).
 */
export function parseOrigin(line: string): string | null {
  const v = line.trim();
  if (v === '*') return v;
  if (/[?#]/.test(v)) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  const http = url.protocol === 'http:' || url.protocol === 'https:';
  if (!http || url.pathname !== '/' || url.username !== '' || url.password !== '') return null;
  return url.origin;
}

/** The textarea's lines: the origins read (without repeats) and the lines that are not one. */
export function parseOrigins(text: string): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const o = parseOrigin(line);
    if (o === null) invalid.push(line.trim());
    else if (!origins.includes(o)) origins.push(o);
  }
  return { origins, invalid };
}

/** What keeps the form from being sent (the component words it). */
export type WidgetProblem =
  | { kind: 'noOrigins' }
  | { kind: 'badOrigins'; lines: string[] }
  | { kind: 'tooManyOrigins'; max: number }
  | { kind: 'badColor' }
  | { kind: 'noSecret' };

/**
 * The first problem of the inputs, or null. `secretSet`: the inbox already
 * has an identity secret (verification may stay on without a new one).
 */
export function widgetProblem(f: WidgetFields, secretSet: boolean): WidgetProblem | null {
  const { origins, invalid } = parseOrigins(f.origins);
  if (invalid.length > 0) return { kind: 'badOrigins', lines: invalid };
  if (origins.length === 0) return { kind: 'noOrigins' };
  if (origins.length > MAX_ORIGINS) return { kind: 'tooManyOrigins', max: MAX_ORIGINS };
  if (!isColor(f.color)) return { kind: 'badColor' };
  if (f.verification && !f.secret.trim() && !secretSet) return { kind: 'noSecret' };
  return null;
}

/**
 * The `widget` object to send. A new inbox leaves blank texts out; an edit
 * sends them all (blank clears) and touches the secret only when a new one
 * was generated, or to remove it (`identity_verification: false`) when
 * verification was turned off.
 */
export function widgetConfig(f: WidgetFields, existing: { secretSet: boolean } | null): WidgetConfig {
  const texts = { title: f.title.trim(), greeting: f.greeting.trim(), closed_message: f.closedMessage.trim() };
  const out: WidgetConfig = {
    allowed_origins: parseOrigins(f.origins).origins,
    ...(existing ? texts : Object.fromEntries(Object.entries(texts).filter(([, v]) => v !== ''))),
    color: f.color.trim().toLowerCase(),
    prechat: { ...f.prechat },
  };
  const secret = f.secret.trim();
  if (f.verification && secret) out.identity_secret = secret;
  else if (!f.verification && existing?.secretSet) out.identity_verification = false;
  return out;
}

/** `POST /inboxes`'s body for a new widget inbox. */
export function newWidgetInboxBody(name: string, chatbot: boolean, f: WidgetFields): Schemas['NewInboxRequest'] {
  return { name, channel: 'widget', chatbot_enabled: chatbot, widget: widgetConfig(f, null) };
}

/** Whether a widget inbox has its identity secret. */
export function identitySecretSet(inbox: { secrets_set: string[]; settings: unknown }): boolean {
  const s = inbox.settings as Record<string, unknown> | null;
  return inbox.secrets_set.includes('identity_secret') || s?.identity_verification === true;
}

/** A new identity secret: `SECRET_LENGTH` hex characters from the browser's random source. */
export function generateSecret(random: (bytes: Uint8Array) => unknown = (b) => globalThis.crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(SECRET_LENGTH / 2);
  random(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const base = (origin: string) => origin.replace(/\/+$/, '');

/** What a site pastes into its pages to show the widget. */
export function embedSnippet(origin: string, inboxId: string): string {
  return `<script src="${base(origin)}/widget/v1/widget.js" data-inbox="${inboxId}" async></script>`;
}

/** The widget's page of its own (a link to share, no site needed). */
export function chatLink(origin: string, inboxId: string): string {
  return `${base(origin)}/widget/v1/inboxes/${inboxId}/chat`;
}
