/** The organization's contact custom fields, read when the settings panel opens. */
import { api, call } from '../../api/client';
import type { CustomFieldDef } from '../../api/types';
import { describeError } from '../errors';

export const contactFields = $state<{ list: CustomFieldDef[]; error: string | null }>({ list: [], error: null });

let gen = 0;

export async function loadContactFields(): Promise<void> {
  const mine = ++gen;
  try {
    const all = await call(api.GET('/api/v1/custom-fields'));
    if (mine !== gen) return;
    contactFields.list = all.filter((f) => f.target === 'contact');
    contactFields.error = null;
  } catch (e) {
    if (mine === gen) contactFields.error = describeError(e);
  }
}
