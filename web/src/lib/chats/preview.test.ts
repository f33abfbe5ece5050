import { describe, expect, it } from 'vitest';
import type { LastMessage } from '../../api/types';
import { msg } from '../../test/fixtures';
import { translate } from '../i18n/catalog';
import { lastMessageOf, PREVIEW_CHARS, previewOf, type Previewed, previewText, type Translate } from './preview';

const pt: Translate = (k, p) => translate('pt-BR', k, p);
const en: Translate = (k, p) => translate('en', k, p);

function last(over: Partial<LastMessage> = {}): LastMessage {
  return { kind: 'text', text: 'Oi, tudo bem?', internal: false, direction: 'in', author_kind: 'contact', ...over };
}

describe('previewOf', () => {
  it('shows nothing without a last message or with an empty text', () => {
    expect(previewOf(null, pt)).toBeNull();
    expect(previewOf(undefined, pt)).toBeNull();
    expect(previewOf(last({ text: null }), pt)).toBeNull();
    expect(previewOf(last({ text: '   ' }), pt)).toBeNull();
  });

  it('shows an inbound text as it is', () => {
    expect(previewOf(last(), pt)).toBe('Oi, tudo bem?');
  });

  it('labels each kind with an emoji, the caption after it', () => {
    const cases: [string, string, string][] = [
      ['image', '📷 Foto', '📷 Photo'],
      ['video', '🎥 Vídeo', '🎥 Video'],
      ['audio', '🎤 Áudio', '🎤 Audio'],
      ['document', '📄 Documento', '📄 Document'],
      ['sticker', '💟 Figurinha', '💟 Sticker'],
      ['location', '📍 Localização', '📍 Location'],
      ['contacts', '👤 Contato', '👤 Contact'],
      ['interactive', '🔘 Resposta de botão', '🔘 Button reply'],
      ['template', '📝 Template', '📝 Template'],
      ['reaction', 'Reação', 'Reaction'],
      ['unsupported', '⚠️ Mensagem não suportada', '⚠️ Unsupported message'],
      ['story_mention', '📣 Menção no story', '📣 Story mention'],
    ];
    for (const [kind, ptLabel, enLabel] of cases) {
      expect(previewOf(last({ kind, text: null }), pt), kind).toBe(ptLabel);
      expect(previewOf(last({ kind, text: null }), en), kind).toBe(enLabel);
    }
  });

  it('puts the caption after the label', () => {
    expect(previewOf(last({ kind: 'image', text: 'Foto do produto' }), pt)).toBe('📷 Foto · Foto do produto');
    expect(previewOf(last({ kind: 'document', text: 'orcamento.pdf' }), en)).toBe('📄 Document · orcamento.pdf');
    expect(previewOf(last({ kind: 'interactive', text: 'Sim' }), pt)).toBe('🔘 Resposta de botão · Sim');
  });

  it('shows the emoji of a reaction', () => {
    expect(previewOf(last({ kind: 'reaction', text: '👍' }), pt)).toBe('Reagiu com 👍');
    expect(previewOf(last({ kind: 'reaction', text: '❤️' }), en)).toBe('Reacted with ❤️');
  });

  it('calls an outbound interactive message a menu', () => {
    const menu = last({ kind: 'interactive', text: 'Escolha uma opção', direction: 'out', author_kind: 'bot' });
    expect(previewOf(menu, pt)).toBe('🤖 Bot: 🔘 Menu · Escolha uma opção');
    expect(previewOf({ ...menu, text: null, author_kind: 'agent' }, en)).toBe('Agent: 🔘 Menu');
  });

  it('prefixes outbound messages with who sent them', () => {
    expect(previewOf(last({ direction: 'out', author_kind: 'agent', text: 'Já verifico' }), pt)).toBe('Agente: Já verifico');
    expect(previewOf(last({ direction: 'out', author_kind: 'agent', text: 'On it' }), en)).toBe('Agent: On it');
    expect(previewOf(last({ direction: 'out', author_kind: 'bot', text: 'Olá!' }), pt)).toBe('🤖 Bot: Olá!');
    expect(previewOf(last({ direction: 'out', author_kind: 'agent', kind: 'audio', text: null }), pt)).toBe('Agente: 🎤 Áudio');
  });

  it('says "sent" of an outbound message whose author kind is not given (monitoring)', () => {
    const sent: Previewed = { kind: 'text', text: 'Já verifico', internal: false, direction: 'out' };
    expect(previewOf(sent, pt)).toBe('Enviada: Já verifico');
    expect(previewOf(sent, en)).toBe('Sent: Já verifico');
    expect(previewOf({ ...sent, direction: 'in' }, pt)).toBe('Já verifico');
    expect(previewOf({ ...sent, internal: true }, pt)).toBe('🔒 Nota interna: Já verifico');
  });

  it('marks an internal note (instead of the outbound prefix)', () => {
    const note = last({ internal: true, direction: 'out', author_kind: 'agent', text: 'conferir estoque' });
    expect(previewOf(note, pt)).toBe('🔒 Nota interna: conferir estoque');
    expect(previewOf(note, en)).toBe('🔒 Internal note: conferir estoque');
  });

  it('shows the text of a kind it does not know, or calls it unsupported', () => {
    expect(previewOf(last({ kind: 'poll', text: 'Qual cor?' }), pt)).toBe('Qual cor?');
    expect(previewOf(last({ kind: 'poll', text: null }), pt)).toBe('⚠️ Mensagem não suportada');
  });

  it('keeps the text on one line', () => {
    expect(previewOf(last({ text: 'linha 1\n\nlinha   2' }), pt)).toBe('linha 1 linha 2');
  });

  it('does not fill placeholders found in the text', () => {
    expect(previewOf(last({ direction: 'out', author_kind: 'agent', text: 'Olá {text}' }), pt)).toBe('Agente: Olá {text}');
  });
});

describe('previewText', () => {
  it('collapses whitespace and keeps short texts whole', () => {
    expect(previewText('  Oi,\n\ttudo   bem? ')).toBe('Oi, tudo bem?');
    expect(previewText('')).toBeNull();
    expect(previewText(' \n ')).toBeNull();
    expect(previewText(null)).toBeNull();
    const exact = 'a'.repeat(PREVIEW_CHARS);
    expect(previewText(exact)).toBe(exact);
  });

  it('cuts at 139 characters, trimmed, with an ellipsis (as the server)', () => {
    expect(previewText('b'.repeat(200))).toBe(`${'b'.repeat(139)}…`);
    // A space at the cut is trimmed before the ellipsis.
    expect(previewText(`${'c'.repeat(138)} ${'d'.repeat(10)}`)).toBe(`${'c'.repeat(138)}…`);
  });

  it('counts characters, not UTF-16 units', () => {
    const cut = previewText('😀'.repeat(150));
    expect(cut).toBe(`${'😀'.repeat(139)}…`);
    expect(Array.from(cut ?? '').length).toBe(PREVIEW_CHARS);
  });
});

describe('lastMessageOf', () => {
  it('takes a new message as the last message, its text cut', () => {
    const m = msg('m1', { kind: 'image', text: `legenda\n${'x'.repeat(200)}`, direction: 'out', author_kind: 'agent' });
    const l = lastMessageOf(m);
    expect(l).toMatchObject({ kind: 'image', internal: false, direction: 'out', author_kind: 'agent' });
    expect(Array.from(l?.text ?? '').length).toBe(PREVIEW_CHARS);
    expect(l?.text?.startsWith('legenda x')).toBe(true);
    expect(lastMessageOf(msg('m2', { text: null }))?.text).toBeNull();
  });

  it('skips system lines', () => {
    expect(lastMessageOf(msg('s1', { author_kind: 'system', direction: 'out', text: 'Ana assumiu o atendimento.' }))).toBeNull();
  });
});
