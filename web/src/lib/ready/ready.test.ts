import { describe, expect, it } from 'vitest';
import {
  applySuggestion,
  charCount,
  filterCategories,
  fold,
  insertAt,
  INTERNAL_PREFIX,
  type ReadyCategory,
  slashQuery,
  type Suggestion,
  suggest,
} from './ready';
import { ReadyStore } from './store.svelte';

const r = (id: string, category_id: string, title: string, text: string) => ({
  id,
  category_id,
  title,
  text,
  updated_at: '2026-03-10T10:00:00Z',
});

const CATEGORIES: ReadyCategory[] = [
  {
    id: 'c1',
    name: 'Saudações',
    responses: [r('r1', 'c1', 'Boas-vindas', 'Olá {nome}, tudo bem?'), r('r2', 'c1', 'Despedida', 'Até logo, {nome}!')],
  },
  {
    id: 'c2',
    name: 'Entrega',
    responses: [r('r3', 'c2', 'Prazo de entrega', 'Entregamos em até 5 dias úteis.'), r('r4', 'c2', 'Atenção', 'Confira o endereço.')],
  },
];

const titles = (s: Suggestion[]) => s.map((x) => (x.kind === 'internal' ? '/interna' : x.response.title));

describe('quick insert: the / query', () => {
  it('is the whole message after a leading slash, on one line', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/boas')).toBe('boas');
    expect(slashQuery('  /prazo de')).toBe('prazo de');
    expect(slashQuery('olá /boas')).toBeNull();
    expect(slashQuery('/boas\nmais')).toBeNull();
    expect(slashQuery('')).toBeNull();
    expect(slashQuery('/' + 'x'.repeat(61))).toBeNull();
  });

  it('ends once the /interna prefix is typed (the note is being written)', () => {
    expect(slashQuery('/interna')).toBe('interna');
    expect(slashQuery('/interna ')).toBeNull();
    expect(slashQuery('/interna ligar amanhã')).toBeNull();
  });
});

describe('quick insert: matching', () => {
  it('folds accents and case', () => {
    expect(fold('Atenção SAUDAÇÕES')).toBe('atencao saudacoes');
  });

  it('matches titles and category names, accent-insensitive, every word', () => {
    expect(titles(suggest(CATEGORIES, 'atencao', 'Mensagem interna'))).toEqual(['Atenção']);
    expect(titles(suggest(CATEGORIES, 'saudacoes', 'Mensagem interna'))).toEqual(['Boas-vindas', 'Despedida']);
    expect(titles(suggest(CATEGORIES, 'entrega prazo', 'Mensagem interna'))).toEqual(['Prazo de entrega']);
    expect(titles(suggest(CATEGORIES, 'nada disso', 'Mensagem interna'))).toEqual([]);
  });

  it('puts titles that start with the query first', () => {
    // "de" is in "Despedida" (start), "Prazo de entrega" (inside).
    expect(titles(suggest(CATEGORIES, 'de', 'Mensagem interna'))).toEqual(['Despedida', 'Prazo de entrega']);
  });

  it('offers "Mensagem interna" first when the query fits /interna or its name', () => {
    expect(titles(suggest(CATEGORIES, '', 'Mensagem interna'))).toEqual([
      '/interna',
      'Boas-vindas',
      'Despedida',
      'Prazo de entrega',
      'Atenção',
    ]);
    expect(titles(suggest(CATEGORIES, 'int', 'Mensagem interna'))[0]).toBe('/interna');
    expect(titles(suggest(CATEGORIES, 'mensagem', 'Mensagem interna'))).toEqual(['/interna']);
    expect(titles(suggest(CATEGORIES, 'internal', 'Internal message'))).toEqual(['/interna']);
    expect(titles(suggest(CATEGORIES, 'boas', 'Mensagem interna'))).toEqual(['Boas-vindas']);
  });
});

describe('quick insert: replacing the / query', () => {
  const [, welcome] = suggest(CATEGORIES, '', 'Mensagem interna');

  it('replaces the /query with the text, variables kept', () => {
    expect(welcome?.kind).toBe('response');
    if (!welcome) return;
    expect(applySuggestion('/boas', welcome)).toBe('Olá {nome}, tudo bem?');
    expect(applySuggestion('  /bo', welcome)).toBe('Olá {nome}, tudo bem?');
  });

  it('keeps /interna as the prefix', () => {
    expect(applySuggestion('/int', { kind: 'internal' })).toBe(INTERNAL_PREFIX);
    expect(INTERNAL_PREFIX).toBe('/interna ');
  });

  it('leaves a text that is no / query alone', () => {
    if (!welcome) return;
    expect(applySuggestion('olá /boas', welcome)).toBe('olá /boas');
  });

  it('the button inserts at the caret, or replaces a /query or an empty box', () => {
    expect(insertAt('Oi! ', 4, 4, 'Tudo bem?')).toEqual({ text: 'Oi! Tudo bem?', caret: 13 });
    expect(insertAt('Oi XX fim', 3, 5, 'Ana')).toEqual({ text: 'Oi Ana fim', caret: 6 });
    expect(insertAt('/boa', 4, 4, 'Olá')).toEqual({ text: 'Olá', caret: 3 });
    expect(insertAt('  ', 2, 2, 'Olá')).toEqual({ text: 'Olá', caret: 3 });
  });
});

describe('ready responses list', () => {
  it('filters by title, category or text; a matching category keeps all its responses', () => {
    expect(filterCategories(CATEGORIES, '').map((c) => c.responses.length)).toEqual([2, 2]);
    expect(filterCategories(CATEGORIES, 'endereco').map((c) => [c.name, c.responses.map((x) => x.title)])).toEqual([
      ['Entrega', ['Atenção']],
    ]);
    expect(filterCategories(CATEGORIES, 'saudacoes')[0]?.responses).toHaveLength(2);
    expect(filterCategories(CATEGORIES, 'zzz')).toEqual([]);
  });

  it('counts characters as the server does (code points, trimmed)', () => {
    expect(charCount('  abc  ')).toBe(3);
    expect(charCount('👋 oi')).toBe(4);
  });

  it('loads once when needed and again on ready_responses.changed', async () => {
    let calls = 0;
    const store = new ReadyStore(async () => {
      calls++;
      return calls === 1 ? CATEGORIES : [];
    });
    store.changed();
    expect(calls, 'nobody needs them yet').toBe(0);
    store.ensure();
    store.ensure();
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toBe(1);
    expect(store.categories).toHaveLength(2);
    store.changed();
    await new Promise((res) => setTimeout(res, 0));
    expect(calls).toBe(2);
    expect(store.categories).toEqual([]);
    store.clear();
    expect(store.categories).toBeNull();
  });
});
