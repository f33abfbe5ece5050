/**
 * Which WhatsApp media kind a file is sent as (CH-8), from its MIME type and
 * size. WhatsApp takes only some types per kind (images: JPEG and PNG;
 * video: MP4 and 3GPP; audio: AAC, AMR, MP3, MP4 audio and Ogg/Opus;
 * stickers: WebP) and caps each kind's size; anything else goes as a
 * document, which takes any type up to 100 MB (the server's upload limit,
 * `crates/server/src/whatsapp/upload.rs`).
 */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

const MB = 1024 * 1024;

/** The server refuses larger uploads (413). */
export const MAX_UPLOAD_BYTES = 100 * MB;

/** WhatsApp's size limit per kind. */
export const KIND_LIMITS: Record<MediaKind, number> = {
  image: 5 * MB,
  video: 16 * MB,
  audio: 16 * MB,
  sticker: 500 * 1024,
  document: MAX_UPLOAD_BYTES,
};

const TYPES: Record<Exclude<MediaKind, 'document'>, readonly string[]> = {
  image: ['image/jpeg', 'image/png'],
  video: ['video/mp4', 'video/3gpp'],
  audio: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
  sticker: ['image/webp'],
};

/** `type/subtype` in lower case, without parameters (`; codecs=opus`). */
export function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether WhatsApp takes a file of this type and size as `kind`. */
export function acceptsAs(kind: MediaKind, mime: string, size: number): boolean {
  if (size > KIND_LIMITS[kind]) return false;
  return kind === 'document' || TYPES[kind].includes(baseMime(mime));
}

/** The file picker's `accept` for a kind (documents take any type). */
export function acceptFor(kind: MediaKind): string {
  return kind === 'document' ? '' : TYPES[kind].join(',');
}

/** The kind a file of this type and size is sent as. */
export function mediaKindFor(mime: string, size: number): MediaKind {
  const base = baseMime(mime);
  for (const kind of ['image', 'video', 'audio', 'sticker'] as const) {
    if (TYPES[kind].includes(base) && size <= KIND_LIMITS[kind]) return kind;
  }
  return 'document';
}

export type FileProblem = 'empty' | 'tooLarge';

/** Why a file cannot be sent at all (before uploading), or null. */
export function fileProblem(size: number): FileProblem | null {
  if (size <= 0) return 'empty';
  if (size > MAX_UPLOAD_BYTES) return 'tooLarge';
  return null;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/webm': 'webm',
  'video/mp4': 'mp4',
};

/** A file name for data without one (a pasted image, a recording). */
export function fileNameFor(mime: string, stem: string): string {
  const ext = EXTENSIONS[baseMime(mime)];
  return ext ? `${stem}.${ext}` : stem;
}

/** "2,4 MB"-style sizes in the given locale. */
export function formatBytes(n: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v)} ${units[u]}`;
}
