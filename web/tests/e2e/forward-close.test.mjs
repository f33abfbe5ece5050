// Forwarding a chat (LC-9) to a department and to agents, with the "Tem
// certeza que deseja alterar o agente?" confirmation, and closing the
// attendance now with the user's pre-filled closing message (LC-11).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  startAtende,
  startPreview,
  USERS,
  WEB_DIR,
  step as stepOn,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const CLOSING = `Obrigado pelo contato! Atendimento encerrado (${tag}).`;

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let chatId = '';

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const header = () => pane().locator('header');

/**
 * Opens "Encaminhar", picks the radio named `choice` and submits.
 * @param {string | RegExp} choice
 */
async function forwardTo(choice) {
  await header().getByRole('button', { name: 'Encaminhar', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Encaminhar conversa' });
  await dialog.waitFor();
  await dialog.getByRole('radio', typeof choice === 'string' ? { name: choice, exact: true } : { name: choice }).check();
  await dialog.getByRole('button', { name: 'Encaminhar', exact: true }).click();
  return dialog;
}

describe('forward and close', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    const appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    admin = await apiSession(atende.url, USERS.admin);
    await admin.call('PATCH', `/users/${admin.user.id}`, { default_closing_message: CLOSING });
    // Custom fields asked at closing (LC-11): one mandatory on the attendance, one on the contact.
    await admin.call('POST', '/custom-fields', {
      key: `motivo_${tag}`,
      label: `Motivo ${tag}`,
      field_type: 'option',
      target: 'attendance',
      options: ['Dúvida', 'Compra'],
      ask_at_closing: true,
      required_at_closing: true,
    });
    await admin.call('POST', '/custom-fields', {
      key: `cidade_${tag}`,
      label: `Cidade ${tag}`,
      field_type: 'text',
      target: 'contact',
      ask_at_closing: true,
    });
    const listed = await admin.call('GET', '/conversations?view=open&limit=200');
    const open = listed.items.find((/** @type {any} */ c) => c.attendance_open);
    assert.ok(open, 'no chat with an open attendance');
    chatId = open.id;
    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
    await page.goto(`${appUrl}?chat=${chatId}`);
    await pane().locator('h2', { hasText: open.contact.name }).waitFor();
  });

  after(cleanup);

  step('forwards the chat to a department', async () => {
    const dialog = await forwardTo('Suporte');
    await dialog.waitFor({ state: 'detached' });
    await header().locator('.tag-department', { hasText: 'Departamento: Suporte' }).waitFor();
    const departments = await admin.call('GET', '/departments');
    const support = departments.find((/** @type {any} */ d) => d.name === 'Suporte');
    const conv = await admin.call('GET', `/conversations/${chatId}`);
    assert.equal(conv.department_id, support.id);
  });

  step('forwards the chat to an agent', async () => {
    const before = await admin.call('GET', `/conversations/${chatId}`);
    const dialog = await forwardTo(/^Ana \(Vendas\)/);
    if (before.agent_id) {
      // Someone already had it: confirm replacing them.
      await dialog.getByRole('button', { name: 'Sim, alterar o agente' }).click();
    }
    await dialog.waitFor({ state: 'detached' });
    await header().getByTestId('pane-agent').filter({ hasText: 'Agente: Ana (Vendas)' }).waitFor();
  });

  step('asks before replacing the agent, then forwards with the confirmation', async () => {
    const dialog = await forwardTo(/^Bruno \(Suporte\)/);
    await dialog.getByText('Tem certeza que deseja alterar o agente?').waitFor();
    // Nothing changed until confirmed.
    const conv = await admin.call('GET', `/conversations/${chatId}`);
    const ana = (await admin.call('GET', '/agents')).find((/** @type {any} */ a) => a.name === 'Ana (Vendas)');
    assert.equal(conv.agent_id, ana.id);
    await dialog.getByRole('button', { name: 'Sim, alterar o agente' }).click();
    await dialog.waitFor({ state: 'detached' });
    await header().getByTestId('pane-agent').filter({ hasText: 'Agente: Bruno (Suporte)' }).waitFor();
  });

  step('Esc cancels the dialog', async () => {
    await header().getByRole('button', { name: 'Encaminhar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Encaminhar conversa' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      'Encaminhar',
      'focus goes back to the button',
    );
  });

  step('closes the attendance with the pre-filled closing message and the closing fields', async () => {
    await header().getByRole('button', { name: 'Encerrar atendimento' }).click();
    const dialog = page.getByRole('dialog', { name: 'Encerrar atendimento' });
    const message = dialog.getByLabel('Mensagem de encerramento');
    assert.equal(await message.inputValue(), CLOSING);
    // The mandatory field is asked before anything is sent.
    await dialog.getByLabel(`Motivo ${tag} (obrigatório)`).waitFor();
    await dialog.getByRole('button', { name: 'Encerrar', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: `Preencha os campos obrigatórios: Motivo ${tag}.` }).waitFor();
    await dialog.getByLabel(`Motivo ${tag} (obrigatório)`).selectOption('Compra');
    await dialog.getByLabel(`Cidade ${tag}`).fill('Recife');
    mkdirSync(join(WEB_DIR, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(WEB_DIR, 'test-results', 'close-dialog-fields.png') });
    await dialog.getByRole('button', { name: 'Encerrar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await header().getByText('Sem atendimento aberto').waitFor();
    // The closing message went to the contact and the attendance closed (a
    // customer writing right after may open a new one: then it is newer).
    const messages = await admin.call('GET', `/conversations/${chatId}/messages?limit=50`);
    const closing = messages.items.find((/** @type {any} */ m) => m.text === CLOSING);
    assert.ok(closing, 'closing message not sent');
    const conv = await admin.call('GET', `/conversations/${chatId}`);
    const contact = await admin.call('GET', `/contacts/${conv.contact.id}`);
    assert.equal(contact.custom[`cidade_${tag}`], 'Recife');
    if (conv.attendance_open) {
      const after = await admin.call('GET', `/conversations/${chatId}/messages?limit=50`);
      const newer = after.items.some(
        (/** @type {any} */ m) => m.direction === 'in' && m.created_at > closing.created_at,
      );
      assert.ok(newer, 'attendance still open without a newer customer message');
    } else {
      const open = await admin.call('GET', '/conversations?view=open&limit=200');
      assert.ok(!open.items.some((/** @type {any} */ c) => c.id === chatId), 'still listed in "Chats abertos"');
      await page.locator(`.item[data-conversation-id="${chatId}"]`).waitFor({ state: 'detached' });
    }
  });
});
