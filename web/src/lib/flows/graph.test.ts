import { describe, expect, it } from 'vitest';
import { newStep, setPositions, type FlowDocument } from './document';
import {
  applyConnection,
  applyDeletion,
  autoLayout,
  COLUMN,
  edgeId,
  fillLayout,
  foldRuns,
  mergeEdges,
  mergeNodes,
  parseEdgeId,
  toGraph,
} from './graph';

function doc(): FlowDocument {
  return {
    schema: 1,
    name: 'Teste',
    start: 'oi',
    steps: {
      oi: { type: 'send', content: { kind: 'text', text: 'Olá!' }, next: 'cpf' },
      cpf: { type: 'ask', field: 'cpf', answer: { kind: 'document' }, next: 'rota', invalid: 'humano' },
      rota: { type: 'condition', rules: [{ field: 'cpf', op: 'empty' }], then: 'humano', else: 'fim' },
      fim: { type: 'open_attendance', target: { to: 'department', department: 'Suporte' } },
      humano: { type: 'open_attendance', target: { to: 'unassigned' } },
    },
  };
}

describe('document → graph', () => {
  it('draws one node per step and one labelled edge per successor, from the handle of its key', () => {
    const { nodes, edges } = toGraph(doc(), { keyLabel: (k) => `<${k}>`, describe: (s) => s.type });
    expect(nodes.map((n) => n.id)).toEqual(['oi', 'cpf', 'rota', 'fim', 'humano']);
    expect(nodes.find((n) => n.id === 'oi')?.data.start).toBe(true);
    expect(nodes.filter((n) => n.data.start)).toHaveLength(1);
    expect(nodes.find((n) => n.id === 'rota')?.data.summary).toBe('condition');
    expect(nodes.find((n) => n.id === 'rota')?.data.handles.map((h) => h.key)).toEqual(['then', 'else']);
    expect(nodes.find((n) => n.id === 'fim')?.data.handles).toEqual([]);
    expect(edges.map((e) => [e.source, e.sourceHandle, e.target, e.label])).toEqual([
      ['oi', 'next', 'cpf', '<next>'],
      ['cpf', 'next', 'rota', '<next>'],
      ['cpf', 'invalid', 'humano', '<invalid>'],
      ['rota', 'then', 'humano', '<then>'],
      ['rota', 'else', 'fim', '<else>'],
    ]);
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('draws no edge to a step that does not exist, and marks the handle unconnected', () => {
    const d = doc();
    d.steps.rota = { type: 'condition', rules: [], then: 'sumiu', else: '' };
    const { nodes, edges } = toGraph(d);
    expect(edges.filter((e) => e.source === 'rota')).toEqual([]);
    expect(nodes.find((n) => n.id === 'rota')?.data.handles.map((h) => h.connected)).toEqual([false, false]);
  });

  it('marks the steps the problems name and shows their runs', () => {
    const { nodes } = toGraph(doc(), {
      problems: new Map([['cpf', ['campo inválido']]]),
      runs: foldRuns([
        { step: 'cpf', status: 'active', runs: 3 },
        { step: 'fim', status: 'finished', runs: 5 },
        { step: 'fim', status: 'stopped', runs: 1 },
        { step: 'fim', status: 'failed', runs: 2 },
      ]),
    });
    expect(nodes.find((n) => n.id === 'cpf')?.data).toMatchObject({
      problems: ['campo inválido'],
      runs: { active: 3, ended: 0, failed: 0 },
    });
    expect(nodes.find((n) => n.id === 'fim')?.data.runs).toEqual({ active: 0, ended: 6, failed: 2 });
    expect(nodes.find((n) => n.id === 'oi')?.data).toMatchObject({ problems: [], runs: null });
  });

  it('marks where the picked run is and the steps it went through', () => {
    const { nodes } = toGraph(doc(), { run: { step: 'rota', trail: ['oi', 'cpf', 'rota'] } });
    const at = (id: string) => nodes.find((n) => n.id === id)?.data.run;
    expect([at('oi'), at('cpf'), at('rota'), at('fim'), at('humano')]).toEqual(['passed', 'passed', 'here', null, null]);
    expect(toGraph(doc()).nodes.every((n) => n.data.run === null)).toBe(true);
  });

  it('edge ids name their source and key', () => {
    expect(parseEdgeId(edgeId('a:b', 'else'))).toEqual({ source: 'a:b', key: 'else' });
    expect(parseEdgeId('xy')).toBeNull();
    expect(parseEdgeId('proxima:a')).toBeNull();
  });
});

describe('canvas → document', () => {
  it('a connection sets the key of the handle it was drawn from', () => {
    let d = applyConnection(doc(), { source: 'rota', sourceHandle: 'else', target: 'oi' });
    expect(d.steps.rota).toMatchObject({ then: 'humano', else: 'oi' });
    d = applyConnection(d, { source: 'cpf', sourceHandle: 'invalid', target: 'cpf' });
    expect(d.steps.cpf).toMatchObject({ next: 'rota', invalid: 'cpf' });
    // No handle, or a handle the type does not have: nothing changes.
    expect(applyConnection(d, { source: 'oi', sourceHandle: null, target: 'fim' })).toBe(d);
    expect(applyConnection(d, { source: 'fim', sourceHandle: 'next', target: 'oi' })).toBe(d);
    expect(toGraph(d).edges.find((e) => e.id === edgeId('rota', 'else'))?.target).toBe('oi');
  });

  it('deleting an edge unsets its key; deleting a node removes the references to it', () => {
    let d = applyDeletion(doc(), [], [edgeId('oi', 'next'), edgeId('rota', 'then')]);
    expect('next' in (d.steps.oi as object)).toBe(false);
    expect(d.steps.rota).toMatchObject({ then: '', else: 'fim' });
    d = applyDeletion(doc(), ['humano'], [edgeId('cpf', 'invalid'), edgeId('rota', 'then')]);
    expect(d.steps.humano).toBeUndefined();
    expect(toGraph(d).edges.some((e) => e.target === 'humano')).toBe(false);
    expect(Object.keys(d.steps.cpf as object)).not.toContain('invalid');
  });

  it('positions round-trip through the layout', () => {
    const moved = setPositions(doc(), { oi: { x: 12.6, y: -40.2 }, fim: { x: 600, y: 90 } });
    expect(moved.layout).toEqual({ oi: { x: 13, y: -40 }, fim: { x: 600, y: 90 } });
    const { nodes } = toGraph(moved);
    expect(nodes.find((n) => n.id === 'oi')?.position).toEqual({ x: 13, y: -40 });
    expect(nodes.find((n) => n.id === 'fim')?.position).toEqual({ x: 600, y: 90 });
    // Back from the nodes to the layout: the same document.
    const back = setPositions(moved, Object.fromEntries(nodes.map((n) => [n.id, n.position])));
    expect(back.layout?.oi).toEqual({ x: 13, y: -40 });
    expect(JSON.parse(JSON.stringify(back))).toEqual(back);
    // A layout entry is never written for a step that does not exist.
    expect(setPositions(moved, { nada: { x: 1, y: 1 } }).layout).not.toHaveProperty('nada');
  });

  it('places steps without a layout in columns by distance from the start', () => {
    const d = doc();
    d.steps.solta = newStep('wait');
    const auto = autoLayout(d);
    expect(auto.oi).toEqual({ x: 0, y: 0 });
    expect(auto.cpf).toEqual({ x: COLUMN, y: 0 });
    expect(auto.rota?.x).toBe(2 * COLUMN);
    expect(auto.humano?.x).toBe(2 * COLUMN);
    // Unreachable steps go after the reachable ones.
    expect(auto.solta?.x).toBeGreaterThan(2 * COLUMN);
    const filled = fillLayout(setPositions(d, { oi: { x: -500, y: 7 } }));
    expect(Object.keys(filled.layout ?? {}).sort()).toEqual(Object.keys(d.steps).sort());
    expect(filled.layout?.oi).toEqual({ x: -500, y: 7 });
  });

  it('merging keeps the canvas objects that did not change, and their measures', () => {
    const first = toGraph(doc());
    const measured = first.nodes.map((n) => ({ ...n, measured: { width: 200, height: 80 }, selected: n.id === 'oi' }));
    const d = doc();
    d.steps.oi = { type: 'send', content: { kind: 'text', text: 'Oi de novo' }, next: 'cpf' };
    const merged = mergeNodes(measured, toGraph(d).nodes);
    expect(merged[1]).toBe(measured[1]);
    expect(merged[0]).not.toBe(measured[0]);
    expect(merged[0]).toMatchObject({ measured: { width: 200, height: 80 }, selected: true });
    const edges = first.edges.map((e) => ({ ...e, selected: e.id === edgeId('rota', 'else') }));
    const moved = toGraph(applyConnection(d, { source: 'rota', sourceHandle: 'else', target: 'oi' })).edges;
    const mergedEdges = mergeEdges(edges, moved);
    expect(mergedEdges.find((e) => e.id === edgeId('rota', 'else'))).toMatchObject({ target: 'oi', selected: true });
    expect(mergedEdges[0]).toBe(edges[0]);
  });
});
