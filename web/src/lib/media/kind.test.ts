import { describe, expect, it } from 'vitest';
import { baseMime, fileNameFor, fileProblem, formatBytes, MAX_UPLOAD_BYTES, mediaKindFor } from './kind';

const MB = 1024 * 1024;

describe('mediaKindFor (MIME type → WhatsApp media kind)', () => {
  it('sends JPEG and PNG as images', () => {
    expect(mediaKindFor('image/jpeg', 1000)).toBe('image');
    expect(mediaKindFor('image/png', 1000)).toBe('image');
    expect(mediaKindFor('IMAGE/PNG', 1000)).toBe('image');
  });

  it('sends MP4 and 3GPP video as video', () => {
    expect(mediaKindFor('video/mp4', 1000)).toBe('video');
    expect(mediaKindFor('video/3gpp', 1000)).toBe('video');
  });

  it('sends the audio types WhatsApp plays as audio, parameters ignored', () => {
    for (const type of ['audio/ogg', 'audio/ogg; codecs=opus', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/amr']) {
      expect(mediaKindFor(type, 1000), type).toBe('audio');
    }
  });

  it('sends small WebP images as stickers', () => {
    expect(mediaKindFor('image/webp', 50 * 1024)).toBe('sticker');
    expect(mediaKindFor('image/webp', 2 * MB)).toBe('document');
  });

  it('sends every other type as a document', () => {
    for (const type of ['application/pdf', 'text/plain', 'image/gif', 'image/svg+xml', 'video/webm', 'audio/webm', 'audio/wav', '']) {
      expect(mediaKindFor(type, 1000), type).toBe('document');
    }
  });

  it('sends files over the kind’s WhatsApp limit as documents', () => {
    expect(mediaKindFor('image/jpeg', 5 * MB)).toBe('image');
    expect(mediaKindFor('image/jpeg', 5 * MB + 1)).toBe('document');
    expect(mediaKindFor('video/mp4', 17 * MB)).toBe('document');
    expect(mediaKindFor('audio/mpeg', 17 * MB)).toBe('document');
  });
});

describe('file checks and names', () => {
  it('refuses empty files and files over the upload limit', () => {
    expect(fileProblem(0)).toBe('empty');
    expect(fileProblem(1)).toBeNull();
    expect(fileProblem(MAX_UPLOAD_BYTES)).toBeNull();
    expect(fileProblem(MAX_UPLOAD_BYTES + 1)).toBe('tooLarge');
  });

  it('strips parameters from MIME types', () => {
    expect(baseMime('audio/ogg; codecs=opus')).toBe('audio/ogg');
  });

  it('names unnamed data from its type', () => {
    expect(fileNameFor('image/png', 'imagem')).toBe('imagem.png');
    expect(fileNameFor('audio/ogg', 'voz')).toBe('voz.ogg');
    expect(fileNameFor('application/x-unknown', 'arquivo')).toBe('arquivo');
  });

  it('formats sizes', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(2.5 * MB, 'pt-BR')).toBe('2,5 MB');
    expect(formatBytes(100 * MB, 'pt-BR')).toBe('100 MB');
  });
});
