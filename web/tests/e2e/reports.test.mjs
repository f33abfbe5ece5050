// The report manager (RP-1, seed 000): "Gerenciador de relatórios" in the
// admin area for who has the Reports module; the period (last 30 days by
// default), "Histórico completo de conversa", a contact searched by name
// and "Gerar relatório"; the report is processed and listed, and once
// ready "Baixar histórico completo do contato" downloads the PDF. The
// server's refusals are shown word for word. "Histórico de atendimentos"
// (RP-4, seed 002): the inbox's attendances of the last 3 months, and
// "Gerar PDF" on one lists a report whose "Baixar PDF do atendimento"
// downloads it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  brasiliaDate,
  openReportManager,

  cleanup,
  eventually,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendWhatsApp,
  startAtende,
  startPreview,
  USERS,
  step as stepOn,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const digits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
/** A customer of this run only, with a conversation today. */
const CUSTOMER = { name: `Cliente Historico ${tag}`, phone: `551197${digits()}` };
/** More namesakes than the search returns (5). */
const NAMESAKES = Array.from({ length: 6 }, (_, i) => ({ name: `Homonimo ${tag} ${i + 1}`, phone: `551196${digits()}` }));

const NO_CONTACT = 'Nenhum contato foi encontrado. Confira os filtros aplicados e tente novamente';
const TOO_MANY = 'Resultados em excesso. Por favor, refine sua busca para uma identificação mais exata do contato';
const PROCESSING = 'O histórico está sendo processado e em breve estará disponível';
const READY = 'Baixar histórico completo do contato';
const TICKET_PROCESSING = 'O PDF do atendimento está sendo gerado';
const TICKET_READY = 'Baixar PDF do atendimento';

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
/** The customer's chat (its inbox and attendance). */
/** @type {any} */
let chat;

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => current, body);

/** @param {string} email */
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  await loginInBrowser(p, appUrl, email);
  await p.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return p;
}

/** @param {string} q */
async function search(q) {
  await page.getByLabel('Nome, e-mail, telefone ou ID do contato').fill(q);
  await page.getByRole('button', { name: 'Buscar', exact: true }).click();
}

describe('report manager (RP-1)', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);

    // The customer writes twice and gets an internal note: a history today.
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'Olá, quero saber do meu pedido.' });
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'É o pedido 4521, obrigado!' });
    for (const n of NAMESAKES) await sendWhatsApp(atende.url, { from: n.phone, name: n.name, text: 'Oi!' });
    chat = await eventually(async () => {
      const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(CUSTOMER.name)}&limit=20`);
      return list.items.find((/** @type {any} */ c) => c.contact.name === CUSTOMER.name);
    }, "the customer's chat");
    await admin.call('POST', `/conversations/${chat.id}/messages`, { text: `Nota interna ${tag}`, internal: true });

    page = await signedIn(USERS.admin);
    current = page;
  });

  after(cleanup);

  step('"Gerenciador de relatórios" opens from the admin menu with the last 30 days and the history type', async () => {
    await openReportManager(page);
    assert.equal(new URL(page.url()).pathname, '/admin/reports');

    const today = brasiliaDate();
    const [y, m, d] = today.split('-').map(Number);
    const from = new Date(Date.UTC(y, m - 1, d - 30)).toISOString().slice(0, 10);
    assert.equal(await page.getByLabel('Data final').inputValue(), today);
    assert.equal(await page.getByLabel('Data inicial').inputValue(), from);
    const kind = page.getByLabel('Tipo de relatório');
    assert.equal(await kind.locator('option:checked').textContent(), 'Histórico completo de conversa');
    await page.getByText('Nenhum relatório foi gerado ainda.').waitFor();
  });

  step('a contact nobody has is refused in the server’s words', async () => {
    await search(`ninguem-${tag}`);
    await page.getByRole('alert').filter({ hasText: NO_CONTACT }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Gerar relatório' }).count(), 0);
  });

  step('too generic a name asks to refine the search', async () => {
    await search(`Homonimo ${tag}`);
    await page.getByRole('alert').filter({ hasText: TOO_MANY }).waitFor();
  });

  step('generates the full history of the contact found, and downloads the PDF', async () => {
    await search(CUSTOMER.name);
    const radio = page.getByRole('radio', { name: new RegExp(CUSTOMER.name) });
    await radio.waitFor();
    // The only contact found comes chosen; internal notes are off by default.
    assert.equal(await radio.isChecked(), true);
    await page.getByText('Um contato encontrado.').waitFor();
    const internal = page.getByLabel('Incluir notas internas');
    assert.equal(await internal.isChecked(), false);
    await saveShot(page, 'reports-candidates', { fullPage: true });

    await page.getByRole('button', { name: 'Gerar relatório' }).click();
    const rows = page.locator('tbody tr');
    const row = rows.first();
    await row.getByRole('cell', { name: new RegExp(`^Histórico completo de ${CUSTOMER.name} \\(`) }).waitFor();
    // Processing first (unless the PDF was already quicker than the page).
    const [status, text] = await row.evaluate((el) => [el.getAttribute('data-status'), el.textContent ?? '']);
    assert.ok(status === 'processing' || status === 'ready', `unexpected status ${status}`);
    if (status === 'processing') assert.ok(text.includes(PROCESSING), text);

    // Ready: the realtime event (or the poll) brings the download button.
    const link = row.getByRole('link', { name: new RegExp(`^${READY}`) });
    await link.waitFor({ timeout: 90_000 });
    await row.getByText(/^expira em /).waitFor();
    assert.match((await link.getAttribute('href')) ?? '', /^\/api\/v1\/reports\/[0-9a-f-]+\/download$/);
    assert.notEqual(await link.getAttribute('download'), null);
    await row.scrollIntoViewIfNeeded();
    await saveShot(page, 'reports-ready');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^historico-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
    assert.ok(bytes.length > 2_000, `a PDF of only ${bytes.length} bytes`);

    // The server words it the same.
    const listed = await admin.call('GET', '/reports');
    assert.equal(listed[0].status, 'ready');
    assert.equal(listed[0].message, READY);
  });

  step('"Histórico de atendimentos" lists the customer’s attendance and downloads its PDF', async () => {
    await page.getByLabel('Tipo de relatório').selectOption({ label: 'Histórico de atendimentos' });
    // No period for this kind: the last 3 months, said in a hint.
    assert.equal(await page.getByLabel('Data inicial').count(), 0);
    await page.getByText('O histórico de atendimentos cobre sempre os últimos 3 meses').waitFor();
    // The bot/number selector only when there are several.
    const inboxes = await admin.call('GET', '/inboxes');
    const selector = page.getByLabel('Bot/número');
    if (inboxes.length > 1) {
      const inbox = inboxes.find((/** @type {any} */ i) => i.id === chat.inbox_id);
      await selector.selectOption({ label: inbox.name });
    } else {
      assert.equal(await selector.count(), 0);
    }

    const ticket = page.locator('tr[data-ticket-id]').filter({ hasText: CUSTOMER.name });
    await ticket.first().waitFor();
    const cells = await ticket.first().locator('td').allTextContents();
    assert.match(cells[0] ?? '', /\S/, 'a protocol');
    // Still open: the customer's attendance was not closed.
    assert.equal(cells[5]?.trim(), 'Em aberto');
    const protocol = (cells[0] ?? '').trim();
    await saveShot(page, 'reports-tickets', { fullPage: true });

    await ticket.first().getByRole('button', { name: /^Gerar PDF/ }).click();
    const row = page.locator('tr[data-report-id]').first();
    await row.getByRole('cell', { name: new RegExp(`^Atendimento ${protocol} — ${CUSTOMER.name}$`) }).waitFor();
    const [status, text] = await row.evaluate((el) => [el.getAttribute('data-status'), el.textContent ?? '']);
    assert.ok(status === 'processing' || status === 'ready', `unexpected status ${status}`);
    if (status === 'processing') assert.ok(text.includes(TICKET_PROCESSING), text);

    const link = row.getByRole('link', { name: new RegExp(`^${TICKET_READY}`) });
    await link.waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');

    const listed = await admin.call('GET', '/reports');
    assert.equal(listed[0].kind, 'ticket');
    assert.equal(listed[0].message, TICKET_READY);
  });

  step('an agent without the Reports module does not see the report manager', async () => {
    const p = await signedIn(USERS.ana);
    current = p;
    await p.getByRole('button', { name: 'Menu do usuário' }).click();
    assert.equal(await p.getByRole('menuitem', { name: 'Administração' }).count(), 0);
    await p.keyboard.press('Escape');
    await p.goto(`${appUrl}admin/reports`);
    await p.getByText('Você não tem acesso a esta página.').waitFor();
    const nav = p.getByRole('navigation', { name: 'Páginas de administração' });
    await nav.getByRole('link', { name: 'Etiquetas' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Gerenciador de relatórios' }).count(), 0);
  });
});
