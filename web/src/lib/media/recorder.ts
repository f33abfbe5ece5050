/**
 * Voice messages (CH-8): which format to record in, and the file to upload.
 * WhatsApp takes audio/ogg (Opus), audio/mpeg, audio/mp4 (AAC), audio/aac
 * and audio/amr. Firefox records Ogg/Opus directly; Chromium records
 * WebM/Opus, which is rewritten as Ogg/Opus here (same audio, other
 * container); MP4/AAC is the last choice (Chrome with proprietary codecs).
 */
import { fileNameFor } from './kind';
import { webmToOggOpus } from './oggOpus';

export const RECORDING_TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/mp4;codecs=mp4a.40.2'] as const;

/** The first type the browser can record, or null. */
export function pickRecordingType(isSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((t) => isSupported(t)) ?? null;
}

/** The MIME type the recording is uploaded with. */
export function uploadTypeFor(recorded: string): string {
  if (recorded.startsWith('audio/ogg') || recorded.startsWith('audio/webm')) return 'audio/ogg';
  return 'audio/mp4';
}

/** The recording as the file to upload (WebM rewritten as Ogg). */
export async function recordingFile(blob: Blob, recordedType: string, stem: string): Promise<File> {
  const type = uploadTypeFor(recordedType);
  let data: BlobPart = blob;
  if (recordedType.startsWith('audio/webm')) {
    data = webmToOggOpus(new Uint8Array(await blob.arrayBuffer())) as Uint8Array<ArrayBuffer>;
  }
  return new File([data], fileNameFor(type, stem), { type });
}

export type RecorderProblem = 'denied' | 'noDevice' | 'unsupported' | 'failed';

/** What went wrong opening the microphone, for the message to show. */
export function recorderProblem(e: unknown): RecorderProblem {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'noDevice';
  if (name === 'NotSupportedError' || name === 'TypeError') return 'unsupported';
  return 'failed';
}

/** "m:ss" of a recording's length. */
export function recordingClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
