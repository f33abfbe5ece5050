/**
 * Message templates (CH-6): the placeholders `{{1}}`, `{{2}}`… (or named
 * `{{pedido}}`) in a template's header and body, the preview with the
 * agent's values filled in, and the `template` body to send.
 *
 * In the Cloud API the header and the body number their placeholders
 * separately (the header's `{{1}}` is not the body's `{{1}}`), so each part
 * gets its own inputs.
 */
import type { components } from '../../api/schema';

export type Template = components['schemas']['TemplateOut'];
export type TemplateSend = components['schemas']['TemplateSend'];

/** The parts of a template with text the agent may fill. */
export type Section = 'header' | 'body';

export interface TemplateVariable {
  section: Section;
  /** `1`, `2`… or a name (named parameters). */
  key: string;
}

/** What the preview shows: each part's text, and any non-text header. */
export interface TemplateParts {
  header: string | null;
  /** IMAGE, VIDEO, DOCUMENT or LOCATION when the header is not text. */
  headerMedia: string | null;
  body: string;
  footer: string | null;
}

/** Values the agent typed, by `variableId`. */
export type TemplateValues = Record<string, string>;

/** The kinds of file a template header may carry. */
export type HeaderFileKind = 'image' | 'video' | 'document';

/** The file chosen (and uploaded) for an image, video or document header. */
export interface HeaderFile {
  /** The upload's id (`POST /inboxes/{id}/media`). */
  id: string;
  filename: string;
  mime: string;
  size: number;
}

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** The id of a variable's input (`body.1`, `header.1`). */
export function variableId(v: TemplateVariable): string {
  return `${v.section}.${v.key}`;
}

/** Placeholders in `text`, once each, in order (numbers ascending first). */
export function placeholders(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1] ?? '');
  const keys = [...seen].filter(Boolean);
  const numeric = keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
  const named = keys.filter((k) => !/^\d+$/.test(k));
  return [...numeric, ...named];
}

function componentList(t: Pick<Template, 'components'>): Record<string, unknown>[] {
  const c: unknown = t.components;
  return Array.isArray(c) ? c.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}

function typeOf(c: Record<string, unknown>): string {
  return typeof c.type === 'string' ? c.type.toUpperCase() : '';
}

/** Header, body and footer of a template's components. */
export function templateParts(t: Pick<Template, 'components'>): TemplateParts {
  const parts: TemplateParts = { header: null, headerMedia: null, body: '', footer: null };
  for (const c of componentList(t)) {
    const text = typeof c.text === 'string' ? c.text : null;
    switch (typeOf(c)) {
      case 'HEADER': {
        const format = typeof c.format === 'string' ? c.format.toUpperCase() : 'TEXT';
        if (format === 'TEXT') parts.header = text;
        else parts.headerMedia = format;
        break;
      }
      case 'BODY':
        parts.body = text ?? '';
        break;
      case 'FOOTER':
        parts.footer = text;
        break;
    }
  }
  return parts;
}

/** The inputs a template needs: the header's placeholders, then the body's. */
export function templateVariables(t: Pick<Template, 'components'>): TemplateVariable[] {
  const p = templateParts(t);
  return [
    ...placeholders(p.header ?? '').map((key) => ({ section: 'header' as const, key })),
    ...placeholders(p.body).map((key) => ({ section: 'body' as const, key })),
  ];
}

/** `text` with each placeholder replaced by its value; empty ones stay `{{n}}`. */
export function fillText(text: string, values: (key: string) => string | undefined): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    const v = values(key.trim());
    return v !== undefined && v.trim() !== '' ? v : whole;
  });
}

/** The parts with the agent's values filled in (what the preview shows). */
export function renderPreview(t: Pick<Template, 'components'>, values: TemplateValues): TemplateParts {
  const p = templateParts(t);
  const of = (section: Section) => (key: string) => values[variableId({ section, key })];
  return {
    header: p.header === null ? null : fillText(p.header, of('header')),
    headerMedia: p.headerMedia,
    body: fillText(p.body, of('body')),
    footer: p.footer,
  };
}

/** The variables still without a value. */
export function missingVariables(t: Pick<Template, 'components'>, values: TemplateValues): TemplateVariable[] {
  return templateVariables(t).filter((v) => !(values[variableId(v)] ?? '').trim());
}

/** Only approved templates can be sent. */
export function isApproved(t: Pick<Template, 'status'>): boolean {
  return t.status.toUpperCase() === 'APPROVED';
}

/** The kind of file the template's header needs, or null. */
export function headerFileKind(t: Pick<Template, 'components'>): HeaderFileKind | null {
  switch (templateParts(t).headerMedia) {
    case 'IMAGE':
      return 'image';
    case 'VIDEO':
      return 'video';
    case 'DOCUMENT':
      return 'document';
    default:
      return null;
  }
}

/**
 * Whether this screen can send the template: approved, and its header is
 * text, a file or nothing (a location header needs coordinates the picker
 * does not ask for).
 */
export function isSendable(t: Pick<Template, 'status' | 'components'>): boolean {
  const media = templateParts(t).headerMedia;
  return isApproved(t) && (media === null || headerFileKind(t) !== null);
}

/** Ready to send: sendable, every variable has a value and a media header has its file. */
export function isComplete(
  t: Pick<Template, 'status' | 'components'>,
  values: TemplateValues,
  file: HeaderFile | null = null,
): boolean {
  return isSendable(t) && missingVariables(t, values).length === 0 && (headerFileKind(t) === null || file !== null);
}

/**
 * The `template` body of a send: the header's and the body's positional
 * values, named values, and a header file by its upload id. The server
 * builds the Cloud API components and fills `{nome}` and custom fields in
 * every value.
 */
export function templateSend(
  t: Pick<Template, 'name' | 'language' | 'components'>,
  values: TemplateValues,
  file: HeaderFile | null = null,
): TemplateSend {
  const value = (v: TemplateVariable) => (values[variableId(v)] ?? '').trim();
  const numeric = (v: TemplateVariable) => /^\d+$/.test(v.key);
  const vars = templateVariables(t);
  const send: TemplateSend = { name: t.name, language: t.language };
  const body = vars.filter((v) => v.section === 'body' && numeric(v)).map(value);
  const header = vars.filter((v) => v.section === 'header' && numeric(v)).map(value);
  const named = vars.filter((v) => !numeric(v));
  if (body.length > 0) send.variables = body;
  if (header.length > 0) send.header_variables = header;
  if (named.length > 0) send.named_variables = Object.fromEntries(named.map((v) => [v.key, value(v)]));
  const kind = headerFileKind(t);
  if (kind && file) {
    send.header_media = { id: file.id, ...(kind === 'document' ? { filename: file.filename } : {}) };
  }
  return send;
}

/** Case- and accent-insensitive search on the label and the preview. */
export function matchesSearch(t: Pick<Template, 'label' | 'name' | 'preview'>, search: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase();
  const q = norm(search.trim());
  if (!q) return true;
  return [t.label, t.name, t.preview].some((s) => norm(s).includes(q));
}

/** Approved (sendable) first, then by label. */
export function sortTemplates<T extends Pick<Template, 'label' | 'status' | 'components'>>(list: readonly T[]): T[] {
  return [...list].sort(
    (a, b) => Number(isSendable(b)) - Number(isSendable(a)) || a.label.localeCompare(b.label, 'pt-BR'),
  );
}
