/** What each channel kind can do, and its name as the UI shows it. */
import { CHANNELS, type Channel } from '../api/types';
import { t } from './i18n/index.svelte';

/**
 * Whether chats on `channel` have template messages (CH-6) — the only thing
 * that goes outside a customer-service window. WhatsApp only, for now.
 */
export function channelHasTemplates(channel: string | null | undefined): boolean {
  return channel === 'whatsapp';
}

/**
 * Whether a person may reply on `channel` up to 7 days after the contact's
 * last message (Meta's HUMAN_AGENT tag: Messenger, Instagram), rather than
 * within WhatsApp's 24 hours.
 */
export function channelHasHumanAgentWindow(channel: string | null | undefined): boolean {
  return channel === 'messenger' || channel === 'instagram';
}

/** The composer's note once the window on `channel` has ended (CH-5). */
export function expiredNote(channel: string | null | undefined): string {
  if (channelHasTemplates(channel)) return t('composer.expired');
  if (channel && channelHasHumanAgentWindow(channel)) {
    return t('composer.expiredHumanAgent', { channel: channelName(channel) });
  }
  return t('composer.expiredNoTemplates');
}

/** A known channel kind, or null. */
export function knownChannel(channel: string): Channel | null {
  return (CHANNELS as readonly string[]).includes(channel) ? (channel as Channel) : null;
}

/** The channel's name ("WhatsApp", "Telegram"…, or "Canal x" for one the UI does not know). */
export function channelName(channel: string): string {
  const known = knownChannel(channel);
  return known ? t(`channel.${known}`) : t('channel.other', { name: channel });
}
