import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/index.svelte';
import type { FlowRun } from './api';
import {
  appendRuns,
  nextBefore,
  runLabels,
  runMark,
  runOutcomeLabel,
  runsQuery,
  runStatusLabel,
  runTriggerLabel,
  runWaitingLabel,
} from './runs';

function run(id: string, over: Partial<FlowRun> = {}): FlowRun {
  return {
    id,
    flow_id: 'f1',
    version: 1,
    conversation_id: `conv-${id}`,
    contact_id: `contact-${id}`,
    contact_name: `Contato ${id}`,
    contact_phone: null,
    inbox_id: 'inbox-1',
    trigger: 'forward',
    status: 'active',
    step: 'pergunta',
    waiting: 'answer',
    steps: 2,
    trail: ['oi', 'pergunta'],
    fields: {},
    outcome: null,
    batch: null,
    client: null,
    campaign_id: null,
    started_at: `2026-03-10T10:0${id.length}:00.000Z`,
    finished_at: null,
    ...over,
  };
}

describe('the runs list pages (FL-3)', () => {
  it('asks for a status and, after the first page, the runs before the oldest shown', () => {
    expect(runsQuery('', null)).toEqual({ limit: 50 });
    expect(runsQuery('failed', '2026-03-10T10:00:00.000Z', 20)).toEqual({
      limit: 20,
      status: 'failed',
      before: '2026-03-10T10:00:00.000Z',
    });
  });

  it('has a next page only after a full one', () => {
    const page = [run('a', { started_at: '2026-03-10T10:02:00.000Z' }), run('b', { started_at: '2026-03-10T10:01:00.000Z' })];
    expect(nextBefore(page, 2)).toBe('2026-03-10T10:01:00.000Z');
    expect(nextBefore(page, 3)).toBeNull();
    expect(nextBefore([], 2)).toBeNull();
  });

  it('appends a page without repeating a run', () => {
    const shown = [run('a'), run('b')];
    expect(appendRuns(shown, [run('b'), run('c')]).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('marks the step a run is at and the steps it went through', () => {
    expect(runMark(run('a'))).toEqual({ step: 'pergunta', trail: ['oi', 'pergunta'] });
    expect(runMark(run('a', { step: null, trail: [] }))).toEqual({ step: null, trail: [] });
    expect(runMark(null)).toBeNull();
  });
});

describe('run words (pt-BR)', () => {
  setLocale('pt-BR');

  it('names statuses, triggers and outcomes, and keeps unknown ones and errors as written', () => {
    expect(runStatusLabel('failed')).toBe('Com falha');
    expect(runStatusLabel('paused')).toBe('paused');
    expect(runTriggerLabel('after_close')).toBe('Após o encerramento');
    expect(runTriggerLabel('forward')).toBe('Encaminhada por agente');
    expect(runOutcomeLabel('handover')).toBe('Passou o chat para a equipe');
    expect(runOutcomeLabel('http: tempo esgotado')).toBe('http: tempo esgotado');
    expect(runOutcomeLabel(null)).toBe('');
  });

  it('says what an active run waits for', () => {
    expect(runWaitingLabel({ status: 'active', waiting: 'answer' })).toBe('Aguardando a resposta do contato');
    expect(runWaitingLabel({ status: 'finished', waiting: 'answer' })).toBe('');
    expect(runWaitingLabel({ status: 'active', waiting: null })).toBe('');
  });

  it('lists the batch, client and campaign that are set', () => {
    const name = (id: string) => (id === 'k1' ? 'Black Friday' : id);
    expect(runLabels(run('a', { batch: 'L7', client: 'ACME', campaign_id: 'k1' }), name)).toEqual([
      'Lote L7',
      'Cliente ACME',
      'Campanha Black Friday',
    ]);
    expect(runLabels(run('a'), name)).toEqual([]);
  });
});
