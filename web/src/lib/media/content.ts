/**
 * Reading what a message shows besides its text. Inbound messages keep the
 * channel's object under `payload.raw` (WhatsApp's `messages[]` item);
 * outbound ones keep what was sent (`payload.location`, `payload.contacts`,
 * `payload.media`), in the same WhatsApp shapes.
 */
import type { Message } from '../../api/types';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** `payload[key]`, else `payload.raw[key]`. */
function part(m: Message, key: string): unknown {
  const p = obj(m.payload as unknown);
  if (!p) return undefined;
  return p[key] ?? obj(p.raw)?.[key];
}

export interface Location {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
  url: string | null;
}

export function locationOf(m: Message): Location | null {
  const l = obj(part(m, 'location'));
  const latitude = num(l?.latitude);
  const longitude = num(l?.longitude);
  if (!l || latitude === null || longitude === null) return null;
  return { latitude, longitude, name: str(l.name), address: str(l.address), url: str(l.url) };
}

/** A map of the point (OpenStreetMap, no key needed). */
export function mapLink(l: Pick<Location, 'latitude' | 'longitude'>): string {
  const lat = l.latitude.toFixed(6);
  const lon = l.longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

export interface CardView {
  name: string;
  phones: string[];
  emails: string[];
  organization: string | null;
}

function list(v: unknown, key: string): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => str(obj(x)?.[key])).filter((x): x is string => x !== null);
}

/** The contact cards of a `contacts` message (CH-9). */
export function contactCardsOf(m: Message): CardView[] {
  const cards = part(m, 'contacts');
  if (!Array.isArray(cards)) return [];
  const out: CardView[] = [];
  for (const c of cards) {
    const card = obj(c);
    if (!card) continue;
    const n = obj(card.name);
    const name =
      str(n?.formatted_name) ??
      ([str(n?.first_name), str(n?.last_name)].filter(Boolean).join(' ') || null) ??
      str(card.name);
    const phones = list(card.phones, 'phone');
    const emails = list(card.emails, 'email');
    const organization = str(obj(card.org)?.company);
    if (!name && phones.length === 0 && emails.length === 0) continue;
    out.push({ name: name ?? phones[0] ?? emails[0] ?? '', phones, emails, organization });
  }
  return out;
}

/** The file name a media message carries (its stored file, else what was sent). */
export function mediaFileName(m: Message): string | null {
  const fromMedia = str(m.media?.filename);
  if (fromMedia) return fromMedia;
  const sent = obj(part(m, 'media'));
  if (sent) return str(sent.filename);
  // Inbound: the object under the message's own type.
  return str(obj(part(m, m.kind))?.filename);
}

/** A `tel:` link for a phone as written on a card. */
export function telLink(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

export interface Story {
  /** The story's link (an `http(s)` one only). */
  url: string | null;
  /** When the story stops being available (24 h after the mention). */
  expiresAt: string | null;
  expired: boolean;
}

/** An Instagram story mention's link and expiry (`payload.story`). */
export function storyOf(m: Message, now: number = Date.now()): Story | null {
  const s = obj(part(m, 'story'));
  if (!s) return null;
  const url = str(s.url);
  const at = num(s.expires_at);
  return {
    url: url && /^https?:\/\//i.test(url) ? url : null,
    expiresAt: at === null ? null : new Date(at).toISOString(),
    expired: at !== null && now >= at,
  };
}
