/**
 * Sending media (CH-8): the file is uploaded to the chat's inbox
 * (`POST /inboxes/{id}/media`, multipart field `file`), then sent as a
 * message that names the upload's id.
 */
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { SendRequest } from '../../api/types';
import type { MediaKind } from './kind';

export type Upload = components['schemas']['UploadOut'];

export function uploadMedia(inboxId: string, file: File): Promise<Upload> {
  return call(
    api.POST('/api/v1/inboxes/{id}/media', {
      params: { path: { id: inboxId } },
      // The schema describes the multipart form; the form itself is built here.
      body: { file: '' },
      bodySerializer: () => {
        const form = new FormData();
        form.append('file', file, file.name);
        return form;
      },
    }),
  );
}

/** The message body for an uploaded file; a caption only when given. */
export function mediaRequest(upload: Pick<Upload, 'id'>, kind: MediaKind, caption: string, filename: string | null): SendRequest {
  const text = caption.trim();
  return {
    media: {
      kind,
      id: upload.id,
      ...(text && kind !== 'audio' && kind !== 'sticker' ? { caption: text } : {}),
      ...(kind === 'document' && filename ? { filename } : {}),
    },
  };
}
