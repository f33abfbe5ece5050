// Behaviour that needs data the demo does not make on its own, served by
// intercepting the real API's answers: a 10,000-chat list (virtualized) and
// a conversation whose 24 h session has expired (CH-5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanup, eventually, launchBrowser, loginInBrowser, startAtende, startPreview, USERS } from './helpers.mjs';

/** @type {string} */
let appUrl;
/** @type {import('playwright-core').Browser} */
let browser;

const TOTAL = 10_000;

/** @param {number} i */
function syntheticChat(i) {
  const t = new Date(Date.UTC(2026, 0, 1) - i * 60_000).toISOString();
  return {
    id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    inbox_id: 'inbox',
    channel: i % 2 ? 'whatsapp' : 'telegram',
    contact: { id: `contact-${i}`, name: `Contato sintético ${i + 1}`, phone: null },
    protocol: null,
    attendance_open: true,
    opened_at: null,
    department_id: null,
    agent_id: null,
    flow_running: false,
    last_message_at: t,
    last_inbound_at: t,
    unread: 0,
    window: 'expired',
    window_expires_at: null,
    views: ['all', 'open'],
    tags: [],
    close_at: null,
  };
}

/**
 * Waits until a request after index `from` satisfies `test`.
 * @param {URLSearchParams[]} asked
 * @param {number} from
 * @param {(p: URLSearchParams) => boolean} test
 */
async function expectRequest(asked, from, test) {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (asked.slice(from).some(test)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`no matching request among ${asked.slice(from).map((p) => p.toString()).join(' | ')}`);
}

describe('chat list and composer with routed data', { concurrency: false }, () => {
  before(async () => {
    const atende = await startAtende({ rate: 10 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
  });

  after(cleanup);

  it('renders 10,000 chats with a bounded number of rows and scrolls to the last', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    const body = JSON.stringify({ items: Array.from({ length: TOTAL }, (_, i) => syntheticChat(i)), next_cursor: null });
    await page.route(/\/api\/v1\/conversations\?/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
    await loginInBrowser(page, appUrl, USERS.ana);
    await page.getByText('Contato sintético 1', { exact: true }).waitFor();
    const list = page.getByRole('list', { name: 'Chats abertos' });
    assert.equal(await list.evaluate((el) => el.getBoundingClientRect().height), TOTAL * 86);
    const rows = await page.locator('[role="listitem"]').count();
    assert.ok(rows > 5 && rows < 60, `${rows} rows in the DOM`);
    assert.equal(await page.locator('[role="listitem"]').first().getAttribute('aria-setsize'), String(TOTAL));
    await page.locator('.viewport').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.getByText(`Contato sintético ${TOTAL}`, { exact: true }).waitFor();
    assert.ok((await page.locator('[role="listitem"]').count()) < 60);
    // Keyboard: arrow keys walk the list, scrolling as they go.
    await page.getByText(`Contato sintético ${TOTAL}`, { exact: true }).click({ trial: true });
    await page.locator(`[data-chat-button]`).last().focus();
    await page.keyboard.press('ArrowUp');
    const focused = await page.evaluate(() => document.activeElement?.querySelector('.name')?.textContent);
    assert.equal(focused, `Contato sintético ${TOTAL - 1}`);
    // The expired window shows on the list items (CH-5).
    assert.ok((await page.locator('[data-window="expired"]').count()) > 0);
    await page.context().close();
  });

  it('pages with the cursor on scroll and sends search, filters and order to the API', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    /** @type {URLSearchParams[]} */
    const asked = [];
    await page.route(/\/api\/v1\/conversations\?/, (route) => {
      const params = new URL(route.request().url()).searchParams;
      asked.push(params);
      const second = params.get('cursor') === 'page-2';
      const items = Array.from({ length: 50 }, (_, i) => syntheticChat(second ? 50 + i : i));
      return route.fulfill({ json: { items, next_cursor: second ? null : 'page-2' } });
    });
    await loginInBrowser(page, appUrl, USERS.ana);
    await page.getByText('Contato sintético 1', { exact: true }).waitFor();
    assert.equal(asked[0]?.get('view'), 'open');
    assert.equal(asked[0]?.get('order'), 'newest');
    assert.equal(asked[0]?.get('cursor'), null);
    // The list is virtual: the 100th chat is drawn only once the second page
    // has arrived and the viewport sits at its new bottom, so keep scrolling
    // down until it shows (the page may arrive between two scrolls).
    const last = page.getByText('Contato sintético 100', { exact: true });
    await eventually(async () => {
      await page.locator('.viewport').evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      return last.isVisible();
    }, 'the second page at the bottom of the list');
    assert.ok(asked.some((p) => p.get('cursor') === 'page-2'), 'second page asked with the cursor');

    const before = asked.length;
    await page.getByLabel('Buscar chats').fill('20261122');
    await page.getByText('Contato sintético 1', { exact: true }).waitFor();
    await expectRequest(asked, before, (p) => p.get('q') === '20261122');
    await page.getByRole('button', { name: 'Filtros' }).click();
    await page.getByLabel('Canal').selectOption('telegram');
    await expectRequest(asked, before, (p) => p.get('channel') === 'telegram' && p.get('q') === '20261122');
    await page.getByLabel('Somente não lidas').check();
    await expectRequest(asked, before, (p) => p.get('unread') === 'true');
    await page.getByLabel('Ordenação').selectOption('oldest_opening');
    await expectRequest(asked, before, (p) => p.get('order') === 'oldest_opening');
    await page.getByRole('tab', { name: 'Em atendimento' }).click();
    await expectRequest(asked, before, (p) => p.get('view') === 'in_service');
    await page.context().close();
  });

  it('offers only templates when the session expired, but allows internal notes', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    // The real chat, with its window moved into the past.
    await page.route(/\/api\/v1\/conversations\/[^/?]+$/, async (route) => {
      const res = await route.fetch();
      const conv = await res.json();
      conv.window = 'expired';
      conv.window_expires_at = new Date(Date.now() - 3_600_000).toISOString();
      await route.fulfill({ response: res, json: conv });
    });
    await loginInBrowser(page, appUrl, USERS.ana);
    // A WhatsApp chat: Telegram's have no window and no templates.
    await page.locator('[data-chat-button]').filter({ has: page.locator('.channel-whatsapp') }).first().click();
    const composer = page.getByLabel('Mensagem', { exact: true });
    await page.getByText(/A sessão de 24 horas com este contato expirou/).waitFor();
    // CH-6: the template list takes the place of the text box.
    await page.getByText('Escolha uma mensagem template para enviar ao contato:').waitFor();
    assert.equal(await composer.count(), 0, 'no free-text box');
    assert.ok((await page.locator('section [data-window="expired"]').count()) > 0, 'header shows "Expirado"');
    await page.getByLabel('Interna?').check();
    assert.equal(await composer.isDisabled(), false);
    await composer.fill('Sessão expirada: enviar template amanhã');
    await composer.press('Enter');
    await page.locator('article.bubble[data-internal="true"]', { hasText: 'enviar template amanhã' }).waitFor();
    await page.context().close();
  });
});
