/**
 * The flow document as the canvas draws it: one node per step, one edge per
 * successor key, each edge leaving the node by the handle of its key (the
 * handle's id is the key: dragging from the "senão" handle sets `else`).
 * And back: what a connection or a deletion on the canvas does to the
 * document. Pure (no Svelte Flow import at run time) so it is unit-tested.
 */
import type { Edge, Node } from '@xyflow/svelte';
import {
  removeSteps,
  setSuccessor,
  SUCCESSOR_KEYS,
  successorKeys,
  successors,
  type FlowDocument,
  type Position,
  type Step,
  type SuccessorKey,
} from './document';

/** Where runs of the published version are at or ended at one step. */
export interface StepRuns {
  /** Waiting there. */
  active: number;
  /** Finished or stopped there. */
  ended: number;
  failed: number;
}

/** `GET /flows/{id}/steps` rows folded by step. */
export function foldRuns(rows: readonly { step: string; status: string; runs: number }[]): Map<string, StepRuns> {
  const out = new Map<string, StepRuns>();
  for (const r of rows) {
    const cur = out.get(r.step) ?? { active: 0, ended: 0, failed: 0 };
    if (r.status === 'active') cur.active += r.runs;
    else if (r.status === 'failed') cur.failed += r.runs;
    else cur.ended += r.runs;
    out.set(r.step, cur);
  }
  return out;
}

export interface StepNodeData extends Record<string, unknown> {
  name: string;
  step: Step;
  start: boolean;
  /** The one-line summary shown under the name. */
  summary: string;
  /** One source handle per successor key of the step's type. */
  handles: { key: SuccessorKey; label: string; connected: boolean }[];
  /** The server's problems naming this step. */
  problems: string[];
  runs: StepRuns | null;
  /** The run picked in the runs list (FL-3): it is at (or stopped at) this step, or went through it. */
  run: 'here' | 'passed' | null;
}

export type StepNode = Node<StepNodeData, 'step'>;
export type StepEdge = Edge<{ key: SuccessorKey }>;

export const NODE_TYPE = 'step';
/** Where auto-placed steps go: columns by distance from the start. */
export const COLUMN = 340;
export const ROW = 170;

export interface GraphOptions {
  /** The summary line of a step (language-dependent, so the caller's). */
  describe?: (step: Step, name: string) => string;
  /** The label of a successor key ("próxima", "senão"…). */
  keyLabel?: (key: SuccessorKey) => string;
  problems?: ReadonlyMap<string, string[]>;
  runs?: ReadonlyMap<string, StepRuns> | null;
  /** The run picked in the runs list: its step and the steps it went through. */
  run?: { step: string | null; trail: readonly string[] } | null;
}

/** The edge of `source`'s successor `key` (one per key, so the pair names it). */
export function edgeId(source: string, key: SuccessorKey): string {
  return `${key}:${source}`;
}

/** The source step and key an edge id names, or null for another id. */
export function parseEdgeId(id: string): { source: string; key: SuccessorKey } | null {
  const i = id.indexOf(':');
  if (i < 0) return null;
  const key = id.slice(0, i);
  if (!(SUCCESSOR_KEYS as readonly string[]).includes(key)) return null;
  return { key: key as SuccessorKey, source: id.slice(i + 1) };
}

/**
 * Places every step the layout does not: breadth-first from the start, one
 * column per distance, steps the start does not reach in the columns after.
 */
export function autoLayout(doc: FlowDocument): Record<string, Position> {
  const depth = new Map<string, number>();
  const order: string[] = [];
  const visit = (root: string, d0: number) => {
    const queue: [string, number][] = [[root, d0]];
    while (queue.length) {
      const [name, d] = queue.shift() as [string, number];
      if (depth.has(name) || !(name in doc.steps)) continue;
      depth.set(name, d);
      order.push(name);
      const step = doc.steps[name];
      if (step) for (const s of successors(step)) queue.push([s.target, d + 1]);
    }
  };
  if (doc.start in doc.steps) visit(doc.start, 0);
  for (const name of Object.keys(doc.steps)) {
    if (!depth.has(name)) visit(name, Math.max(0, ...depth.values()) + (depth.size ? 1 : 0));
  }
  const rows = new Map<number, number>();
  const out: Record<string, Position> = {};
  for (const name of order) {
    const d = depth.get(name) ?? 0;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    out[name] = { x: d * COLUMN, y: row * ROW };
  }
  return out;
}

/** The document with a place for every step (auto-placed where it had none). */
export function fillLayout(doc: FlowDocument): FlowDocument {
  const layout = doc.layout ?? {};
  const missing = Object.keys(doc.steps).filter((name) => !layout[name]);
  if (missing.length === 0 && doc.layout) return doc;
  const auto = autoLayout(doc);
  const filled: Record<string, Position> = { ...layout };
  for (const name of missing) filled[name] = auto[name] ?? { x: 0, y: 0 };
  return { ...doc, layout: filled };
}

/** The nodes and edges of a document. */
export function toGraph(doc: FlowDocument, opts: GraphOptions = {}): { nodes: StepNode[]; edges: StepEdge[] } {
  const auto = Object.keys(doc.steps).some((n) => !doc.layout?.[n]) ? autoLayout(doc) : {};
  const keyLabel = opts.keyLabel ?? ((k: SuccessorKey) => k);
  const passed = new Set(opts.run?.trail ?? []);
  const runAt = (name: string): StepNodeData['run'] => {
    if (!opts.run) return null;
    if (opts.run.step === name) return 'here';
    return passed.has(name) ? 'passed' : null;
  };
  const nodes: StepNode[] = [];
  const edges: StepEdge[] = [];
  for (const [name, step] of Object.entries(doc.steps)) {
    const links = successors(step);
    const position = doc.layout?.[name] ?? auto[name] ?? { x: 0, y: 0 };
    nodes.push({
      id: name,
      type: NODE_TYPE,
      position: { x: position.x, y: position.y },
      data: {
        name,
        step,
        start: name === doc.start,
        summary: opts.describe?.(step, name) ?? '',
        handles: successorKeys(step).map(({ key }) => ({
          key,
          label: keyLabel(key),
          connected: links.some((l) => l.key === key && l.target in doc.steps),
        })),
        problems: opts.problems?.get(name) ?? [],
        runs: opts.runs?.get(name) ?? null,
        run: runAt(name),
      },
    });
    for (const { key, target } of links) {
      // A successor naming no step has no node to end at: validation says so.
      if (!(target in doc.steps)) continue;
      edges.push({
        id: edgeId(name, key),
        source: name,
        sourceHandle: key,
        target,
        label: keyLabel(key),
        data: { key },
      });
    }
  }
  return { nodes, edges };
}

/** What a connection drawn on the canvas sets: the successor of its handle's key. */
export function applyConnection(
  doc: FlowDocument,
  c: { source: string; sourceHandle?: string | null; target: string },
): FlowDocument {
  const key = c.sourceHandle;
  if (!key || !(SUCCESSOR_KEYS as readonly string[]).includes(key)) return doc;
  return setSuccessor(doc, c.source, key as SuccessorKey, c.target);
}

/** What deleting nodes and edges on the canvas does: steps go, edges unset their key. */
export function applyDeletion(doc: FlowDocument, nodeIds: string[], edgeIds: string[]): FlowDocument {
  let out = nodeIds.length ? removeSteps(doc, nodeIds) : doc;
  for (const id of edgeIds) {
    const e = parseEdgeId(id);
    if (e && e.source in out.steps) out = setSuccessor(out, e.source, e.key, null);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The new nodes, reusing the canvas's objects where nothing changed and
 * keeping what the canvas measured and selected: a node object Svelte Flow
 * has not seen is measured again, and its handles with it.
 */
export function mergeNodes(prev: readonly StepNode[], next: readonly StepNode[]): StepNode[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    const p = byId.get(n.id);
    if (!p) return n;
    if (same(p.data, n.data) && p.position.x === n.position.x && p.position.y === n.position.y) return p;
    return { ...p, data: n.data, position: n.position };
  });
}

/** The new edges, keeping the canvas's selection of the ones still there. */
export function mergeEdges(prev: readonly StepEdge[], next: readonly StepEdge[]): StepEdge[] {
  const byId = new Map(prev.map((e) => [e.id, e]));
  return next.map((e) => {
    const p = byId.get(e.id);
    if (!p) return e;
    if (p.target === e.target && p.label === e.label) return p;
    return { ...e, selected: p.selected };
  });
}
