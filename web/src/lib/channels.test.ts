import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../api/types';
import {
  channelHasHumanAgentWindow,
  channelHasTemplates,
  channelName,
  expiredNote,
  knownChannel,
} from './channels';

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
    expect(channelName('widget')).toBe('Webchat');
    expect(channelName('sms')).toBe('Canal sms');
  });

  it('explains the ended window per channel', () => {
    expect(channelHasHumanAgentWindow('messenger')).toBe(true);
    expect(channelHasHumanAgentWindow('instagram')).toBe(true);
    for (const c of ['whatsapp', 'telegram', 'widget', '', null, undefined]) {
      expect(channelHasHumanAgentWindow(c), String(c)).toBe(false);
    }
    expect(expiredNote('whatsapp')).toMatch(/^A sessão de 24 horas/);
    expect(expiredNote('messenger')).toMatch(/^Passaram-se mais de 7 dias/);
    expect(expiredNote('messenger')).toContain('o Facebook Messenger não permite responder.');
    expect(expiredNote('instagram')).toContain('o Instagram não permite responder');
    expect(expiredNote('widget')).toMatch(/^A janela de atendimento/);
    expect(expiredNote('sms')).toMatch(/^A janela de atendimento/);
  });
});
