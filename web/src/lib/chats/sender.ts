/** Who wrote a message, as a bubble (and a search hit) names them. */
import type { Message } from '../../api/types';
import { authorLabel } from '../directory.svelte';
import { t } from '../i18n/index.svelte';

export function senderName(m: Message, meId: string, contactName: string): string {
  switch (m.author_kind) {
    case 'contact':
      return contactName;
    case 'bot':
      return t('sender.bot');
    case 'system':
      return t('sender.system');
    default:
      if (m.author_id === meId) return t('sender.you');
      return authorLabel(m.author_id);
  }
}
