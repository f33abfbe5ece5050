import { describe, expect, it } from 'vitest';
import {
  chatLink,
  DEFAULT_COLOR,
  embedSnippet,
  generateSecret,
  identitySecretSet,
  isColor,
  newWidgetInboxBody,
  parseOrigin,
  parseOrigins,
  SECRET_LENGTH,
  widgetConfig,
  type WidgetFields,
  widgetFields,
  widgetProblem,
} from './widget';

const blank = widgetFields(null);
const filled: WidgetFields = {
  ...blank,
  origins: ' https://www.loja.com.br/ \n\nhttp://localhost:5173\nhttps://www.loja.com.br',
  title: ' Fale conosco ',
  greeting: 'Olá! Como podemos ajudar?',
  color: '#1F6FEB',
  prechat: { name: 'required', email: 'optional', phone: 'off' },
  closedMessage: '',
};

describe('widget inbox: allowed sites', () => {
  it('reads http(s) origins and "*", normalized as the server keeps them', () => {
    expect(parseOrigin('https://www.loja.com.br')).toBe('https://www.loja.com.br');
    expect(parseOrigin(' https://www.loja.com.br/ ')).toBe('https://www.loja.com.br');
    expect(parseOrigin('HTTPS://Loja.com.br')).toBe('https://loja.com.br');
    expect(parseOrigin('https://loja.com.br:443')).toBe('https://loja.com.br');
    expect(parseOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseOrigin('*')).toBe('*');
    for (const bad of [
      'loja.com.br',
      'www.loja.com.br/',
      'ftp://loja.com.br',
      'https://loja.com.br/contato',
      'https://loja.com.br/?a=1',
      'https://loja.com.br#x',
      'https://u:p@loja.com.br',
      'javascript:alert(1)',
      '**',
      '',
    ]) {
      expect(parseOrigin(bad), bad).toBeNull();
    }
  });

  it('takes one site per line, skips blank lines and repeats, lists the bad ones', () => {
    expect(parseOrigins(filled.origins)).toEqual({
      origins: ['https://www.loja.com.br', 'http://localhost:5173'],
      invalid: [],
    });
    expect(parseOrigins('loja.com.br\n*\n https://a.io/x ')).toEqual({
      origins: ['*'],
      invalid: ['loja.com.br', 'https://a.io/x'],
    });
    expect(parseOrigins(' \n')).toEqual({ origins: [], invalid: [] });
  });
});

describe('widget inbox: checks before sending', () => {
  it('needs at least one valid site, a #rrggbb colour and, for verification, a secret', () => {
    expect(widgetProblem(filled, false)).toBeNull();
    expect(widgetProblem(blank, false)).toEqual({ kind: 'noOrigins' });
    expect(widgetProblem({ ...filled, origins: 'https://ok.io\nloja.com.br' }, false)).toEqual({
      kind: 'badOrigins',
      lines: ['loja.com.br'],
    });
    const many = Array.from({ length: 51 }, (_, i) => `https://s${i}.example.com`).join('\n');
    expect(widgetProblem({ ...filled, origins: many }, false)).toEqual({ kind: 'tooManyOrigins', max: 50 });
    expect(widgetProblem({ ...filled, color: 'blue' }, false)).toEqual({ kind: 'badColor' });
    expect(widgetProblem({ ...filled, color: '#12345' }, false)).toEqual({ kind: 'badColor' });
    expect(widgetProblem({ ...filled, verification: true }, false)).toEqual({ kind: 'noSecret' });
    expect(widgetProblem({ ...filled, verification: true }, true), 'the current secret stays').toBeNull();
    expect(widgetProblem({ ...filled, verification: true, secret: generateSecret() }, false)).toBeNull();
    expect(isColor('#abcdef')).toBe(true);
    expect(isColor('#ABCDEF')).toBe(true);
    expect(isColor('abcdef')).toBe(false);
  });
});

describe('widget inbox: request bodies', () => {
  it('opens a new inbox with the defaults, an edit with its settings', () => {
    expect(blank).toEqual({
      origins: '',
      title: '',
      greeting: '',
      color: DEFAULT_COLOR,
      prechat: { name: 'off', email: 'off', phone: 'off' },
      closedMessage: '',
      verification: false,
      secret: '',
    });
    const settings = {
      allowed_origins: ['https://www.loja.com.br', 'https://loja.com.br'],
      title: 'Loja',
      greeting: 'Oi!',
      color: '#AA0000',
      prechat: { name: 'required', email: 'bogus' },
      closed_message: 'Voltamos amanhã.',
      identity_verification: true,
      public_key: 'wc_abc',
    };
    expect(widgetFields({ settings })).toEqual({
      origins: 'https://www.loja.com.br\nhttps://loja.com.br',
      title: 'Loja',
      greeting: 'Oi!',
      color: '#aa0000',
      prechat: { name: 'required', email: 'off', phone: 'off' },
      closedMessage: 'Voltamos amanhã.',
      verification: true,
      secret: '',
    });
    expect(widgetFields({ settings: { color: 'red' } }).color).toBe(DEFAULT_COLOR);
  });

  it('creates an inbox with the sites, its look and the pre-chat form, blank texts left out', () => {
    expect(newWidgetInboxBody('Site', true, filled)).toEqual({
      name: 'Site',
      channel: 'widget',
      chatbot_enabled: true,
      widget: {
        allowed_origins: ['https://www.loja.com.br', 'http://localhost:5173'],
        title: 'Fale conosco',
        greeting: 'Olá! Como podemos ajudar?',
        color: '#1f6feb',
        prechat: { name: 'required', email: 'optional', phone: 'off' },
      },
    });
    const secret = 'a'.repeat(40);
    expect(newWidgetInboxBody('Site', false, { ...filled, verification: true, secret }).widget?.identity_secret).toBe(
      secret,
    );
    // A secret generated, then verification turned off: not sent.
    expect(newWidgetInboxBody('Site', false, { ...filled, secret }).widget).not.toHaveProperty('identity_secret');
  });

  it('edits every setting (blank clears) and the secret only when it changes', () => {
    const edit = widgetConfig(filled, { secretSet: false });
    expect(edit).toEqual({
      allowed_origins: ['https://www.loja.com.br', 'http://localhost:5173'],
      title: 'Fale conosco',
      greeting: 'Olá! Como podemos ajudar?',
      closed_message: '',
      color: '#1f6feb',
      prechat: { name: 'required', email: 'optional', phone: 'off' },
    });
    // Verification on with the current secret: nothing about it.
    const kept = widgetConfig({ ...filled, verification: true }, { secretSet: true });
    expect(kept).not.toHaveProperty('identity_secret');
    expect(kept).not.toHaveProperty('identity_verification');
    // A new secret replaces it.
    expect(widgetConfig({ ...filled, verification: true, secret: 'b'.repeat(40) }, { secretSet: true }).identity_secret).toBe(
      'b'.repeat(40),
    );
    // Turned off: the secret is removed.
    expect(widgetConfig(filled, { secretSet: true }).identity_verification).toBe(false);
    expect(widgetConfig(filled, { secretSet: false })).not.toHaveProperty('identity_verification');
  });

  it('knows whether the inbox has its secret', () => {
    expect(identitySecretSet({ secrets_set: ['identity_secret'], settings: {} })).toBe(true);
    expect(identitySecretSet({ secrets_set: [], settings: { identity_verification: true } })).toBe(true);
    expect(identitySecretSet({ secrets_set: [], settings: { identity_verification: false } })).toBe(false);
  });
});

describe('widget inbox: secret, snippet and link', () => {
  it('generates a 40-character hex secret from the random source', () => {
    expect(SECRET_LENGTH).toBe(40);
    expect(generateSecret((b) => b.fill(0xab))).toBe('ab'.repeat(20));
    const a = generateSecret();
    expect(a).toMatch(/^[0-9a-f]{40}$/);
    expect(generateSecret()).not.toBe(a);
  });

  it('builds the embed snippet and the direct chat link', () => {
    const id = '0190d6a4-5b1e-7c3d-8e9f-0a1b2c3d4e5f';
    expect(embedSnippet('https://atende.example.com', id)).toBe(
      `<script src="https://atende.example.com/widget/v1/widget.js" data-inbox="${id}" async></script>`,
    );
    expect(embedSnippet('http://localhost:8080/', id)).toContain('src="http://localhost:8080/widget/v1/widget.js"');
    expect(chatLink('https://atende.example.com/', id)).toBe(`https://atende.example.com/widget/v1/inboxes/${id}/chat`);
  });
});
