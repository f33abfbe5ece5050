import { describe, expect, it } from 'vitest';
import { oggCrc, opusPacketSamples, RemuxError, webmToOggOpus } from './oggOpus';

// ---- a small WebM writer for the tests ----------------------------------

function size(n: number): number[] {
  // 8-byte EBML size (always valid, simple).
  const out = [0x01];
  for (let i = 6; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}
const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function el(id: number[], body: number[] | Uint8Array, unknownSize = false): number[] {
  return [...id, ...(unknownSize ? UNKNOWN : size(body.length)), ...body];
}

const OPUS_HEAD = [...new TextEncoder().encode('OpusHead'), 1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0];

function webm(packets: Uint8Array[], opts: { codecPrivate?: boolean; laced?: boolean } = {}): Uint8Array {
  const trackEntry = el(
    [0xae],
    [
      ...el([0xd7], [1]),
      ...el([0x86], [...new TextEncoder().encode('A_OPUS')]),
      ...(opts.codecPrivate === false ? [] : el([0x63, 0xa2], OPUS_HEAD)),
      ...el([0xe1], [...el([0x9f], [2]), ...el([0xb5], [0x40, 0xe7, 0x70, 0, 0, 0, 0, 0])]),
    ],
  );
  const blocks = packets.flatMap((p, i) => el([0xa3], [0x81, 0, i * 20, opts.laced ? 0x82 : 0x80, ...p]));
  const cluster = el([0x1f, 0x43, 0xb6, 0x75], [...el([0xe7], [0]), ...blocks], true);
  return new Uint8Array([
    ...el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], [...new TextEncoder().encode('webm')])),
    ...el([0x18, 0x53, 0x80, 0x67], [...el([0x16, 0x54, 0xae, 0x6b], trackEntry), ...cluster], true),
  ]);
}

// ---- an Ogg reader -------------------------------------------------------

interface Page {
  flags: number;
  granule: number;
  seq: number;
  crcOk: boolean;
  packets: Uint8Array[];
}

function readOgg(b: Uint8Array): Page[] {
  const pages: Page[] = [];
  let pos = 0;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  while (pos < b.length) {
    expect(String.fromCharCode(...b.subarray(pos, pos + 4))).toBe('OggS');
    const n = b[pos + 26] ?? 0;
    const lacing = Array.from(b.subarray(pos + 27, pos + 27 + n));
    const bodyLen = lacing.reduce((s, x) => s + x, 0);
    const page = b.slice(pos, pos + 27 + n + bodyLen);
    const crc = v.getUint32(pos + 22, true);
    page.fill(0, 22, 26);
    const packets: Uint8Array[] = [];
    let at = pos + 27 + n;
    let cur: number[] = [];
    for (const l of lacing) {
      cur.push(...b.subarray(at, at + l));
      at += l;
      if (l < 255) {
        packets.push(new Uint8Array(cur));
        cur = [];
      }
    }
    pages.push({
      flags: b[pos + 5] ?? 0,
      granule: v.getUint32(pos + 6, true) + v.getUint32(pos + 10, true) * 2 ** 32,
      seq: v.getUint32(pos + 18, true),
      crcOk: oggCrc(page) === crc,
      packets,
    });
    pos = at;
  }
  return pages;
}

/** A CELT 20 ms packet (TOC config 31, one frame) of `len` bytes. */
function packet(len: number, fill: number): Uint8Array {
  const p = new Uint8Array(len).fill(fill);
  p[0] = 31 << 3;
  return p;
}

describe('WebM/Opus → Ogg/Opus', () => {
  it('computes the Ogg CRC (CRC-32, poly 0x04c11db7, init 0, no reflection)', () => {
    expect(oggCrc(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
  });

  it('counts the samples of Opus packets from their TOC byte', () => {
    expect(opusPacketSamples(new Uint8Array([31 << 3]))).toBe(960); // CELT 20 ms
    expect(opusPacketSamples(new Uint8Array([(16 << 3) | 1]))).toBe(240); // 2 × 2.5 ms
    expect(opusPacketSamples(new Uint8Array([(3 << 3) | 3, 3]))).toBe(3 * 2880); // 3 × 60 ms SILK
  });

  it('moves every packet into Ogg pages with headers, granules and checksums', () => {
    const packets = Array.from({ length: 120 }, (_, i) => packet(i === 5 ? 300 : 40 + (i % 7), i));
    const pages = readOgg(webmToOggOpus(webm(packets)));
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    expect(pages[0]?.flags).toBe(0x02);
    expect(String.fromCharCode(...(pages[0]?.packets[0]?.subarray(0, 8) ?? []))).toBe('OpusHead');
    expect(pages[0]?.packets[0]?.[9]).toBe(1); // channels, from the WebM's OpusHead
    expect(String.fromCharCode(...(pages[1]?.packets[0]?.subarray(0, 8) ?? []))).toBe('OpusTags');
    const last = pages[pages.length - 1];
    expect(last?.flags).toBe(0x04);
    expect(last?.granule).toBe(120 * 960);
    const audio = pages.slice(2).flatMap((p) => p.packets);
    expect(audio).toEqual(packets);
    // Granules grow page by page.
    const granules = pages.slice(2).map((p) => p.granule);
    expect([...granules].sort((a, b) => a - b)).toEqual(granules);
  });

  it('writes an OpusHead when the WebM has none', () => {
    const pages = readOgg(webmToOggOpus(webm([packet(20, 1)], { codecPrivate: false })));
    const head = pages[0]?.packets[0];
    expect(head?.length).toBe(19);
    expect(head?.[9]).toBe(2); // channels from the track's Audio element
  });

  it('refuses what it cannot convert', () => {
    expect(() => webmToOggOpus(new Uint8Array([1, 2, 3]))).toThrow(RemuxError);
    expect(() => webmToOggOpus(webm([packet(20, 1)], { laced: true }))).toThrow(RemuxError);
  });
});
