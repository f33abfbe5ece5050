import { describe, expect, it } from 'vitest';
import {
  addStep,
  isWellFormed,
  contentOfKind,
  newStep,
  normalize,
  removeSteps,
  renameStep,
  setOptional,
  setPositions,
  setStart,
  setSuccessor,
  STEP_TYPES,
  SUCCESSORS,
  successors,
  targetOfKind,
  uniqueName,
  type FlowDocument,
  type Step,
} from './document';

/** The keys the server's parser knows, per step type (crates/flows/src/model.rs). */
const KNOWN_KEYS: Record<string, string[]> = {
  send: ['type', 'content', 'next'],
  ask: ['type', 'field', 'answer', 'retries', 'invalid_message', 'next', 'invalid'],
  condition: ['type', 'match', 'rules', 'then', 'else'],
  set: ['type', 'fields', 'tags', 'info', 'next'],
  http: ['type', 'method', 'url', 'headers', 'body', 'timeout_ms', 'map', 'next', 'error'],
  script: ['type', 'code', 'next', 'error'],
  jump: ['type', 'flow'],
  wait: ['type', 'seconds', 'next'],
  hours: ['type', 'open', 'closed', 'callback_field'],
  agents_online: ['type', 'department', 'yes', 'no'],
  open_attendance: ['type', 'target'],
};
const DOC_KEYS = ['schema', 'name', 'start', 'steps', 'layout'];

/** Every key of the document is one the format defines. */
function onlyKnownKeys(doc: FlowDocument): void {
  for (const k of Object.keys(doc)) expect(DOC_KEYS, `document key ${k}`).toContain(k);
  for (const [name, step] of Object.entries(doc.steps)) {
    for (const k of Object.keys(step)) expect(KNOWN_KEYS[step.type], `${name}.${k}`).toContain(k);
  }
  for (const p of Object.values(doc.layout ?? {})) expect(Object.keys(p).sort()).toEqual(['x', 'y']);
}

function welcome(): FlowDocument {
  return {
    schema: 1,
    name: 'Boas-vindas',
    start: 'menu',
    steps: {
      menu: {
        type: 'send',
        content: { kind: 'buttons', text: 'Olá, {nome}!', buttons: [{ id: 'vendas', title: 'Comprar' }] },
        next: 'escolha',
      },
      escolha: {
        type: 'ask',
        field: 'setor',
        answer: { kind: 'option', options: ['vendas', 'suporte'] },
        retries: 2,
        next: 'rota',
        invalid: 'humano',
      },
      rota: {
        type: 'condition',
        rules: [{ field: 'setor', op: 'equals', value: 'vendas' }],
        then: 'vendas',
        else: 'humano',
      },
      vendas: { type: 'open_attendance', target: { to: 'department', department: 'Vendas' } },
      humano: { type: 'open_attendance', target: { to: 'unassigned' } },
    },
  };
}

describe('flow document edits', () => {
  it('new steps of every type carry only the keys of their type', () => {
    const doc = { ...welcome(), steps: {} as Record<string, Step> };
    for (const type of STEP_TYPES) doc.steps[type] = newStep(type);
    onlyKnownKeys(doc);
    // Required successors are present (blank), optional ones absent.
    expect(doc.steps.condition).toMatchObject({ then: '', else: '' });
    expect('next' in (doc.steps.send as object)).toBe(false);
  });

  it('setSuccessor sets, replaces and unsets the key of the handle', () => {
    let doc = welcome();
    doc = setSuccessor(doc, 'rota', 'else', 'vendas');
    expect(doc.steps.rota).toMatchObject({ then: 'vendas', else: 'vendas' });
    doc = setSuccessor(doc, 'escolha', 'invalid', null);
    expect('invalid' in (doc.steps.escolha as object)).toBe(false);
    // A required key is blanked, not removed: the parser needs it.
    doc = setSuccessor(doc, 'rota', 'then', null);
    expect(doc.steps.rota).toMatchObject({ then: '' });
    // A key the type does not have changes nothing.
    const before = JSON.stringify(doc);
    expect(JSON.stringify(setSuccessor(doc, 'vendas', 'next', 'menu'))).toBe(before);
    expect(JSON.stringify(setSuccessor(doc, 'menu', 'then', 'vendas'))).toBe(before);
    onlyKnownKeys(doc);
  });

  it('does not change the document it was given', () => {
    const doc = welcome();
    const copy = JSON.stringify(doc);
    setSuccessor(doc, 'rota', 'else', 'vendas');
    removeSteps(doc, ['humano']);
    renameStep(doc, 'menu', 'inicio');
    setPositions(doc, { menu: { x: 1, y: 2 } });
    expect(JSON.stringify(doc)).toBe(copy);
  });

  it('removing a step removes every reference to it and its place', () => {
    let doc = setPositions(welcome(), { humano: { x: 10, y: 20 }, menu: { x: 0, y: 0 } });
    doc = removeSteps(doc, ['humano']);
    expect(doc.steps.humano).toBeUndefined();
    expect(doc.layout?.humano).toBeUndefined();
    expect('invalid' in (doc.steps.escolha as object)).toBe(false);
    expect(doc.steps.rota).toMatchObject({ then: 'vendas', else: '' });
    for (const step of Object.values(doc.steps)) {
      expect(successors(step).map((s) => s.target)).not.toContain('humano');
    }
    // Removing the start leaves it for the user to choose again.
    expect(removeSteps(doc, ['menu']).start).toBe('');
    onlyKnownKeys(doc);
  });

  it('renaming a step renames the references, the start and its place, keeping the order', () => {
    let doc = setPositions(welcome(), { menu: { x: 5, y: 6 } });
    doc = renameStep(doc, 'menu', 'inicio');
    expect(Object.keys(doc.steps)).toEqual(['inicio', 'escolha', 'rota', 'vendas', 'humano']);
    expect(doc.start).toBe('inicio');
    expect(doc.layout).toEqual({ inicio: { x: 5, y: 6 } });
    doc = renameStep(doc, 'humano', 'pessoa');
    expect(doc.steps.escolha).toMatchObject({ invalid: 'pessoa' });
    expect(doc.steps.rota).toMatchObject({ else: 'pessoa' });
    // Blank and taken names are refused.
    expect(renameStep(doc, 'pessoa', ' ')).toBe(doc);
    expect(renameStep(doc, 'pessoa', 'rota')).toBe(doc);
  });

  it('adds steps with unique names and a place; the first one becomes the start', () => {
    let doc: FlowDocument = { schema: 1, name: 'Novo', start: '', steps: {} };
    const a = uniqueName(doc, 'mensagem');
    doc = addStep(doc, a, newStep('send'), { x: 10.4, y: 20 });
    const b = uniqueName(doc, 'mensagem');
    doc = addStep(doc, b, newStep('send'), { x: 300, y: 20 });
    expect([a, b]).toEqual(['mensagem', 'mensagem_2']);
    expect(doc.start).toBe('mensagem');
    expect(doc.layout?.mensagem_2).toEqual({ x: 300, y: 20 });
    expect(setStart(doc, 'mensagem_2').start).toBe('mensagem_2');
    expect(setStart(doc, 'nada').start).toBe('mensagem');
    onlyKnownKeys(doc);
  });

  it('changing kinds keeps what was written and adds no foreign key', () => {
    const buttons = contentOfKind('buttons', { kind: 'text', text: 'Oi' });
    expect(buttons).toMatchObject({ kind: 'buttons', text: 'Oi' });
    expect(contentOfKind('text', buttons)).toEqual({ kind: 'text', text: 'Oi' });
    expect(Object.keys(contentOfKind('template', buttons)).sort()).toEqual(['kind', 'language', 'name']);
    expect(targetOfKind('random', { to: 'department', department: 'd1' })).toEqual({ to: 'random', department: 'd1' });
    expect(targetOfKind('agent', { to: 'department', department: 'd1' })).toEqual({ to: 'agent', agent: '' });
    expect(targetOfKind('unassigned', { to: 'agent', agent: 'a1' })).toEqual({ to: 'unassigned' });
  });

  it('setOptional removes emptied optional keys', () => {
    const step: Step = { type: 'ask', field: 'x', answer: { kind: 'text' }, invalid_message: 'Hein?' };
    setOptional(step, 'invalid_message', '');
    expect('invalid_message' in step).toBe(false);
    const set: Step = { type: 'set', fields: { a: '1' }, tags: ['vip'] };
    setOptional(set, 'tags', []);
    setOptional(set, 'fields', {});
    expect(set).toEqual({ type: 'set' });
  });

  it('normalize makes a broken draft drawable without inventing steps', () => {
    expect(normalize(null)).toEqual({ schema: 1, name: '', start: '', steps: {} });
    const doc = normalize({ schema: 1, name: 'X', start: 'a', steps: { a: { type: 'send' }, b: 3 }, layout: 'no' });
    expect(Object.keys(doc.steps)).toEqual(['a']);
    expect(doc.layout).toBeUndefined();
    const placed = normalize({ ...welcome(), layout: { menu: { x: 1, y: 2 }, rota: { x: 'a' }, vendas: 3 } });
    expect(placed.layout).toEqual({ menu: { x: 1, y: 2 } });
    // Keys the editor does not know are kept, for the server to point out.
    expect(normalize({ ...welcome(), proxima: 1 })).toHaveProperty('proxima', 1);
  });

  it('tells the steps whose form can be shown from broken ones', () => {
    for (const type of STEP_TYPES) expect(isWellFormed(newStep(type)), type).toBe(true);
    for (const step of Object.values(welcome().steps)) expect(isWellFormed(step)).toBe(true);
    const broken = [
      { type: 'send' },
      { type: 'send', content: { kind: 'x' } },
      { type: 'ask', field: 'a' },
      { type: 'condition', rules: 'a' },
      { type: 'wait', seconds: '5' },
      { type: 'nope' },
    ];
    for (const b of broken) expect(isWellFormed(b as unknown as Step), JSON.stringify(b)).toBe(false);
  });

  it('lists the successor keys of every type once', () => {
    for (const type of STEP_TYPES) {
      const keys = SUCCESSORS[type].map((s) => s.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const k of keys) expect(KNOWN_KEYS[type]).toContain(k);
    }
  });
});
