// Search inside the open conversation (LC-5): the hits are listed with the
// match marked, and picking one brings the message into view, reading older
// pages when it is beyond the ones on screen.
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

const tag = Math.random().toString(36).slice(2, 7);
/** A word only the oldest of the notes below has. */
const WORD = `Girassol${tag}`;
/** Notes posted after it: more than the first page (50) and one jump page (200). */
const FILLER = 259;

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Page} */
let page;
let chatId = '';
let noteId = '';

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const searchBar = () => pane().getByRole('region', { name: 'Buscar mensagens nesta conversa' });
const note = () => pane().locator(`article[data-message-id="${noteId}"]`);

/** @param {string} name */
const screenshot = (name) => saveShot(page, `search-${name}`);

describe('search inside the conversation', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    const appUrl = (await startPreview(atende.url)).url;
    const admin = await apiSession(atende.url, USERS.admin);
    const listed = await admin.call('GET', '/conversations?view=all&limit=50');
    const chat = listed.items[0];
    assert.ok(chat, 'no chat in the demo');
    chatId = chat.id;
    // Posted before the chat opens in the browser: none of them arrives live.
    const first = await admin.call('POST', `/conversations/${chatId}/messages`, {
      text: `Nota antiga sobre o ${WORD} do cliente`,
      internal: true,
    });
    noteId = first.id;
    for (let i = 1; i <= FILLER; i++) {
      await admin.call('POST', `/conversations/${chatId}/messages`, { text: `Nota de enchimento ${i}`, internal: true });
    }

    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
    await page.goto(`${appUrl}?chat=${chatId}`);
    await pane().locator('h2', { hasText: chat.contact.name }).waitFor();
    await pane().getByText(`Nota de enchimento ${FILLER}`, { exact: true }).waitFor();
  });

  after(cleanup);

  step('the old note is beyond the messages on screen', async () => {
    assert.equal(await note().count(), 0);
  });

  step('opens the search from the header and asks for 2 characters', async () => {
    const toggle = pane().locator('header').getByRole('button', { name: 'Buscar mensagens' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const input = searchBar().getByLabel('Buscar mensagens nesta conversa');
    await input.waitFor();
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'the input has the focus');
    await input.fill('g');
    await searchBar().getByText('Digite ao menos 2 caracteres para buscar.').waitFor();
  });

  step('lists the hit with the match marked, ignoring case', async () => {
    await searchBar().getByLabel('Buscar mensagens nesta conversa').fill(WORD.toLowerCase());
    await searchBar().getByTestId('search-count').filter({ hasText: '1 mensagem encontrada' }).waitFor();
    const hits = searchBar().getByRole('list', { name: 'Resultados da busca' }).getByRole('button');
    assert.equal(await hits.count(), 1);
    assert.equal(await hits.first().getAttribute('data-message-id'), noteId);
    assert.equal(await hits.first().locator('mark').textContent(), WORD);
    assert.match((await hits.first().textContent()) ?? '', /Você/);
  });

  step('picking the hit loads the older pages and shows the note highlighted', async () => {
    await searchBar().getByRole('list', { name: 'Resultados da busca' }).getByRole('button').first().click();
    await note().waitFor();
    await pane().locator(`article.jump-hit[data-message-id="${noteId}"]`).waitFor();
    assert.ok(await note().evaluate((el) => el === document.activeElement), 'the note has the focus');
    // In view inside the scrolled message list.
    const inView = await note().evaluate((el) => {
      const list = /** @type {HTMLElement} */ (el.closest('[role="log"]'));
      const a = el.getBoundingClientRect();
      const b = list.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    });
    assert.ok(inView, 'the note is scrolled into view');
    assert.match((await note().textContent()) ?? '', new RegExp(WORD));
    await screenshot('jump');
    // The highlight goes away after a moment.
    await pane().locator(`article.jump-hit[data-message-id="${noteId}"]`).waitFor({ state: 'detached', timeout: 5_000 });
  });

  step('Esc closes the search and gives the focus back to the magnifier', async () => {
    await searchBar().getByLabel('Buscar mensagens nesta conversa').focus();
    await page.keyboard.press('Escape');
    await searchBar().waitFor({ state: 'detached' });
    const toggle = pane().locator('header').getByRole('button', { name: 'Buscar mensagens' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(await toggle.evaluate((el) => el === document.activeElement), 'focus back on the toggle');
  });
});
