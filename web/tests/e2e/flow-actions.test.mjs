// What the chat does with bot flows, and the runs they leave (FL-3): an
// agent forwards an open chat to a published flow (LC-10, "Encaminhar para
// fluxo") and the bot asks the contact; another chat is closed choosing a
// "Fluxo após o encerramento" (LC-11) and the flow starts for its contact;
// the flow editor's "Execuções" lists both runs and marks a run's step on
// the canvas.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  eventually,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendWhatsApp,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const FLOW_NAME = `Pesquisa E2E ${tag}`;
const QUESTION = `Pesquisa ${tag}: de 1 a 5, como foi o atendimento?`;
// Numbers none of the demo's simulated customers uses: new contacts, new chats.
const FORWARDED = { phone: '5511955507001', name: `Carla Fluxo ${tag}` };
const BUSY = { phone: '5511955507002', name: `Diego Ocupado ${tag}` };
const CLOSED = { phone: '5511955507003', name: `Elisa Encerramento ${tag}` };
const FLOW_MARK = 'Automação em execução: um fluxo aguarda este contato';

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
let flowId = '';
/** @type {Record<string, string>} conversation ids by phone */
const chats = {};

/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => page, body);
/** @param {string} name */
const shot = (name) => saveShot(page, `flow-actions-${name}`);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const header = () => pane().locator('header');

/**
 * A new customer writes in; with the demo's bot off the chat goes to
 * "Chats abertos" with an attendance open. Returns the chat's id.
 * @param {{ phone: string, name: string }} who
 */
async function newChat(who) {
  await sendWhatsApp(atende.url, { from: who.phone, name: who.name, text: 'Olá, preciso de ajuda.' });
  const conv = await eventually(async () => {
    const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(who.name)}&limit=20`);
    return list.items.find((/** @type {any} */ c) => c.contact?.name === who.name && c.attendance_open);
  }, `the chat of ${who.name}`);
  chats[who.phone] = conv.id;
  return conv.id;
}

/** @param {string} id */
async function openChat(id) {
  await page.goto(`${appUrl}?chat=${id}`);
  await pane().locator('h2').waitFor();
}

/** The runs of the flow for a chat. @param {string} conversationId */
async function runsOf(conversationId) {
  const runs = await admin.call('GET', `/flows/${flowId}/runs`);
  return runs.filter((/** @type {any} */ r) => r.conversation_id === conversationId);
}

describe('forward to a flow, a flow after closing, and the runs list', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 2 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    // A survey: asks for a grade, thanks for it. Created and published through the API.
    const created = await admin.call('POST', '/flows', {
      name: FLOW_NAME,
      draft: {
        schema: 1,
        name: FLOW_NAME,
        start: 'pesquisa',
        steps: {
          pesquisa: { type: 'send', content: { kind: 'text', text: QUESTION }, next: 'nota' },
          nota: { type: 'ask', field: 'nota', answer: { kind: 'number', min: 1, max: 5 }, next: 'obrigado' },
          obrigado: { type: 'send', content: { kind: 'text', text: 'Obrigado pela nota {nota}!' } },
        },
      },
    });
    flowId = created.id;
    await admin.call('POST', `/flows/${flowId}/publish`);
    // A draft-only flow is not offered.
    await admin.call('POST', '/flows', { name: `Rascunho ${tag}` });
    await newChat(FORWARDED);
    await newChat(BUSY);
    await newChat(CLOSED);

    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'pt-BR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  });

  after(cleanup);

  step('"Encaminhar" offers the published flows', async () => {
    await openChat(chats[FORWARDED.phone] ?? '');
    await header().getByRole('button', { name: 'Encaminhar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Encaminhar conversa' });
    const group = dialog.getByRole('group', { name: 'Encaminhar para fluxo' });
    await group.getByRole('radio', { name: new RegExp(`^${FLOW_NAME}`) }).waitFor();
    await group.getByText('O atendimento é encerrado e o fluxo começa para o contato.').waitFor();
    assert.equal(await group.getByRole('radio', { name: new RegExp(`^Rascunho ${tag}`) }).count(), 0);
    await shot('forward-dialog');
  });

  step('forwards the chat to the flow: the attendance ends and the bot asks the contact', async () => {
    const dialog = page.getByRole('dialog', { name: 'Encaminhar conversa' });
    await dialog.getByRole('radio', { name: new RegExp(`^${FLOW_NAME}`) }).check();
    await dialog.getByRole('button', { name: 'Encaminhar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await header().getByText('Sem atendimento aberto').waitFor();
    await header().getByRole('img', { name: FLOW_MARK }).waitFor();
    await pane().getByText(QUESTION).waitFor();
    await pane()
      .getByText(new RegExp(`encaminhou a conversa para o fluxo ${FLOW_NAME}\\.`))
      .first()
      .waitFor();
    await shot('forwarded');

    const id = chats[FORWARDED.phone] ?? '';
    const [run] = await runsOf(id);
    assert.equal(run?.trigger, 'forward');
    assert.equal(run?.status, 'active');
    assert.equal(run?.step, 'nota');
    const conv = await admin.call('GET', `/conversations/${id}`);
    assert.equal(conv.attendance_open, false);
    assert.equal(conv.flow_running, true);
  });

  step("the contact's answer ends the run and the automation mark goes away", async () => {
    await sendWhatsApp(atende.url, { from: FORWARDED.phone, name: FORWARDED.name, text: '5' });
    await pane().getByText('Obrigado pela nota 5!').waitFor();
    await header().getByRole('img', { name: FLOW_MARK }).waitFor({ state: 'detached' });
    const [run] = await runsOf(chats[FORWARDED.phone] ?? '');
    assert.equal(run?.status, 'finished');
    assert.deepEqual(run?.fields, { nota: '5' });
  });

  step('a forward the server refuses says why', async () => {
    const id = chats[BUSY.phone] ?? '';
    await openChat(id);
    await header().getByRole('button', { name: 'Encaminhar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Encaminhar conversa' });
    await dialog.getByRole('radio', { name: new RegExp(`^${FLOW_NAME}`) }).check();
    // Meanwhile a colleague put the contact in the flow: a second run is refused.
    await admin.call('POST', `/conversations/${id}/flow`, { flow_id: flowId });
    await dialog.getByRole('button', { name: 'Encaminhar', exact: true }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Não foi possível encaminhar para o fluxo: Este contato já está em um fluxo nesta caixa de entrada.' })
      .waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('closes a chat with a flow after the closing: the flow starts for the contact', async () => {
    const id = chats[CLOSED.phone] ?? '';
    await openChat(id);
    await header().getByRole('button', { name: 'Encerrar atendimento' }).click();
    const dialog = page.getByRole('dialog', { name: 'Encerrar atendimento' });
    const select = dialog.getByLabel('Fluxo após o encerramento');
    await select.locator('option', { hasText: FLOW_NAME }).waitFor({ state: 'attached' });
    assert.equal(await select.inputValue(), '', 'no flow by default');
    assert.equal(await select.locator('option', { hasText: `Rascunho ${tag}` }).count(), 0);
    await select.selectOption({ label: FLOW_NAME });
    await dialog.getByText('Começa para o contato quando o atendimento é encerrado').waitFor();
    await shot('close-dialog');
    await dialog.getByRole('button', { name: 'Encerrar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await header().getByText('Sem atendimento aberto').waitFor();
    await header().getByRole('img', { name: FLOW_MARK }).waitFor();
    await pane().getByText(QUESTION).waitFor();

    const [run] = await eventually(async () => {
      const runs = await runsOf(id);
      return runs.length > 0 && runs;
    }, 'the after-closing run');
    assert.equal(run.trigger, 'after_close');
    assert.equal(run.status, 'active');
    assert.equal(run.step, 'nota');
  });

  step('the editor lists the runs and marks the picked run\'s step on the canvas', async () => {
    await page.goto(`${appUrl}admin/flows/${flowId}`);
    await page.getByRole('heading', { level: 1, name: FLOW_NAME }).waitFor();
    const toggle = page.getByRole('button', { name: 'Execuções', exact: true });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const panel = page.getByRole('region', { name: 'Execuções' });
    const rows = panel.locator('tbody tr[data-run-id]');
    // Three runs: the forwarded chat's, the busy contact's, the after-closing one.
    await eventually(async () => (await rows.count()) === 3, 'three runs listed');
    const forwarded = rows.filter({ hasText: FORWARDED.name });
    await forwarded.getByText('Encaminhada por agente').waitFor();
    await forwarded.getByText('Concluída').waitFor();
    await forwarded.getByText('Chegou ao fim').waitFor();
    const closed = rows.filter({ hasText: CLOSED.name });
    await closed.getByText('Após o encerramento').waitFor();
    await closed.getByText('Em andamento').waitFor();
    await closed.getByText('Aguardando a resposta do contato').waitFor();

    // Picking the after-closing run marks "nota", where it waits, and the step it came through.
    await closed.getByRole('button', { name: new RegExp(`^Mostrar no fluxo a execução de ${CLOSED.name}`) }).click();
    const node = (/** @type {string} */ name) => page.locator(`.svelte-flow__node[data-id="${name}"] .step`);
    await page.locator('.svelte-flow__node[data-id="nota"] .step[data-run="here"]').waitFor();
    await node('nota').getByText('Execução selecionada aqui').waitFor();
    assert.equal(await node('pesquisa').getAttribute('data-run'), 'passed');
    assert.equal(await node('obrigado').getAttribute('data-run'), null);
    await panel.getByText('pesquisa → nota').waitFor();
    // (The canvas brings the step into view with a short animation.)
    await page.waitForTimeout(400);
    await shot('runs');

    // The finished run: its path and the answer it stored.
    await forwarded.getByRole('button', { name: new RegExp(`^Mostrar no fluxo a execução de ${FORWARDED.name}`) }).click();
    await page.locator('.svelte-flow__node[data-id="obrigado"] .step[data-run="here"]').waitFor();
    await panel.locator('tr.detail').getByText('nota', { exact: true }).waitFor();
    await panel.locator('tr.detail dd', { hasText: '5' }).waitFor();

    // Filtered by status: only the runs waiting.
    await panel.getByLabel('Situação').selectOption({ label: 'Em andamento' });
    await eventually(async () => (await rows.count()) === 2, 'the two active runs');
    assert.equal(await rows.filter({ hasText: FORWARDED.name }).count(), 0);
    // The picked run is no longer listed: nothing is marked.
    await page.locator('.step[data-run="here"]').waitFor({ state: 'detached' });
  });
});
