// Forwarding to a department as two agents see it, each in their own
// browser (LC-1, LC-9): the chat leaves Ana's "Meus chats" and appears live
// in Bruno's "Chats abertos" (he is in Suporte), without a reload.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  saveShot,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

/** @type {import('playwright-core').Page} */
let ana;
/** @type {import('playwright-core').Page} */
let bruno;
/** @type {string} */
let chatId;
/** @type {string} */
let appUrl;
/** @type {string} */
let protocol;

/** @param {import('playwright-core').Page} p @param {string} name */
const screenshot = (p, name) => saveShot(p, `handover-${name}`);

/** @param {import('playwright-core').Page} p */
const item = (p) => p.locator(`#chat-list .item[data-conversation-id="${chatId}"]`);
/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => ana, body);

describe('forward to a department, seen by two agents', { concurrency: false }, () => {
  before(async () => {
    const atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    const admin = await apiSession(atende.url, USERS.admin);
    const anaApi = await apiSession(atende.url, USERS.ana);
    const listed = await admin.call('GET', '/conversations?view=open&limit=200');
    const open = listed.items.find((/** @type {any} */ c) => c.attendance_open && !c.agent_id && !c.department_id);
    assert.ok(open, 'no unassigned chat with an open attendance');
    chatId = open.id;
    protocol = open.protocol;
    assert.match(protocol, /^\d{17}$/);
    await admin.call('POST', `/conversations/${chatId}/assign`, { agent_id: anaApi.user.id });
    for (const [who, email] of /** @type {const} */ ([
      ['ana', USERS.ana],
      ['bruno', USERS.bruno],
    ])) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await loginInBrowser(page, appUrl, email);
      await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
      if (who === 'ana') ana = page;
      else bruno = page;
    }
  });

  after(cleanup);

  step('Ana has the chat in "Meus chats"; Bruno does not have it in "Chats abertos"', async () => {
    await ana.getByRole('tab', { name: /^Meus chats/ }).click();
    await item(ana).waitFor();
    await bruno.getByRole('tab', { name: /^Chats abertos/ }).click();
    await bruno.locator('#chat-list .item').first().waitFor();
    assert.equal(await item(bruno).count(), 0);
  });

  step('Ana forwards it to Suporte: it leaves her list and appears in Bruno\'s, live', async () => {
    await item(ana).click();
    const header = ana.getByRole('region', { name: 'Conversa' }).locator('header');
    await header.getByRole('button', { name: 'Encaminhar', exact: true }).click();
    const dialog = ana.getByRole('dialog', { name: 'Encaminhar conversa' });
    await dialog.getByRole('radio', { name: 'Suporte', exact: true }).check();
    await dialog.getByRole('button', { name: 'Encaminhar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await item(ana).waitFor({ state: 'detached' });
    await item(bruno).waitFor();
    await item(bruno).locator('.tag-department', { hasText: 'Suporte' }).waitFor();
    await screenshot(ana, 'ana-after');
    await screenshot(bruno, 'bruno-after');
  });

  step('Bruno finds the chat by its protocol (LC-4)', async () => {
    await bruno.getByRole('tab', { name: /^Todos os chats/ }).click();
    await bruno.getByLabel('Buscar chats').fill(protocol);
    // Only that chat is listed once the search has run.
    await bruno.waitForFunction((id) => {
      const items = Array.from(document.querySelectorAll('#chat-list .item'));
      return items.length === 1 && items[0].getAttribute('data-conversation-id') === id;
    }, chatId);
    await item(bruno).waitFor();
    await screenshot(bruno, 'protocol-search');
  });
});
