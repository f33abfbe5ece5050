/**
 * The bot flow document (docs/flows.md, schema 1) as the editor reads and
 * writes it, and the edits the editor makes to it. Every edit is a pure
 * function: it takes a plain document (a `$state.snapshot`) and returns a
 * new one, so the canvas and the tests see the same rules.
 *
 * The server refuses unknown keys, so nothing here writes a key the format
 * does not define; optional keys that become empty are removed rather than
 * left blank.
 */

export const SCHEMA_VERSION = 1;

export const STEP_TYPES = [
  'send',
  'ask',
  'condition',
  'set',
  'http',
  'script',
  'jump',
  'wait',
  'hours',
  'agents_online',
  'open_attendance',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

/**
 * The name a new step of each type gets (then `_2`, `_3`…). Names are data
 * the document keeps (what steps point at, what the runs report), so they
 * are fixed words, not the UI language's.
 */
export const STEP_BASE_NAMES: Record<StepType, string> = {
  send: 'mensagem',
  ask: 'pergunta',
  condition: 'condicao',
  set: 'definir',
  http: 'chamada_http',
  script: 'codigo',
  jump: 'outro_fluxo',
  wait: 'espera',
  hours: 'horario',
  agents_online: 'agentes_online',
  open_attendance: 'atendimento',
};

/** Every key a step points at another step with. */
export const SUCCESSOR_KEYS = ['next', 'invalid', 'error', 'then', 'else', 'open', 'closed', 'yes', 'no'] as const;
export type SuccessorKey = (typeof SUCCESSOR_KEYS)[number];

/**
 * The successor keys of each type, in the order the node lists its
 * handles. Required keys must be present in the document (the server's
 * parser refuses a `condition` without `else`): unset, they are `""`,
 * which validation reports as a step that points nowhere. Optional ones
 * are absent when unset (the run ends there).
 */
export const SUCCESSORS: Record<StepType, readonly { key: SuccessorKey; required: boolean }[]> = {
  send: [{ key: 'next', required: false }],
  ask: [
    { key: 'next', required: false },
    { key: 'invalid', required: false },
  ],
  condition: [
    { key: 'then', required: true },
    { key: 'else', required: true },
  ],
  set: [{ key: 'next', required: false }],
  http: [
    { key: 'next', required: false },
    { key: 'error', required: false },
  ],
  script: [
    { key: 'next', required: false },
    { key: 'error', required: false },
  ],
  jump: [],
  wait: [{ key: 'next', required: false }],
  hours: [
    { key: 'open', required: true },
    { key: 'closed', required: true },
  ],
  agents_online: [
    { key: 'yes', required: true },
    { key: 'no', required: true },
  ],
  open_attendance: [],
};

export interface Choice {
  id: string;
  title: string;
  description?: string;
}

export interface Section {
  title: string;
  rows: Choice[];
}

export const MEDIA_KINDS = ['image', 'audio', 'video', 'document'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export type Content =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaKind; url: string; caption?: string }
  | { kind: 'buttons'; text: string; buttons: Choice[] }
  | { kind: 'list'; text: string; button: string; sections: Section[] }
  | { kind: 'template'; name: string; language: string; params?: string[] };
export type ContentKind = Content['kind'];
export const CONTENT_KINDS: readonly ContentKind[] = ['text', 'buttons', 'list', 'media', 'template'];

export type Answer =
  | { kind: 'text' }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'email' }
  | { kind: 'phone' }
  | { kind: 'document' }
  | { kind: 'date' }
  | { kind: 'option'; options: string[] };
export type AnswerKind = Answer['kind'];
export const ANSWER_KINDS: readonly AnswerKind[] = ['text', 'number', 'email', 'phone', 'document', 'date', 'option'];

export const OPS = ['equals', 'contains', 'starts_with', 'regex', 'greater', 'less', 'empty'] as const;
export type Op = (typeof OPS)[number];

export interface Rule {
  field: string;
  op: Op;
  value?: string;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const TARGETS = ['department', 'agent', 'random', 'last_agent', 'sequence', 'unassigned'] as const;
export type TargetTo = (typeof TARGETS)[number];

export type Target =
  | { to: 'department' | 'random' | 'last_agent' | 'sequence'; department: string }
  | { to: 'agent'; agent: string }
  | { to: 'unassigned' };

export type SendStep = { type: 'send'; content: Content; next?: string };
export type AskStep = {
  type: 'ask';
  field: string;
  answer: Answer;
  retries?: number;
  invalid_message?: string;
  next?: string;
  invalid?: string;
};
export type ConditionStep = { type: 'condition'; match?: 'all' | 'any'; rules: Rule[]; then: string; else: string };
export type SetStep = {
  type: 'set';
  fields?: Record<string, string>;
  tags?: string[];
  info?: Record<string, string>;
  next?: string;
};
export type HttpStep = {
  type: 'http';
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeout_ms?: number;
  map?: Record<string, string>;
  next?: string;
  error?: string;
};
export type ScriptStep = { type: 'script'; code: string; next?: string; error?: string };
export type JumpStep = { type: 'jump'; flow: string };
export type WaitStep = { type: 'wait'; seconds: number; next?: string };
/** `callback_field`: the field where the flow stores whether a contact out of hours wants a callback (LC-21). */
export type HoursStep = { type: 'hours'; open: string; closed: string; callback_field?: string };
export type AgentsOnlineStep = { type: 'agents_online'; department?: string; yes: string; no: string };
export type OpenAttendanceStep = { type: 'open_attendance'; target: Target };

export type Step =
  | SendStep
  | AskStep
  | ConditionStep
  | SetStep
  | HttpStep
  | ScriptStep
  | JumpStep
  | WaitStep
  | HoursStep
  | AgentsOnlineStep
  | OpenAttendanceStep;

export interface Position {
  x: number;
  y: number;
}

export interface FlowDocument {
  schema: number;
  name: string;
  start: string;
  steps: Record<string, Step>;
  /** Where the editor draws each step (no meaning to the run). */
  layout?: Record<string, Position>;
}

const clone = <T>(v: T): T => structuredClone(v);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isStepType(v: unknown): v is StepType {
  return typeof v === 'string' && (STEP_TYPES as readonly string[]).includes(v);
}

/**
 * A draft as the server gave it, made safe to draw: a draft is saved even
 * when broken, so `steps` may be missing or hold anything. Only the keys the
 * editor needs are filled in (`steps`, `start`, `name`, `schema`); steps
 * and their keys are kept as they are, unknown ones included, for the
 * server to point them out.
 */
export function normalize(draft: unknown): FlowDocument {
  const d = isObject(draft) ? clone(draft) : {};
  const steps = isObject(d.steps) ? (d.steps as Record<string, Step>) : {};
  for (const [name, s] of Object.entries(steps)) {
    if (!isObject(s)) delete steps[name];
  }
  const doc = {
    ...d,
    schema: typeof d.schema === 'number' ? d.schema : SCHEMA_VERSION,
    name: typeof d.name === 'string' ? d.name : '',
    start: typeof d.start === 'string' ? d.start : '',
    steps,
  } as FlowDocument;
  if (d.layout !== undefined && !isObject(d.layout)) delete doc.layout;
  // A place that is not two numbers is forgotten: the step is placed again.
  for (const [name, p] of Object.entries(doc.layout ?? {})) {
    if (!isObject(p) || typeof p.x !== 'number' || typeof p.y !== 'number') delete doc.layout?.[name];
  }
  return doc;
}

const isString = (v: unknown) => typeof v === 'string';
const isArray = (v: unknown) => Array.isArray(v);

/**
 * Whether a step has the shape its type's form edits (the objects and
 * lists it needs, of the right kinds). A draft saved through the API may
 * hold anything; a step that is not well formed is drawn but not put in a
 * form, and the server's problems say what is wrong.
 */
export function isWellFormed(step: Step): boolean {
  const s = step as unknown as Record<string, unknown>;
  const obj = (v: unknown): Record<string, unknown> | null => (isObject(v) ? v : null);
  switch (step.type) {
    case 'send': {
      const c = obj(s.content);
      if (!c) return false;
      switch (c.kind) {
        case 'text':
          return isString(c.text);
        case 'media':
          return isString(c.media) && isString(c.url);
        case 'buttons':
          return isString(c.text) && isArray(c.buttons) && (c.buttons as unknown[]).every(isObject);
        case 'list':
          return (
            isString(c.text) &&
            isString(c.button) &&
            isArray(c.sections) &&
            (c.sections as unknown[]).every(
              (x) => isObject(x) && isArray(x.rows) && (x.rows as unknown[]).every(isObject),
            )
          );
        case 'template':
          return isString(c.name) && isString(c.language) && (c.params === undefined || isArray(c.params));
        default:
          return false;
      }
    }
    case 'ask': {
      const a = obj(s.answer);
      return isString(s.field) && !!a && (a.kind !== 'option' || isArray(a.options));
    }
    case 'condition':
      return isArray(s.rules) && (s.rules as unknown[]).every(isObject);
    case 'set':
      return (
        (s.fields === undefined || isObject(s.fields)) &&
        (s.tags === undefined || isArray(s.tags)) &&
        (s.info === undefined || isObject(s.info))
      );
    case 'http':
      return isString(s.method) && isString(s.url) && [s.headers, s.map].every((m) => m === undefined || isObject(m));
    case 'script':
      return isString(s.code);
    case 'jump':
      return isString(s.flow);
    case 'wait':
      return typeof s.seconds === 'number';
    case 'open_attendance':
      return !!obj(s.target) && isString(obj(s.target)?.to);
    case 'hours':
    case 'agents_online':
      return true;
    default:
      return false;
  }
}

/** The successor keys a step may have (none for an unknown type). */
export function successorKeys(step: Step): readonly { key: SuccessorKey; required: boolean }[] {
  return isStepType(step.type) ? SUCCESSORS[step.type] : [];
}

/** The steps a step points at, by key (unset keys left out). */
export function successors(step: Step): { key: SuccessorKey; target: string }[] {
  const out: { key: SuccessorKey; target: string }[] = [];
  const s = step as unknown as Record<string, unknown>;
  for (const { key } of successorKeys(step)) {
    const v = s[key];
    if (typeof v === 'string' && v !== '') out.push({ key, target: v });
  }
  return out;
}

/** A fresh step of `type`, with what the format requires (blank where the user must fill in). */
export function newStep(type: StepType): Step {
  switch (type) {
    case 'send':
      return { type, content: { kind: 'text', text: '' } };
    case 'ask':
      return { type, field: '', answer: { kind: 'text' } };
    case 'condition':
      return { type, rules: [{ field: '', op: 'equals', value: '' }], then: '', else: '' };
    case 'set':
      return { type, fields: {} };
    case 'http':
      return { type, method: 'GET', url: 'https://' };
    case 'script':
      return { type, code: '' };
    case 'jump':
      return { type, flow: '' };
    case 'wait':
      return { type, seconds: 60 };
    case 'hours':
      return { type, open: '', closed: '' };
    case 'agents_online':
      return { type, yes: '', no: '' };
    case 'open_attendance':
      return { type, target: { to: 'unassigned' } };
  }
}

/** The first name free in `doc` among `base`, `base_2`, `base_3`, … */
export function uniqueName(doc: FlowDocument, base: string): string {
  if (!(base in doc.steps)) return base;
  for (let n = 2; ; n++) {
    const name = `${base}_${n}`;
    if (!(name in doc.steps)) return name;
  }
}

/** Adds a step named `name` at `position`; the first step of a flow becomes its start. */
export function addStep(doc: FlowDocument, name: string, step: Step, position: Position): FlowDocument {
  const out = clone(doc);
  out.steps[name] = clone(step);
  out.layout = { ...(out.layout ?? {}), [name]: { x: position.x, y: position.y } };
  if (!out.start || !(out.start in doc.steps)) out.start = name;
  return out;
}

/**
 * Points `from`'s successor `key` at `to` (null or "": unset). A key the
 * step's type does not have is ignored: one handle per key, and only the
 * keys of its type have handles.
 */
export function setSuccessor(doc: FlowDocument, from: string, key: SuccessorKey, to: string | null): FlowDocument {
  const step = doc.steps[from];
  const spec = step && successorKeys(step).find((k) => k.key === key);
  if (!spec) return doc;
  const out = clone(doc);
  const s = out.steps[from] as unknown as Record<string, unknown>;
  if (to) s[key] = to;
  else if (spec.required) s[key] = '';
  else delete s[key];
  return out;
}

/** Unsets every successor key of `step` that points at one of `names`. */
function unlink(step: Step, names: Set<string>): void {
  const s = step as unknown as Record<string, unknown>;
  for (const { key, required } of successorKeys(step)) {
    const v = s[key];
    if (typeof v === 'string' && names.has(v)) {
      if (required) s[key] = '';
      else delete s[key];
    }
  }
}

/**
 * Removes steps, the references to them and their places on the canvas. A
 * removed start moves to nothing (`""`): validation asks for a new one.
 */
export function removeSteps(doc: FlowDocument, names: Iterable<string>): FlowDocument {
  const gone = new Set(names);
  const out = clone(doc);
  for (const name of gone) {
    delete out.steps[name];
    if (out.layout) delete out.layout[name];
  }
  for (const step of Object.values(out.steps)) unlink(step, gone);
  if (gone.has(out.start)) out.start = '';
  return out;
}

/** Why a step name is refused, or null when `name` may replace `old`. */
export function nameProblem(doc: FlowDocument, old: string | null, name: string): 'blank' | 'taken' | null {
  if (!name.trim()) return 'blank';
  if (name !== old && name in doc.steps) return 'taken';
  return null;
}

/**
 * Renames a step everywhere: its key (keeping the steps' order), the
 * successors pointing at it, `start` and `layout`. Refused names (blank,
 * taken) leave the document unchanged.
 */
export function renameStep(doc: FlowDocument, old: string, name: string): FlowDocument {
  if (!(old in doc.steps) || old === name || nameProblem(doc, old, name)) return doc;
  const out = clone(doc);
  out.steps = Object.fromEntries(Object.entries(out.steps).map(([k, v]) => [k === old ? name : k, v]));
  for (const step of Object.values(out.steps)) {
    const s = step as unknown as Record<string, unknown>;
    for (const { key } of successorKeys(step)) if (s[key] === old) s[key] = name;
  }
  if (out.start === old) out.start = name;
  if (out.layout && old in out.layout) {
    out.layout = Object.fromEntries(Object.entries(out.layout).map(([k, v]) => [k === old ? name : k, v]));
  }
  return out;
}

export function setStart(doc: FlowDocument, name: string): FlowDocument {
  if (!(name in doc.steps) || doc.start === name) return doc;
  return { ...clone(doc), start: name };
}

/** Stores where steps are drawn (rounded: the canvas has no use for fractions). */
export function setPositions(doc: FlowDocument, positions: Record<string, Position>): FlowDocument {
  const out = clone(doc);
  const layout = { ...(out.layout ?? {}) };
  for (const [name, p] of Object.entries(positions)) {
    if (name in out.steps) layout[name] = { x: Math.round(p.x), y: Math.round(p.y) };
  }
  out.layout = layout;
  return out;
}

/**
 * Sets `key` of `obj` to `value`, or removes it when `value` is empty (an
 * optional key of the format is absent rather than blank).
 */
export function setOptional<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined | null): void {
  const empty =
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0);
  if (empty) delete obj[key];
  else obj[key] = value;
}

/** The content of another kind, keeping the text the user already wrote. */
export function contentOfKind(kind: ContentKind, prev: Content): Content {
  const text = 'text' in prev ? prev.text : prev.kind === 'media' ? (prev.caption ?? '') : '';
  switch (kind) {
    case 'text':
      return { kind, text };
    case 'buttons':
      return { kind, text, buttons: [{ id: 'opcao_1', title: '' }] };
    case 'list':
      return { kind, text, button: '', sections: [{ title: '', rows: [{ id: 'item_1', title: '' }] }] };
    case 'media':
      return text
        ? { kind, media: 'image', url: 'https://', caption: text }
        : { kind, media: 'image', url: 'https://' };
    case 'template':
      return { kind, name: '', language: 'pt_BR' };
  }
}

export function answerOfKind(kind: AnswerKind): Answer {
  return kind === 'option' ? { kind, options: [] } : ({ kind } as Answer);
}

/** The target of another kind, keeping the department when both have one. */
export function targetOfKind(to: TargetTo, prev: Target): Target {
  if (to === 'unassigned') return { to };
  if (to === 'agent') return { to, agent: prev.to === 'agent' ? prev.agent : '' };
  return { to, department: 'department' in prev ? prev.department : '' };
}
