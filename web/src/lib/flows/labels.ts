/**
 * The words of the flow editor: step types, successor keys, answer kinds…
 * in the UI language, and the one-line summary each node shows under its
 * name ("Olá, {nome}!", "Guarda em cpf · CPF ou CNPJ", "Departamento Suporte").
 */
import { t, type MessageKey } from '../i18n/index.svelte';
import type { StepRuns } from './graph';
import {
  isStepType,
  isWellFormed,
  type AnswerKind,
  type Content,
  type ContentKind,
  type MediaKind,
  type Op,
  type Step,
  type SuccessorKey,
  type TargetTo,
} from './document';

/** Names for the ids a flow holds (departments, agents); the ref itself when unknown. */
export interface RefNames {
  department(ref: string): string;
  agent(ref: string): string;
}

const same: RefNames = { department: (r) => r, agent: (r) => r };

export const typeLabel = (type: string) =>
  isStepType(type) ? t(`admin.flows.type.${type}` as MessageKey) : t('admin.flows.type.unknown');
export const keyLabel = (key: SuccessorKey) => t(`admin.flows.key.${key}` as MessageKey);
export const opLabel = (op: Op) => t(`admin.flows.op.${op}` as MessageKey);
export const answerLabel = (kind: AnswerKind) => t(`admin.flows.answer.${kind}` as MessageKey);
export const contentLabel = (kind: ContentKind) => t(`admin.flows.content.${kind}` as MessageKey);
export const mediaLabel = (kind: MediaKind) => t(`admin.flows.media.${kind}` as MessageKey);
export const targetLabel = (to: TargetTo) => t(`admin.flows.target.${to}` as MessageKey);

/** "45 s", "5 min", "2 h", "3 dias": the largest unit the value is a whole number of. */
export function durationLabel(seconds: number): string {
  if (seconds > 0 && seconds % 86_400 === 0) return t('admin.flows.duration.days', { n: seconds / 86_400 });
  if (seconds > 0 && seconds % 3_600 === 0) return t('admin.flows.duration.hours', { n: seconds / 3_600 });
  if (seconds > 0 && seconds % 60 === 0) return t('admin.flows.duration.minutes', { n: seconds / 60 });
  return t('admin.flows.duration.seconds', { n: seconds });
}

function contentSummary(c: Content): string {
  switch (c.kind) {
    case 'text':
      return c.text;
    case 'buttons':
      return `${c.text} [${(c.buttons ?? []).map((b) => b.title).join(' | ')}]`;
    case 'list':
      return c.text;
    case 'media':
      return `${mediaLabel(c.media)}: ${c.caption || c.url}`;
    case 'template':
      return t('admin.flows.summary.template', { name: c.name });
    default:
      return '';
  }
}

/** The line a node shows under its name: what the step sends, asks, checks or does. */
export function describeStep(step: Step, names: RefNames = same): string {
  // A broken step (a draft saved through the API) has no summary; its problems say why.
  if (!isWellFormed(step)) return '';
  switch (step.type) {
    case 'send':
      return step.content ? contentSummary(step.content) : '';
    case 'ask':
      return t('admin.flows.summary.ask', { field: step.field || '…', kind: answerLabel(step.answer?.kind ?? 'text') });
    case 'condition':
      return (step.rules ?? [])
        .map((r) => [r.field || '…', opLabel(r.op), r.op === 'empty' ? '' : `"${r.value ?? ''}"`].join(' ').trim())
        .join(step.match === 'any' ? t('admin.flows.summary.or') : t('admin.flows.summary.and'));
    case 'set': {
      const items = [
        ...Object.keys(step.fields ?? {}),
        ...(step.tags ?? []).map((tag) => `#${tag}`),
        ...Object.keys(step.info ?? {}),
      ];
      return t('admin.flows.summary.set', { items: items.join(', ') || '…' });
    }
    case 'http':
      return `${step.method} ${step.url}`;
    case 'script':
      return (
        (step.code ?? '')
          .split('\n')
          .find((l) => l.trim())
          ?.trim() ?? ''
      );
    case 'jump':
      return t('admin.flows.summary.jump', { flow: step.flow || '…' });
    case 'wait':
      return t('admin.flows.summary.wait', { duration: durationLabel(step.seconds) });
    case 'hours':
      return t('admin.flows.summary.hours');
    case 'agents_online':
      return step.department
        ? t('admin.flows.summary.agentsOnlineIn', { department: names.department(step.department) })
        : t('admin.flows.summary.agentsOnlineAny');
    case 'open_attendance': {
      const target = step.target;
      if (!target) return '';
      if (target.to === 'unassigned') return t('admin.flows.summary.unassigned');
      if (target.to === 'agent') return t('admin.flows.summary.agent', { name: names.agent(target.agent) || '…' });
      return t(`admin.flows.summary.${target.to}` as MessageKey, { name: names.department(target.department) || '…' });
    }
    default:
      return '';
  }
}

/** "3 aguardando · 5 pararam aqui · 1 com falha" (empty when no run is there). */
export function runsLine(runs: StepRuns | null): string {
  if (!runs) return '';
  const parts: string[] = [];
  if (runs.active) parts.push(t('admin.flows.runs.active', { n: runs.active }));
  if (runs.ended) parts.push(t('admin.flows.runs.ended', { n: runs.ended }));
  if (runs.failed) parts.push(t('admin.flows.runs.failed', { n: runs.failed }));
  return parts.join(' · ');
}
