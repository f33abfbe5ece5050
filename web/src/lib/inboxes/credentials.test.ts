import { describe, expect, it } from 'vitest';
import {
  type CredentialFields,
  credentialFields,
  credentialsKind,
  credentialsPatch,
  metaIdKey,
  NEW_CHANNELS,
  newInboxBody,
  settingOf,
  webhookUrl,
} from './credentials';

const blank = credentialFields(null);
const filled: CredentialFields = {
  phoneNumberId: '100000000000001',
  wabaId: '200000000000002',
  metaId: ' 104857600000000 ',
  accessToken: 'EAAB-token',
  appSecret: 'app-secret',
  verifyToken: 'verify-me',
  botToken: ' 123456789:AAE-token ',
};

describe('inbox credentials', () => {
  it('picks the form of each channel', () => {
    expect(NEW_CHANNELS).toEqual(['whatsapp', 'telegram', 'messenger', 'instagram', 'widget']);
    expect(credentialsKind('whatsapp')).toBe('whatsapp');
    expect(credentialsKind('telegram')).toBe('telegram');
    expect(credentialsKind('messenger')).toBe('meta');
    expect(credentialsKind('instagram')).toBe('meta');
    expect(credentialsKind('widget')).toBe('widget');
    // A kind the form does not know keeps WhatsApp's form, as before.
    expect(credentialsKind('sms')).toBe('whatsapp');
    expect(metaIdKey('messenger')).toBe('page_id');
    expect(metaIdKey('instagram')).toBe('account_id');
  });

  it('opens an edit with the settings, never the secrets', () => {
    expect(blank).toEqual({
      phoneNumberId: '',
      wabaId: '',
      metaId: '',
      accessToken: '',
      appSecret: '',
      verifyToken: '',
      botToken: '',
    });
    const wa = credentialFields({ channel: 'whatsapp', settings: { phone_number_id: '1', waba_id: 2 } });
    expect(wa).toEqual({ ...blank, phoneNumberId: '1', wabaId: '2' });
    expect(credentialFields({ channel: 'messenger', settings: { page_id: '10' } }).metaId).toBe('10');
    expect(credentialFields({ channel: 'instagram', settings: { account_id: '17841400000000000' } }).metaId).toBe(
      '17841400000000000',
    );
    // Another kind's id is not Instagram's.
    expect(credentialFields({ channel: 'instagram', settings: { page_id: '10' } }).metaId).toBe('');
    expect(credentialFields({ channel: 'telegram', settings: { bot_id: 7 } })).toEqual(blank);
    expect(settingOf({ a: true }, 'a')).toBe('');
    expect(settingOf(null, 'a')).toBe('');
  });

  it('builds the body of a new inbox per channel', () => {
    expect(newInboxBody('whatsapp', 'Loja', true, filled)).toEqual({
      name: 'Loja',
      channel: 'whatsapp',
      chatbot_enabled: true,
      whatsapp: {
        phone_number_id: '100000000000001',
        waba_id: '200000000000002',
        access_token: 'EAAB-token',
        app_secret: 'app-secret',
        verify_token: 'verify-me',
      },
    });
    expect(newInboxBody('telegram', 'Bot', false, filled)).toEqual({
      name: 'Bot',
      channel: 'telegram',
      chatbot_enabled: false,
      telegram: { bot_token: '123456789:AAE-token' },
    });
    const meta = { access_token: 'EAAB-token', app_secret: 'app-secret', verify_token: 'verify-me' };
    expect(newInboxBody('messenger', 'Página', true, filled)).toEqual({
      name: 'Página',
      channel: 'messenger',
      chatbot_enabled: true,
      meta: { page_id: '104857600000000', ...meta },
    });
    expect(newInboxBody('instagram', 'Insta', true, filled)).toEqual({
      name: 'Insta',
      channel: 'instagram',
      chatbot_enabled: true,
      meta: { account_id: '104857600000000', ...meta },
    });
  });

  it('sends only the credentials filled in on an edit', () => {
    const onlyToken = { ...blank, accessToken: ' new-token ' };
    expect(credentialsPatch('messenger', onlyToken)).toEqual({ meta: { access_token: 'new-token' } });
    expect(credentialsPatch('instagram', { ...onlyToken, metaId: '17841400000000000' })).toEqual({
      meta: { account_id: '17841400000000000', access_token: 'new-token' },
    });
    expect(credentialsPatch('whatsapp', { ...blank, phoneNumberId: '1', accessToken: 'tok', appSecret: '  ' })).toEqual({
      whatsapp: { phone_number_id: '1', access_token: 'tok' },
    });
    expect(credentialsPatch('telegram', { ...blank, botToken: ' 1:A ' })).toEqual({ telegram: { bot_token: '1:A' } });
    expect(credentialsPatch('telegram', blank)).toEqual({});
    // The widget has no provider credentials: its settings go in `widget`.
    expect(credentialsPatch('widget', filled)).toEqual({});
  });

  it('gives the webhook URL Meta must call', () => {
    const origin = 'https://atende.example.com';
    expect(webhookUrl(origin, 'whatsapp')).toBe('https://atende.example.com/webhooks/whatsapp');
    expect(webhookUrl('https://atende.example.com/', 'messenger')).toBe('https://atende.example.com/webhooks/meta');
    expect(webhookUrl('http://localhost:8080', 'instagram')).toBe('http://localhost:8080/webhooks/meta');
    expect(webhookUrl('https://atende.example.com', 'telegram')).toBeNull();
    expect(webhookUrl('https://atende.example.com', 'widget')).toBeNull();
  });
});
