import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../api/types';
import { channelHasTemplates, channelName, knownChannel } from './channels';

describe('channels', () => {
  it('only WhatsApp has templates', () => {
    expect(channelHasTemplates('whatsapp')).toBe(true);
    for (const c of CHANNELS.filter((c) => c !== 'whatsapp')) expect(channelHasTemplates(c), c).toBe(false);
    expect(channelHasTemplates('sms')).toBe(false);
    expect(channelHasTemplates('')).toBe(false);
    expect(channelHasTemplates(null)).toBe(false);
    expect(channelHasTemplates(undefined)).toBe(false);
  });

  it('names channels through the catalogs', () => {
    expect(knownChannel('telegram')).toBe('telegram');
    expect(knownChannel('sms')).toBeNull();
    expect(channelName('whatsapp')).toBe('WhatsApp');
    expect(channelName('telegram')).toBe('Telegram');
    expect(channelName('widget')).toBe('Chat do site');
    expect(channelName('sms')).toBe('Canal sms');
  });
});
