// What a customer sends is hostile (DESIGN §8): an SVG image or an HTML
// document with a script, opened from the console as an agent would, runs
// nothing — the server hands it over as a sandboxed attachment, never as a
// page of the app's origin.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  sendWhatsApp,
  sleep,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const CUSTOMER = `Cliente Hostil ${tag}`;
const WA_ID = `55119${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** Files whose script, if it ever ran, would show a dialog and leave a mark. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert('svg ${tag}'); window.__ran = true;</script></svg>`;
const HTML = `<!doctype html><html><body><script>alert('html ' + document.cookie); window.__ran = true;</script>Oi</body></html>`;

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {string} */
let appUrl;
/** @type {import('playwright-core').BrowserContext} */
let context;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let chatId = '';
/** Dialogs any page of the context opened (a script ran). */
const dialogs = /** @type {string[]} */ ([]);

const step = (/** @type {string} */ name, /** @type {() => Promise<void>} */ body) => stepOn(name, () => page, body);

const inbound = (/** @type {Record<string, unknown>} */ message) =>
  sendWhatsApp(atende.url, { from: WA_ID, name: CUSTOMER, message });

/** Uploads a file to the demo number (the fake Graph keeps it); its media id. */
async function uploadToGraph(/** @type {string} */ text, /** @type {string} */ type, /** @type {string} */ name, inboxId = '') {
  const form = new FormData();
  form.append('file', new Blob([text], { type }), name);
  const up = await admin.send('POST', `/inboxes/${inboxId}/media`, form);
  return /** @type {string} */ (up.id);
}

/** The stored file link of the customer's message of `kind`, once downloaded. */
async function mediaUrl(/** @type {string} */ kind) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const msgs = (await admin.call('GET', `/conversations/${chatId}/messages?limit=100`)).items;
    const m = msgs.find((/** @type {any} */ x) => x.direction === 'in' && x.kind === kind && x.media?.status === 'stored');
    if (m) return /** @type {string} */ (m.media.url);
    if (Date.now() > deadline) throw new Error(`no stored ${kind} from the customer`);
    await sleep(200);
  }
}

/**
 * Opens `url` in a new tab as a click from the console would, and reports
 * whether the browser downloaded it (instead of showing it).
 */
async function openInTab(/** @type {string} */ url) {
  const tab = await context.newPage();
  const download = tab.waitForEvent('download', { timeout: 5_000 }).catch(() => null);
  await tab.goto(url).catch(() => {}); // a download aborts the navigation
  const d = await download;
  await sleep(500);
  const ran = await tab.evaluate(() => Boolean(/** @type {any} */ (window).__ran)).catch(() => false);
  await tab.close();
  return { downloaded: d !== null, ran };
}

describe('hostile media from a customer', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 10 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR', acceptDownloads: true });
    context.on('page', (p) => p.on('dialog', (d) => (dialogs.push(d.message()), d.dismiss())));
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    admin = await apiSession(atende.url, USERS.admin);
    await inbound({ type: 'text', text: { body: `Oi (${tag})` } });
    let inboxId = '';
    const deadline = Date.now() + 15_000;
    while (!chatId) {
      const listed = await admin.call('GET', '/conversations?limit=200');
      const chat = listed.items.find((/** @type {any} */ c) => c.contact.name === CUSTOMER);
      if (chat) {
        chatId = chat.id;
        inboxId = chat.inbox_id;
      } else if (Date.now() > deadline) {
        throw new Error('the customer’s chat did not appear');
      } else {
        await sleep(200);
      }
    }
    const svg = await uploadToGraph(SVG, 'image/svg+xml', 'foto.svg', inboxId);
    await inbound({ type: 'image', image: { id: svg, mime_type: 'image/svg+xml', sha256: 'x', caption: `Imagem ${tag}` } });
    const html = await uploadToGraph(HTML, 'text/html', 'boleto.html', inboxId);
    await inbound({ type: 'document', document: { id: html, mime_type: 'text/html', sha256: 'x', filename: `boleto-${tag}.html` } });
    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  });

  after(cleanup);

  step('the chat with both files shows without running anything', async () => {
    await page.goto(`${appUrl}?chat=${chatId}`);
    const pane = page.getByRole('region', { name: 'Conversa' });
    await pane.locator('h2', { hasText: CUSTOMER }).waitFor();
    await pane.getByText(`Imagem ${tag}`).waitFor();
    await sleep(500);
    assert.deepEqual(dialogs, []);
  });

  step('an SVG image opened in a tab is downloaded, not run', async () => {
    const url = await mediaUrl('image');
    const r = await fetch(url);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-security-policy') ?? '', /^sandbox/);
    assert.match(r.headers.get('content-disposition') ?? '', /^attachment/);
    const { downloaded, ran } = await openInTab(url);
    assert.ok(downloaded, 'the browser downloads it');
    assert.equal(ran, false);
    assert.deepEqual(dialogs, []);
  });

  step('an HTML document opened in a tab is downloaded, not run', async () => {
    const url = await mediaUrl('document');
    const { downloaded, ran } = await openInTab(url);
    assert.ok(downloaded, 'the browser downloads it');
    assert.equal(ran, false);
    assert.deepEqual(dialogs, []);
  });
});
