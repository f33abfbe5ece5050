import { describe, expect, it } from 'vitest';
import { excerpt, isSearchable, splitMatches } from './highlight';

const marked = (text: string, q: string) =>
  splitMatches(text, q)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('splitMatches', () => {
  it('marks every match, ignoring case, keeping the original text', () => {
    expect(marked('Pedido 123 e PEDIDO 456', 'pedido')).toBe('[Pedido] 123 e [PEDIDO] 456');
    expect(marked('Boleto', 'BOL')).toBe('[Bol]eto');
    expect(splitMatches('abc', 'zz')).toEqual([{ text: 'abc', match: false }]);
  });

  it('ignores case in accented letters but not the accents (like the server)', () => {
    expect(marked('AÇÃO e ação', 'ação')).toBe('[AÇÃO] e [ação]');
    expect(marked('ação', 'acao')).toBe('ação');
    expect(marked('Não é nao', 'nÃo')).toBe('[Não] é nao');
  });

  it('searches the trimmed query, and never overlaps matches', () => {
    expect(marked('aaaa', ' aa ')).toBe('[aa][aa]');
    expect(marked('a b', '  ')).toBe('a b');
    expect(splitMatches('', 'x')).toEqual([]);
  });

  it('maps back characters whose lowercase is longer (İ)', () => {
    // "İ".toLowerCase() is two code units: the parts still cut the original text.
    const parts = splitMatches('İstanbul İzmir', 'zmir');
    expect(parts.map((p) => p.text).join('')).toBe('İstanbul İzmir');
    expect(marked('İstanbul İzmir', 'zmir')).toBe('İstanbul İ[zmir]');
    expect(marked('xİy', 'İy')).toBe('x[İy]');
  });

  it('keeps emoji whole', () => {
    expect(marked('oi 😀 tchau 😀', 'tchau')).toBe('oi 😀 [tchau] 😀');
  });
});

describe('isSearchable', () => {
  it('needs 2 characters after trimming', () => {
    expect(isSearchable('a')).toBe(false);
    expect(isSearchable(' a ')).toBe(false);
    expect(isSearchable('ab')).toBe(true);
    expect(isSearchable('😀😀')).toBe(true);
  });
});

describe('excerpt', () => {
  it('keeps short texts and cuts long ones around the first match', () => {
    expect(excerpt('curto', 'cu')).toBe('curto');
    const long = `${'a'.repeat(300)} segredo ${'b'.repeat(300)}`;
    const e = excerpt(long, 'segredo', 100);
    expect(e).toContain('segredo');
    expect(e.startsWith('…')).toBe(true);
    expect(e.endsWith('…')).toBe(true);
    expect(e.length).toBeLessThanOrEqual(102);
  });
});
