// The bot flow editor (FL-1, FL-2, FL-3): the admin creates a flow, builds
// it on the canvas — a message to the contact, then the chat handed to
// Suporte — saves and publishes it, makes it the demo WhatsApp inbox's
// entry flow with the bot on, all through the UI; then a new customer
// writes in: they get the bot's message, the chat lands in Suporte (Bruno
// sees it in "Chats abertos"), and the editor shows where the run stopped.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
const FLOW_NAME = `Robô E2E ${tag}`;
const GREETING = 'Olá do robô, {nome}!';
// A number none of the demo's simulated customers uses: a new contact.
const PHONE = '5511955501234';
const CUSTOMER = 'Joana Robô';
const INBOX = 'WhatsApp da Loja';

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
let flowId = '';
/** @type {{ id: string, name: string }} */
let suporte;
/** @type {string} */
let chatId;

/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => current, body);
/** @param {string} name */
const shot = (name) => saveShot(current, `flows-${name}`);

/** The canvas node of a step. @param {string} name */
const node = (name) => page.locator(`.svelte-flow__node[data-id="${name}"]`);
/** The panel of the selected step. */
const panel = () => page.getByRole('complementary', { name: /^Etapa / });

/** Selects a step by clicking its node, and waits for its panel. @param {string} name */
async function select(name) {
  await node(name).locator('.name').click();
  await page.getByRole('complementary', { name: `Etapa ${name}` }).waitFor();
}

/**
 * A node's box once the canvas has stopped moving (a new or picked step is
 * brought into view with a short animation).
 * @param {import('playwright-core').Locator} locator
 */
async function settledBox(locator) {
  let last = await locator.boundingBox();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const box = await locator.boundingBox();
    if (box && last && box.x === last.x && box.y === last.y && box.width === last.width) return box;
    last = box;
  }
  throw new Error('the canvas did not stop moving');
}

/**
 * Drags from a step's source handle (one per successor key) to another
 * step's target handle, as a person connects them.
 * @param {string} from @param {string} key @param {string} to
 */
async function connect(from, key, to) {
  const source = node(from).locator(`.svelte-flow__handle.source[data-handleid="${key}"]`);
  const target = node(to).locator('.svelte-flow__handle.target');
  const a = await settledBox(source);
  const b = await settledBox(target);
  assert.ok(a && b, 'handles not on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** @param {string} email */
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, locale: 'pt-BR' });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  await loginInBrowser(p, appUrl, email);
  await p.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return p;
}

describe('bot flow editor, from a draft to a customer served by the bot', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    const departments = await admin.call('GET', '/departments');
    suporte = departments.find((/** @type {any} */ d) => d.name === 'Suporte');
    assert.ok(suporte, 'the demo has no Suporte department');
    page = await signedIn(USERS.admin);
    current = page;
  });

  after(cleanup);

  step('"Fluxos" is in the admin menu', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Administração' }).click();
    await page
      .getByRole('navigation', { name: 'Páginas de administração' })
      .getByRole('link', { name: 'Fluxos' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Fluxos' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/flows');
    await page.getByRole('heading', { level: 2, name: 'Fluxo de entrada dos canais' }).waitFor();
  });

  step('creates a flow and opens it in the editor', async () => {
    await page.getByRole('button', { name: 'Novo fluxo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo fluxo' });
    await dialog.getByLabel('Nome do fluxo').fill(FLOW_NAME);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await page.getByRole('heading', { level: 1, name: FLOW_NAME }).waitFor();
    const path = new URL(page.url()).pathname;
    assert.match(path, /^\/admin\/flows\/[^/]+$/);
    flowId = path.split('/').pop() ?? '';
    // The starter draft: a greeting that hands over.
    await node('boas_vindas').waitFor();
    await node('atendimento').waitFor();
    await page.getByText('Rascunho', { exact: true }).waitFor();
  });

  step('builds a message that hands the chat to Suporte, on the canvas', async () => {
    // Away with the starter: one step from its panel, the other with the Delete key.
    await select('boas_vindas');
    await panel().getByRole('button', { name: 'Excluir etapa' }).click();
    await node('boas_vindas').waitFor({ state: 'detached' });
    await node('atendimento').locator('.name').click();
    await page.keyboard.press('Delete');
    await node('atendimento').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.svelte-flow__node').count(), 0);

    // A message: the first step of an empty flow becomes its start.
    await page.getByRole('button', { name: 'Adicionar etapa: Enviar mensagem' }).click();
    await page.getByRole('complementary', { name: 'Etapa mensagem' }).waitFor();
    await panel().getByLabel('Texto da mensagem').fill(GREETING);
    await node('mensagem').getByText(GREETING).waitFor();
    await node('mensagem').getByText('Início').waitFor();
    // Renamed: what other steps point at follows.
    await panel().getByLabel('Nome da etapa').fill('saudacao');
    await panel().getByRole('button', { name: 'Renomear' }).click();
    await page.getByRole('complementary', { name: 'Etapa saudacao' }).waitFor();

    // The handover: the queue of Suporte.
    await page.getByRole('button', { name: 'Adicionar etapa: Abrir atendimento' }).click();
    await page.getByRole('complementary', { name: 'Etapa atendimento' }).waitFor();
    // (A select inside its label: its name ends with the option shown.)
    await panel()
      .getByRole('combobox', { name: /^Passar o chat para/ })
      .selectOption({ label: 'Fila do departamento' });
    await panel()
      .getByRole('combobox', { name: /^Departamento/ })
      .selectOption({ label: 'Suporte' });
    await node('atendimento').getByText('Departamento Suporte').waitFor();
    // Dragged to the right of the message: its place is kept in the layout.
    const box = await settledBox(node('atendimento').locator('.head'));
    const from = await settledBox(node('saudacao'));
    assert.ok(box && from);
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width + 120, from.y + 20, { steps: 10 });
    await page.mouse.up();
    const to = await node('atendimento').boundingBox();
    assert.ok(to && to.x > from.x + from.width, 'the step was not dragged');

    // "próxima" of the message, dragged to the handover, links them.
    await connect('saudacao', 'next', 'atendimento');
    await page.locator('.svelte-flow__edge[data-id="next:saudacao"]').waitFor();
    await select('saudacao');
    assert.equal(
      await panel()
        .getByRole('combobox', { name: /^Em "próxima", ir para/ })
        .inputValue(),
      'atendimento',
    );

    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Rascunho salvo, sem problemas: pronto para publicar.' })
      .waitFor();
    await page.getByText('Nenhum problema: o fluxo pode ser publicado.').waitFor();
    await shot('editor');

    // What the server stored: the two steps and their places, nothing else.
    const saved = await admin.call('GET', `/flows/${flowId}`);
    assert.deepEqual(saved.problems, []);
    assert.equal(saved.draft.start, 'saudacao');
    assert.deepEqual(saved.draft.steps, {
      saudacao: { type: 'send', content: { kind: 'text', text: GREETING }, next: 'atendimento' },
      atendimento: { type: 'open_attendance', target: { to: 'department', department: suporte.id } },
    });
    assert.deepEqual(Object.keys(saved.draft.layout).sort(), ['atendimento', 'saudacao']);
    assert.deepEqual(Object.keys(saved.draft).sort(), ['layout', 'name', 'schema', 'start', 'steps']);
  });

  step('a broken draft shows its problems on the step; fixed, it publishes version 1', async () => {
    await select('saudacao');
    await panel().getByLabel('Texto da mensagem').fill('');
    await page.getByRole('button', { name: 'Publicar' }).click();
    await page.getByRole('alert').filter({ hasText: 'O fluxo não foi publicado: corrija 1 problema(s).' }).waitFor();
    await node('saudacao').getByText('1 problema(s)').waitFor();
    await page.getByRole('button', { name: 'etapa "saudacao"' }).waitFor();
    await shot('problems');

    await panel().getByLabel('Texto da mensagem').fill(GREETING);
    await page.getByRole('button', { name: 'Publicar' }).click();
    await page.getByRole('status').filter({ hasText: 'Versão 1 publicada' }).waitFor();
    await page.getByText('Publicado · versão 1').waitFor();
    const versions = await admin.call('GET', `/flows/${flowId}/versions`);
    assert.equal(versions[0]?.version, 1);
  });

  step('makes it the entry flow of the WhatsApp inbox and turns the bot on', async () => {
    await page.getByRole('link', { name: '← Fluxos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fluxos' }).waitFor();
    await page.getByLabel(`Fluxo de entrada de ${INBOX}`).selectOption({ label: FLOW_NAME });
    const row = page.locator(`tr[data-flow-id="${flowId}"]`);
    await row.getByRole('cell', { name: INBOX, exact: true }).waitFor();
    const bot = page.getByLabel(`Bot de atendimento ligado em ${INBOX}`);
    if (!(await bot.isChecked())) await bot.check();
    await page.locator('tr', { has: bot }).getByText('Ligado', { exact: true }).waitFor();
    await shot('list');

    const inbox = (await admin.call('GET', '/inboxes')).find((/** @type {any} */ i) => i.name === INBOX);
    assert.equal(inbox.chatbot_enabled, true);
    const flows = await admin.call('GET', '/flows');
    assert.deepEqual(flows.find((/** @type {any} */ f) => f.id === flowId).entry_of, [inbox.id]);
  });

  step('exports the flow as JSON, imports a copy and deletes it; the entry flow cannot be deleted', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Exportar ${FLOW_NAME}` }).click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(exported.name, FLOW_NAME);
    // Exported documents name departments, so they move between organizations.
    assert.deepEqual(exported.steps.atendimento.target, { to: 'department', department: 'Suporte' });

    const copy = `${FLOW_NAME} (cópia)`;
    await page.locator('input[type="file"]').setInputFiles({
      name: 'copia.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...exported, name: copy })),
    });
    await page
      .getByRole('status')
      .filter({ hasText: `Fluxo "${copy}" importado e publicado (versão 1).` })
      .waitFor();
    await page.getByRole('link', { name: copy, exact: true }).waitFor();

    await page.getByRole('button', { name: `Excluir ${copy}` }).click();
    const confirm = page.getByRole('dialog', { name: `Excluir ${copy}?` });
    await confirm.getByRole('button', { name: 'Excluir' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: copy, exact: true }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Excluir ${FLOW_NAME}` }).click();
    const refuse = page.getByRole('dialog', { name: `Excluir ${FLOW_NAME}?` });
    await refuse.getByRole('button', { name: 'Excluir' }).click();
    await refuse.getByRole('alert').filter({ hasText: 'fluxo de entrada' }).waitFor();
    await refuse.getByRole('button', { name: 'Cancelar' }).click();
    await page.getByRole('link', { name: FLOW_NAME, exact: true }).waitFor();
  });

  step("a new customer gets the bot's message and the chat goes to Suporte", async () => {
    await sendWhatsApp(atende.url, { from: PHONE, name: CUSTOMER, text: 'Oi, boa tarde!' });
    const conv = await eventually(async () => {
      const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(CUSTOMER)}&limit=20`);
      return list.items.find((/** @type {any} */ c) => c.contact?.name === CUSTOMER && c.department_id);
    }, 'the chat handed to a department');
    chatId = conv.id;
    assert.equal(conv.department_id, suporte.id);
    assert.equal(conv.attendance_open, true);
    assert.equal(conv.agent_id ?? null, null);
    const expected = `Olá do robô, ${CUSTOMER}!`;
    const messages = await eventually(async () => {
      const page = await admin.call('GET', `/conversations/${chatId}/messages`);
      const items = page.items ?? page;
      return items.some((/** @type {any} */ m) => m.direction === 'out' && m.text === expected) && items;
    }, "the bot's message in the chat");
    assert.ok(messages);
    // And it left through WhatsApp to the customer.
    await eventually(async () => {
      const sent = await atende.fakeMessages();
      return sent.some((m) => m.body?.to === PHONE && m.body?.text?.body === expected);
    }, "the bot's message at the fake WhatsApp");
  });

  step('Bruno (Suporte) finds the chat in "Chats abertos"', async () => {
    const bruno = await signedIn(USERS.bruno);
    current = bruno;
    await bruno.getByRole('tab', { name: /^Chats abertos/ }).click();
    const item = bruno.locator(`#chat-list .item[data-conversation-id="${chatId}"]`);
    await item.waitFor();
    await item.locator('.tag-department', { hasText: 'Suporte' }).waitFor();
    await shot('bruno-open');
    current = page;
  });

  step('the editor shows where the run stopped', async () => {
    await page.getByRole('button', { name: `Editar ${FLOW_NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: FLOW_NAME }).waitFor();
    await node('atendimento')
      .getByText(/\d+ pararam aqui/)
      .waitFor();
    const runs = await admin.call('GET', `/flows/${flowId}/runs`);
    const run = runs.find((/** @type {any} */ r) => r.conversation_id === chatId);
    assert.equal(run?.status, 'finished');
    assert.equal(run?.step, 'atendimento');
    await shot('runs');
  });
});
