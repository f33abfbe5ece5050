/**
 * WebM/Opus → Ogg/Opus, without re-encoding. Chromium's MediaRecorder
 * records voice as `audio/webm;codecs=opus`, which WhatsApp does not
 * accept; WhatsApp takes `audio/ogg` with Opus (and plays it as a voice
 * note). The Opus packets are the same in both containers: this reads them
 * out of the WebM (EBML) blocks and writes them into Ogg pages (RFC 7845).
 */

// EBML ids (with their length marker bits, as written).
const ID = {
  segment: 0x18538067,
  cluster: 0x1f43b675,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  audio: 0xe1,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  trackNumber: 0xd7,
  channels: 0x9f,
} as const;

/** Master elements whose children are read (the rest is skipped). */
const DESCEND = new Set<number>([ID.segment, ID.cluster, ID.tracks, ID.trackEntry, ID.audio, ID.blockGroup]);

export class RemuxError extends Error {}

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

function readVint(b: Uint8Array, pos: number, keepMarker: boolean): Vint {
  const first = b[pos];
  if (first === undefined || first === 0) throw new RemuxError('bad EBML length');
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (pos + length > b.length) throw new RemuxError('truncated EBML');
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[pos + i] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(b: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + (b[i] ?? 0);
  return v;
}

interface Track {
  number: number;
  codec: string;
  codecPrivate: Uint8Array | null;
  channels: number;
}

/** The Opus packets of the first Opus track, and its OpusHead if any. */
export function opusPacketsFromWebm(b: Uint8Array): { head: Uint8Array | null; channels: number; packets: Uint8Array[] } {
  const tracks: Track[] = [];
  let track: Track | null = null;
  const blocks: { track: number; data: Uint8Array }[] = [];
  let pos = 0;
  while (pos < b.length) {
    const id = readVint(b, pos, true);
    const size = readVint(b, pos + id.length, false);
    const start = pos + id.length + size.length;
    const end = size.unknown ? b.length : Math.min(b.length, start + size.value);
    if (DESCEND.has(id.value)) {
      if (id.value === ID.trackEntry) {
        track = { number: 0, codec: '', codecPrivate: null, channels: 1 };
        tracks.push(track);
      }
      pos = start; // read the children
      continue;
    }
    switch (id.value) {
      case ID.trackNumber:
        if (track) track.number = readUint(b, start, end);
        break;
      case ID.codecId:
        if (track) track.codec = new TextDecoder().decode(b.subarray(start, end));
        break;
      case ID.codecPrivate:
        if (track) track.codecPrivate = b.slice(start, end);
        break;
      case ID.channels:
        if (track) track.channels = readUint(b, start, end);
        break;
      case ID.simpleBlock:
      case ID.block: {
        const tn = readVint(b, start, false);
        const flags = b[start + tn.length + 2] ?? 0;
        if (flags & 0x06) throw new RemuxError('laced blocks are not supported');
        blocks.push({ track: tn.value, data: b.slice(start + tn.length + 3, end) });
        break;
      }
    }
    pos = end;
  }
  const opus = tracks.find((t) => t.codec === 'A_OPUS');
  if (!opus) throw new RemuxError('no Opus track');
  const head = opus.codecPrivate && ascii(opus.codecPrivate, 0, 8) === 'OpusHead' ? opus.codecPrivate : null;
  const packets = blocks.filter((x) => x.track === opus.number && x.data.length > 0).map((x) => x.data);
  if (packets.length === 0) throw new RemuxError('no audio');
  return { head, channels: head?.[9] ?? opus.channels, packets };
}

function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end));
}

/** Samples (at 48 kHz) an Opus packet decodes to, from its TOC byte (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  let tenthsMs: number;
  if (config < 12) tenthsMs = [100, 200, 400, 600][config % 4] ?? 200;
  else if (config < 16) tenthsMs = [100, 200][config % 2] ?? 200;
  else tenthsMs = [25, 50, 100, 200][config % 4] ?? 200;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return (frames * tenthsMs * 48) / 10;
}

function opusHead(channels: number): Uint8Array {
  const h = new Uint8Array(19);
  h.set(new TextEncoder().encode('OpusHead'), 0);
  h[8] = 1; // version
  h[9] = channels;
  new DataView(h.buffer).setUint16(10, 312, true); // pre-skip (libopus' usual)
  new DataView(h.buffer).setUint32(12, 48000, true);
  return h;
}

function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode('Atende');
  const t = new Uint8Array(8 + 4 + vendor.length + 4);
  t.set(new TextEncoder().encode('OpusTags'), 0);
  new DataView(t.buffer).setUint32(8, vendor.length, true);
  t.set(vendor, 12);
  return t; // zero user comments
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** The Ogg page checksum (CRC-32, polynomial 0x04c11db7, unreflected). */
export function oggCrc(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  return crc;
}

function oggPage(packets: Uint8Array[], flags: number, granule: number, serial: number, seq: number): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
  }
  const bodyLength = packets.reduce((s, p) => s + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLength);
  const v = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  page[4] = 0;
  page[5] = flags;
  v.setUint32(6, granule % 2 ** 32, true);
  v.setUint32(10, Math.floor(granule / 2 ** 32), true);
  v.setUint32(14, serial, true);
  v.setUint32(18, seq, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, at);
    at += p.length;
  }
  v.setUint32(22, oggCrc(page), true);
  return page;
}

/** An Ogg/Opus file holding `packets` (RFC 7845). */
export function oggOpus(head: Uint8Array, packets: Uint8Array[], serial = 0x41544e44): Uint8Array {
  const pages: Uint8Array[] = [oggPage([head], 0x02, 0, serial, 0), oggPage([opusTags()], 0, 0, serial, 1)];
  let seq = 2;
  let granule = 0;
  let batch: Uint8Array[] = [];
  let segments = 0;
  const flush = (last: boolean) => {
    pages.push(oggPage(batch, last ? 0x04 : 0, granule, serial, seq++));
    batch = [];
    segments = 0;
  };
  packets.forEach((p, i) => {
    const need = Math.floor(p.length / 255) + 1;
    if (segments + need > 255 || batch.length >= 50) flush(false);
    batch.push(p);
    segments += need;
    granule += opusPacketSamples(p);
    if (i === packets.length - 1) flush(true);
  });
  const out = new Uint8Array(pages.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A WebM/Opus recording as Ogg/Opus bytes; throws `RemuxError` if it can't. */
export function webmToOggOpus(webm: Uint8Array): Uint8Array {
  const { head, channels, packets } = opusPacketsFromWebm(webm);
  return oggOpus(head ?? opusHead(channels), packets);
}
