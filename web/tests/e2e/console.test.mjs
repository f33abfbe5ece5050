// The agent console against a real `atende demo`: login, the chat list,
// replies with receipts, internal notes, live updates, "Ressincronizar",
// the language switch, "Marcar como não lido", colleagues' names (LC-7) and
// logout.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendWhatsApp,
  startAtende,
  startPreview,
  USERS,
  step as stepOn,
} from './helpers.mjs';

const OFFLINE = 'Não foi possível reconectar ao servidor. Verifique sua conexão com a internet.';
const INTERNAL_LABEL = 'Mensagem interna, não será enviada para o contato';
const tag = Math.random().toString(36).slice(2, 7);

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {string} */
let appUrl;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
/** The chat Ana opens and answers. */
let chatId = '';
let chatName = '';

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const composer = () => page.getByLabel('Mensagem', { exact: true });
const item = (/** @type {string} */ id) => page.locator(`.item[data-conversation-id="${id}"]`);

describe('agent console', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    admin = await apiSession(atende.url, USERS.admin);
  });

  after(cleanup);

  step('logs in and fills "Chats abertos" with the demo chats', async () => {
    await loginInBrowser(page, appUrl, USERS.ana);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
    assert.match(await page.locator('.user-name').innerText(), /Ana \(Vendas\)/);
    const open = page.getByRole('tab', { name: 'Chats abertos' });
    assert.equal(await open.getAttribute('aria-selected'), 'true');
    await page.locator('[data-chat-button]').first().waitFor();
    // What the list shows is what the API lists for Ana in that view.
    const ana = await apiSession(atende.url, USERS.ana);
    const listed = await ana.call('GET', '/conversations?view=open&limit=200');
    const apiNames = new Set(listed.items.map((/** @type {any} */ c) => c.contact.name));
    const shown = await page.locator('[data-chat-button] .name').allInnerTexts();
    assert.ok(shown.length > 0, 'no chats shown');
    for (const name of shown.slice(0, 5)) assert.ok(apiNames.has(name), `${name} is not in Ana's open view`);
  });

  step("a customer's WhatsApp message appears live in \"Chats abertos\", without a reload", async () => {
    const name = `Cliente ao vivo ${tag}`;
    const from = `55119${String(Date.now()).slice(-8)}`;
    await sendWhatsApp(atende.url, { from, name, text: 'Olá, acabei de escrever!' });
    await page.locator('[data-chat-button] .name', { hasText: name }).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByRole('tab', { name: 'Chats abertos' }).getAttribute('aria-selected'), 'true');
    await saveShot(page, 'console-chat-list');
  });

  step('opening a chat shows its messages and marks it read', async () => {
    // A WhatsApp chat: its receipts come back from the demo's customers.
    const unread = page.locator('.item.unread').filter({ has: page.locator('.channel-whatsapp') }).first();
    await unread.waitFor();
    chatId = (await unread.getAttribute('data-conversation-id')) ?? '';
    chatName = await unread.locator('.name').innerText();
    await unread.locator('[data-chat-button]').click();
    await pane().locator('h2', { hasText: chatName }).waitFor();
    await pane().locator('article.bubble').first().waitFor();
    assert.ok(new URL(page.url()).searchParams.get('chat') === chatId);
    await page.waitForFunction((id) => !document.querySelector(`.item.unread[data-conversation-id="${id}"]`), chatId);
  });

  step('sends a reply that shows its receipt and assigns the chat to Ana', async () => {
    const text = `Olá! Aqui é a Ana, vou verificar seu pedido (${tag}).`;
    await composer().fill(text);
    await composer().press('Enter');
    const bubble = pane().locator('article.bubble', { hasText: text });
    await bubble.waitFor();
    assert.equal(await composer().inputValue(), '');
    assert.equal(await bubble.getAttribute('data-internal'), null);
    // CH-7: grey while sent or delivered, green once read. The demo's
    // customer phone reports delivered after ~0.8 s and read after ~2.5 s.
    const receipt = bubble.locator('.receipt');
    await bubble.locator('.receipt[data-status="sent"], .receipt[data-status="delivered"]').waitFor();
    const grey = await receipt.evaluate((r) => getComputedStyle(r).color);
    await bubble.locator('.receipt[data-status="read"]').waitFor({ timeout: 10_000 });
    assert.equal(await receipt.getAttribute('aria-label'), 'Lida');
    const green = await receipt.evaluate((r) => getComputedStyle(r).color);
    assert.notEqual(green, grey, 'the read receipt has its own colour');
    const [r, g, b] = (green.match(/\d+/g) ?? []).map(Number);
    assert.ok(g > r && g > b, `read receipt is green: ${green}`);
    // LC-9: replying makes Ana the chat's agent; the header follows live.
    await pane().getByText('Agente: Ana (Vendas)').waitFor();
    // The fake WhatsApp received exactly this text, once, as a Cloud API send.
    const got = (await atende.fakeMessages()).filter((r) => r.body?.text?.body === text);
    assert.equal(got.length, 1);
    assert.equal(got[0].body.messaging_product, 'whatsapp');
    assert.equal(got[0].body.type, 'text');
  });

  step('"Interna?" sends an internal note as a red bubble', async () => {
    await page.getByLabel('Interna?').check();
    const send = pane().locator('button[type="submit"]');
    assert.equal(await send.getAttribute('data-internal'), 'true');
    assert.equal(await send.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(198, 40, 40)');
    const note = `Cliente pediu retorno amanhã (${tag})`;
    await composer().fill(note);
    await composer().press('Enter');
    const bubble = pane().locator('article.bubble[data-internal="true"]', { hasText: note });
    await bubble.waitFor();
    await bubble.getByText(INTERNAL_LABEL, { exact: true }).waitFor();
    assert.equal(await bubble.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(253, 236, 236)');
    assert.equal(await bubble.locator('.receipt').count(), 0);
    // LC-8: never delivered to the contact.
    const sent = await atende.fakeMessages();
    assert.ok(!sent.some((r) => JSON.stringify(r.body).includes(note)), 'the internal note reached WhatsApp');
    await page.getByLabel('Interna?').uncheck();
    assert.equal(await send.getAttribute('data-internal'), 'false');
    await saveShot(page, 'console-conversation');
  });

  step('the /interna prefix also makes an internal note', async () => {
    const send = pane().locator('button[type="submit"]');
    await composer().fill(`/interna conferir estoque (${tag})`);
    assert.equal(await send.getAttribute('data-internal'), 'true');
    await composer().press('Enter');
    await pane().locator('article.bubble[data-internal="true"]', { hasText: `conferir estoque (${tag})` }).waitFor();
  });

  step('a message written by someone else appears live, with the author\'s name', async () => {
    const text = `Nota da supervisão ao vivo (${tag})`;
    await admin.call('POST', `/conversations/${chatId}/messages`, { text, internal: true });
    const bubble = pane().locator('article.bubble', { hasText: text });
    await bubble.waitFor({ timeout: 10_000 });
    // Ana has no Users module: the name comes from GET /agents.
    assert.equal(admin.user.name, 'Administradora');
    assert.equal(await bubble.locator('.sender').innerText(), admin.user.name);
  });

  step('the browser going offline shows "Ressincronizar" at once; back online it resynchronizes', async () => {
    const resync = page.getByRole('button', { name: 'Ressincronizar' });
    await page.context().setOffline(true);
    // The offline event, not the 10 s heartbeat deadline, shows it.
    await resync.waitFor({ timeout: 2_000 });
    await page.context().setOffline(false);
    await resync.click();
    await resync.waitFor({ state: 'detached', timeout: 10_000 });
    const text = `De volta depois de ficar offline (${tag})`;
    await admin.call('POST', `/conversations/${chatId}/messages`, { text, internal: true });
    await pane().locator('article.bubble', { hasText: text }).waitFor({ timeout: 10_000 });
  });

  step('losing the server shows "Ressincronizar", then the offline text', async () => {
    await atende.stop();
    const resync = page.getByRole('button', { name: 'Ressincronizar' });
    await resync.waitFor({ timeout: 10_000 });
    await resync.click();
    await page.getByText(OFFLINE, { exact: true }).waitFor({ timeout: 10_000 });
  });

  step('"Ressincronizar" loads what changed while disconnected, in order', async () => {
    await atende.start();
    // Three messages while Ana's socket is down: a colleague's note, the
    // customer's WhatsApp message, another note.
    const conv = await admin.call('GET', `/conversations/${chatId}`);
    const from = String(conv.contact.phone ?? '').replace(/\D/g, '');
    assert.ok(from, 'the chat has a phone number');
    const texts = [1, 2, 3].map((n) => `Escrita enquanto a Ana estava desconectada ${n} (${tag})`);
    await admin.call('POST', `/conversations/${chatId}/messages`, { text: texts[0], internal: true });
    await sendWhatsApp(atende.url, { from, name: conv.contact.name, text: texts[1] });
    await admin.call('POST', `/conversations/${chatId}/messages`, { text: texts[2], internal: true });
    const bubble = pane().locator('article.bubble', { hasText: texts[2] });
    await page.waitForTimeout(1500);
    assert.equal(await bubble.count(), 0, 'shown before resynchronizing: the socket should be down');
    await page.getByRole('button', { name: 'Ressincronizar' }).click();
    await bubble.waitFor({ timeout: 10_000 });
    const shown = await pane().locator('article.bubble').allInnerTexts();
    const at = texts.map((t) => shown.findIndex((b) => b.includes(t)));
    assert.ok(at.every((i) => i >= 0), `all three shown: ${at}`);
    assert.deepEqual([...at].sort((x, y) => x - y), at, 'in the order they were written');
    await page.getByRole('button', { name: 'Ressincronizar' }).waitFor({ state: 'detached' });
    // Live again: the next change arrives without pressing anything.
    const after = `De volta ao vivo (${tag})`;
    await admin.call('POST', `/conversations/${chatId}/messages`, { text: after, internal: true });
    await pane().locator('article.bubble', { hasText: after }).waitFor({ timeout: 10_000 });
  });

  step('switches the language to English, keeps it on reload, and back', async () => {
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('tab', { name: 'Open chats' }).waitFor();
    await page.getByLabel('Internal?').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.reload();
    await page.getByRole('tab', { name: 'My chats' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Chats abertos' }).count(), 0);
    await page.getByLabel('Language').selectOption('pt-BR');
    await page.getByRole('tab', { name: 'Chats abertos' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
  });

  step('"Meus chats" lists the answered chat; "Marcar como não lido" marks it', async () => {
    await page.goto(appUrl); // no chat open, so nothing marks it read again
    await page.getByRole('tab', { name: 'Meus chats' }).click();
    const row = item(chatId);
    await row.waitFor();
    // The demo's customers keep writing: if this one just did, read the
    // chat again (opening it marks it read) until it shows no badge.
    for (let tries = 0; (await row.locator('.badge').count()) > 0 && tries < 5; tries++) {
      const read = page.waitForResponse((r) => r.url().includes(`/conversations/${chatId}/read`));
      await row.click();
      await read;
      await page.goto(appUrl);
      await page.getByRole('tab', { name: 'Meus chats' }).click();
      await row.waitFor();
    }
    assert.equal(await row.locator('.badge').count(), 0);
    await row.getByRole('button', { name: `Mais ações para ${chatName}` }).click();
    await page.getByRole('menuitem', { name: 'Marcar como não lido' }).click();
    await row.locator('.badge').waitFor();
    const ana = await apiSession(atende.url, USERS.ana);
    const conv = await ana.call('GET', `/conversations/${chatId}`);
    assert.ok(conv.unread >= 1, `server unread ${conv.unread}`);
  });

  step('a chat forwarded to a colleague names them on the agent icon and in the header (LC-7)', async () => {
    const bruno = await apiSession(atende.url, USERS.bruno);
    await admin.call('POST', `/conversations/${chatId}/assign`, { agent_id: bruno.user.id, confirm: true });
    await page.getByRole('tab', { name: /^Em atendimento(, \d+)?$/ }).click();
    const icon = item(chatId).getByTestId('item-agent');
    const label = `Em atendimento por ${bruno.user.name}`;
    // The hover (title) names the agent once the forward arrives live.
    await icon.hover();
    await page.waitForFunction(
      ([id, want]) =>
        document
          .querySelector(`.item[data-conversation-id="${id}"] [data-testid="item-agent"]`)
          ?.getAttribute('title') === want,
      [chatId, label],
    );
    assert.equal(await icon.getAttribute('title'), label);
    assert.equal(await icon.getAttribute('aria-label'), label);
    await item(chatId).locator('[data-chat-button]').click();
    await pane().getByTestId('pane-agent').filter({ hasText: `Agente: ${bruno.user.name}` }).waitFor();
  });

  step('logs out', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Sair' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    const me = await page.request.get(new URL('/api/v1/me', appUrl).href);
    assert.equal(me.status(), 401);
  });
});
