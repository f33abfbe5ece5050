import { describe, expect, it } from 'vitest';
import {
  fillText,
  headerFileKind,
  isComplete,
  isSendable,
  matchesSearch,
  missingVariables,
  placeholders,
  renderPreview,
  sortTemplates,
  type Template,
  templateParts,
  templateSend,
  templateVariables,
} from './templates';

function tpl(components: unknown, extra: Partial<Template> = {}): Template {
  return {
    name: 'pedido_enviado',
    language: 'pt_BR',
    status: 'APPROVED',
    category: 'UTILITY',
    label: 'pedido_enviado (Utilidade)',
    preview: '',
    updated_at: '2026-01-01T00:00:00Z',
    components: components as Template['components'],
    ...extra,
  };
}

const bodyOnly = tpl([
  { type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} foi enviado e chega em até 3 dias úteis.' },
  { type: 'BUTTONS', buttons: [] },
]);

const withHeader = tpl([
  { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
  { type: 'BODY', text: 'Oi {{1}}! O pedido {{2}} sai {{3}}. Dúvidas, {{1}}? Responda aqui.' },
  { type: 'FOOTER', text: 'Loja Demonstração' },
]);

describe('placeholders', () => {
  it('finds each placeholder once, numbers in ascending order', () => {
    expect(placeholders('{{2}} e {{1}} e {{2}} e {{ 10 }}')).toEqual(['1', '2', '10']);
  });
  it('keeps named placeholders after the numbered ones', () => {
    expect(placeholders('{{nome_cliente}} pediu {{1}}')).toEqual(['1', 'nome_cliente']);
  });
  it('ignores single braces (the {nome} variables of the composer)', () => {
    expect(placeholders('Olá {nome}, tudo bem?')).toEqual([]);
  });
});

describe('template parts and variables', () => {
  it('reads header, body and footer; buttons are not text', () => {
    expect(templateParts(withHeader)).toEqual({
      header: 'Pedido {{1}}',
      headerMedia: null,
      body: 'Oi {{1}}! O pedido {{2}} sai {{3}}. Dúvidas, {{1}}? Responda aqui.',
      footer: 'Loja Demonstração',
    });
  });
  it('counts the header and body variables separately', () => {
    expect(templateVariables(bodyOnly)).toEqual([
      { section: 'body', key: '1' },
      { section: 'body', key: '2' },
    ]);
    expect(templateVariables(withHeader).map((v) => `${v.section}.${v.key}`)).toEqual([
      'header.1',
      'body.1',
      'body.2',
      'body.3',
    ]);
  });
  it('a template without placeholders needs no input', () => {
    expect(templateVariables(tpl([{ type: 'BODY', text: 'Bom dia!' }]))).toEqual([]);
  });
  it('a media header asks for a file; a location header is not sendable from the picker', () => {
    const t = tpl([{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Veja {{1}}' }]);
    expect(templateParts(t).headerMedia).toBe('IMAGE');
    expect(headerFileKind(t)).toBe('image');
    expect(isSendable(t)).toBe(true);
    expect(headerFileKind(tpl([{ type: 'HEADER', format: 'document' }]))).toBe('document');
    const here = tpl([{ type: 'HEADER', format: 'LOCATION' }, { type: 'BODY', text: 'Estamos aqui' }]);
    expect(headerFileKind(here)).toBe(null);
    expect(isSendable(here)).toBe(false);
  });
  it('tolerates components that are not a list', () => {
    expect(templateParts(tpl({})).body).toBe('');
  });
});

describe('preview', () => {
  it('keeps empty placeholders and fills as values arrive', () => {
    expect(renderPreview(bodyOnly, {}).body).toBe(
      'Olá {{1}}, seu pedido {{2}} foi enviado e chega em até 3 dias úteis.',
    );
    expect(renderPreview(bodyOnly, { 'body.1': 'Maria' }).body).toBe(
      'Olá Maria, seu pedido {{2}} foi enviado e chega em até 3 dias úteis.',
    );
    expect(renderPreview(bodyOnly, { 'body.1': 'Maria', 'body.2': '4521' }).body).toBe(
      'Olá Maria, seu pedido 4521 foi enviado e chega em até 3 dias úteis.',
    );
  });
  it('fills the header from its own values and repeats a body value', () => {
    const p = renderPreview(withHeader, { 'header.1': '#77', 'body.1': 'Ana', 'body.2': '77', 'body.3': 'hoje' });
    expect(p.header).toBe('Pedido #77');
    expect(p.body).toBe('Oi Ana! O pedido 77 sai hoje. Dúvidas, Ana? Responda aqui.');
    expect(p.footer).toBe('Loja Demonstração');
  });
  it('blank values count as missing', () => {
    expect(fillText('Olá {{1}}', () => '   ')).toBe('Olá {{1}}');
    expect(missingVariables(bodyOnly, { 'body.1': ' ', 'body.2': '4521' })).toEqual([{ section: 'body', key: '1' }]);
  });
  it('{nome} and custom-field variables are allowed in values', () => {
    expect(renderPreview(bodyOnly, { 'body.1': '{nome}', 'body.2': '{pedido}' }).body).toContain('Olá {nome}, seu pedido {pedido}');
    expect(isComplete(bodyOnly, { 'body.1': '{nome}', 'body.2': '{pedido}' })).toBe(true);
  });
});

describe('sending', () => {
  it('is complete only when every variable has a value and the template is approved', () => {
    expect(isComplete(bodyOnly, { 'body.1': 'Maria' })).toBe(false);
    expect(isComplete(bodyOnly, { 'body.1': 'Maria', 'body.2': '4521' })).toBe(true);
    expect(isComplete({ ...bodyOnly, status: 'PENDING' }, { 'body.1': 'Maria', 'body.2': '4521' })).toBe(false);
  });
  it('body-only templates send positional variables (the server fills {nome})', () => {
    expect(templateSend(bodyOnly, { 'body.1': ' {nome} ', 'body.2': '4521' })).toEqual({
      name: 'pedido_enviado',
      language: 'pt_BR',
      variables: ['{nome}', '4521'],
    });
  });
  it('the header numbers its own values', () => {
    const s = templateSend(withHeader, { 'header.1': '#77', 'body.1': 'Ana', 'body.2': '77', 'body.3': 'hoje' });
    expect(s).toEqual({
      name: 'pedido_enviado',
      language: 'pt_BR',
      variables: ['Ana', '77', 'hoje'],
      header_variables: ['#77'],
    });
  });
  it('named placeholders go by name', () => {
    const t = tpl([{ type: 'BODY', text: 'Olá {{cliente}}' }]);
    expect(templateSend(t, { 'body.cliente': ' Ana ' })).toEqual({
      name: 'pedido_enviado',
      language: 'pt_BR',
      named_variables: { cliente: 'Ana' },
    });
  });
  it('a media header needs its uploaded file, sent by id (documents with their name)', () => {
    const image = tpl([{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Oi {{1}}' }]);
    const file = { id: '998877', filename: 'colecao.png', mime: 'image/png', size: 1200 };
    expect(isComplete(image, { 'body.1': 'Ana' })).toBe(false);
    expect(isComplete(image, { 'body.1': 'Ana' }, file)).toBe(true);
    expect(templateSend(image, { 'body.1': 'Ana' }, file)).toEqual({
      name: 'pedido_enviado',
      language: 'pt_BR',
      variables: ['Ana'],
      header_media: { id: '998877' },
    });
    const doc = tpl([{ type: 'HEADER', format: 'DOCUMENT' }, { type: 'BODY', text: 'Segue o boleto' }]);
    expect(templateSend(doc, {}, { ...file, filename: 'boleto.pdf' }).header_media).toEqual({
      id: '998877',
      filename: 'boleto.pdf',
    });
  });
});

describe('listing', () => {
  it('searches label and preview, ignoring case and accents', () => {
    const t = tpl([], { label: 'boas_vindas (Marketing)', name: 'boas_vindas', preview: 'Olá Maria! Aqui é da Loja' });
    expect(matchesSearch(t, 'MARKET')).toBe(true);
    expect(matchesSearch(t, 'aqui e da')).toBe(true);
    expect(matchesSearch(t, 'pedido')).toBe(false);
    expect(matchesSearch(t, '  ')).toBe(true);
  });
  it('lists sendable templates first, then by label', () => {
    const list = [
      tpl([], { label: 'b (Marketing)', status: 'PENDING' }),
      tpl([], { label: 'c (Utilidade)' }),
      tpl([], { label: 'a (Utilidade)' }),
    ];
    expect(sortTemplates(list).map((t) => t.label)).toEqual(['a (Utilidade)', 'c (Utilidade)', 'b (Marketing)']);
  });
});
