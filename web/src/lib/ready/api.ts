/** The ready-responses calls (LC-20); writes need `ready_responses` at view_edit. */
import { api, call } from '../../api/client';
import type { ReadyCategory, ReadyResponse } from './ready';

export function fetchReady(): Promise<ReadyCategory[]> {
  return call(api.GET('/api/v1/ready-responses'));
}

export function createCategory(name: string): Promise<ReadyCategory> {
  return call(api.POST('/api/v1/ready-responses', { body: { name } }));
}

export function renameCategory(id: string, name: string): Promise<ReadyCategory> {
  return call(api.PATCH('/api/v1/ready-responses/{id}', { params: { path: { id } }, body: { name } }));
}

/** Deletes the category and every response in it. */
export async function deleteCategory(id: string): Promise<void> {
  await call(api.DELETE('/api/v1/ready-responses/{id}', { params: { path: { id } } }));
}

export function createResponse(categoryId: string, title: string, text: string): Promise<ReadyResponse> {
  return call(
    api.POST('/api/v1/ready-responses/{id}/responses', { params: { path: { id: categoryId } }, body: { title, text } }),
  );
}

/** Edits a response; `category_id` moves it to another category. */
export function updateResponse(
  r: Pick<ReadyResponse, 'id' | 'category_id'>,
  body: { title?: string; text?: string; category_id?: string },
): Promise<ReadyResponse> {
  return call(
    api.PATCH('/api/v1/ready-responses/{category_id}/responses/{id}', {
      params: { path: { category_id: r.category_id, id: r.id } },
      body,
    }),
  );
}

export async function deleteResponse(r: Pick<ReadyResponse, 'id' | 'category_id'>): Promise<void> {
  await call(
    api.DELETE('/api/v1/ready-responses/{category_id}/responses/{id}', {
      params: { path: { category_id: r.category_id, id: r.id } },
    }),
  );
}
