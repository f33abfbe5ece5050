import { describe, expect, it } from 'vitest';
import { pickRecordingType, recorderProblem, recordingClock, uploadTypeFor } from './recorder';

describe('voice recording format', () => {
  it('prefers Ogg/Opus, then WebM/Opus (rewritten as Ogg), then MP4/AAC', () => {
    expect(pickRecordingType(() => true)).toBe('audio/ogg;codecs=opus');
    // Chromium without proprietary codecs (what the browser tests run).
    const chromium = new Set(['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/mp4;codecs=opus']);
    expect(pickRecordingType((t) => chromium.has(t))).toBe('audio/webm;codecs=opus');
    expect(pickRecordingType((t) => t === 'audio/mp4;codecs=mp4a.40.2')).toBe('audio/mp4;codecs=mp4a.40.2');
    // Opus in MP4 is not something WhatsApp lists: not used.
    expect(pickRecordingType((t) => t === 'audio/mp4;codecs=opus')).toBeNull();
  });

  it('uploads Ogg for Opus recordings and MP4 for AAC', () => {
    expect(uploadTypeFor('audio/webm;codecs=opus')).toBe('audio/ogg');
    expect(uploadTypeFor('audio/ogg;codecs=opus')).toBe('audio/ogg');
    expect(uploadTypeFor('audio/mp4;codecs=mp4a.40.2')).toBe('audio/mp4');
  });

  it('tells denied permission from a missing microphone', () => {
    expect(recorderProblem(new DOMException('no', 'NotAllowedError'))).toBe('denied');
    expect(recorderProblem(new DOMException('none', 'NotFoundError'))).toBe('noDevice');
    expect(recorderProblem(new DOMException('x', 'NotSupportedError'))).toBe('unsupported');
    expect(recorderProblem(new Error('boom'))).toBe('failed');
  });

  it('shows the length as m:ss', () => {
    expect(recordingClock(0)).toBe('0:00');
    expect(recordingClock(65_400)).toBe('1:05');
  });
});
