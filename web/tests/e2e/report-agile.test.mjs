// The Fluxo Ágil report (RP-3, seed 003) in the report manager: "Relatório
// Fluxo Ágil" has its own "Período" (over 31 days refused in the server's
// words) and lists for the client, campaign and batch of the period; a flow
// started for a batch and client shows up in them, "Buscar" finds its row
// (Lote, Nome, CPF/CNPJ, Telefone, Email, Fluxo, Conversas, Mensagens,
// Ação), the 💬 opens the contact's history with the bot, and "Exportar
// CSV" lists a spreadsheet whose download is UTF-8 with a BOM,
// `;`-separated, with the seed's columns.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  brasiliaDate,
  signedInPage,
  openReportManager,

  cleanup,
  eventually,
  launchBrowser,
  saveShot,
  sendWhatsApp,
  startAtende,
  startPreview,
  USERS,
  step as stepOn,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const digits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
/** A customer of this run only: the flow is started for their chat. */
const CUSTOMER = { name: `Cliente Fluxo ${tag}`, phone: `55119${digits()}` };
const FLOW = 'Cobrança E2E';
const BATCH = 'Lote E2E';
const CLIENT = 'Cliente E2E';
const BOT_TEXT = 'Sua fatura vence amanhã.';

const KIND = 'Relatório Fluxo Ágil';
const HINT = /dados analíticos sobre os contatos que interagiram com bots em diferentes canais/;
const RANGE_TOO_LONG = 'O intervalo de tempo não pode ultrapassar 31 dias.';
const EXPORT_READY = 'Baixar planilha';
const HEADERS = ['Lote', 'Nome', 'CPF/CNPJ', 'Telefone', 'Email', 'Fluxo', 'Conversas', 'Mensagens', 'Ação'];

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
/** The customer's row, as the API lists it. */
/** @type {any} */
let row;

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const bar = () => page.getByRole('form', { name: 'Filtros do Relatório Fluxo Ágil' });
const table = () => page.getByRole('table', { name: 'Contatos que interagiram com bots' });
const rows = () => table().locator('tbody tr');
const historyDialog = () => page.getByRole('dialog', { name: `Histórico com o bot de ${CUSTOMER.name}` });

/**
 * Starts the flow for the customer's chat, as a batch run for a client. The
 * chat must have no attendance open (409 `attendance_open`): the demo queues
 * a new customer's chat for people, so that attendance is closed first.
 * @param {string} flowId
 * @param {string} conversationId
 */
async function startFlow(flowId, conversationId) {
  const conv = await admin.call('GET', `/conversations/${conversationId}`);
  if (conv.attendance_open) await admin.call('POST', `/conversations/${conversationId}/close`, {});
  return admin.call('POST', `/flows/${flowId}/start`, {
    conversation_id: conversationId,
    batch: BATCH,
    client: CLIENT,
  });
}

describe('Fluxo Ágil report (RP-3)', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);

    // The demo has no batch runs: a flow is imported and started for a customer's chat.
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: `Olá ${tag}` });
    const chat = await eventually(async () => {
      const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(CUSTOMER.name)}&limit=20`);
      return list.items.find((/** @type {any} */ c) => c.contact?.name === CUSTOMER.name);
    }, "the customer's chat");
    const imported = await admin.call('POST', '/flows/import', {
      document: {
        schema: 1,
        name: FLOW,
        start: 'aviso',
        steps: { aviso: { type: 'send', content: { kind: 'text', text: BOT_TEXT } } },
      },
    });
    const started = await startFlow(imported.flow.id, chat.id);
    assert.equal(started.status, 'started');
    row = await eventually(async () => {
      const found = await admin.call('GET', `/reports/agile?batch=${encodeURIComponent(BATCH)}`);
      return found.items.find((/** @type {any} */ r) => r.name === CUSTOMER.name && r.messages > 0);
    }, "the customer's row with the bot's message");

    page = await signedInPage(browser, appUrl, USERS.admin);
  });

  after(cleanup);

  step('"Relatório Fluxo Ágil" opens with its period, lists and columns', async () => {
    await openReportManager(page);
    await page.getByLabel('Tipo de relatório').selectOption({ label: KIND });
    await page.getByText(HINT).waitFor();

    // "Período": the last 31 days through today, as the server searches by default.
    const period = bar().getByRole('group', { name: 'Período' });
    assert.equal(await period.getByLabel('Data inicial').inputValue(), brasiliaDate(-30));
    assert.equal(await period.getByLabel('Data final').inputValue(), brasiliaDate(0));
    for (const [label, all] of [
      ['Cliente', 'Todos'],
      ['Campanha', 'Todas'],
      ['Lote', 'Todos'],
    ]) {
      const select = bar().getByLabel(label, { exact: true });
      assert.equal(await select.locator('option:checked').textContent(), all);
    }

    await rows().first().waitFor();
    const headers = (await table().locator('thead th').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers, HEADERS);
    await saveShot(page, 'report-agile-list', { fullPage: true });
  });

  step('a period over 31 days is refused in the server’s words', async () => {
    const period = bar().getByRole('group', { name: 'Período' });
    await period.getByLabel('Data inicial').fill(brasiliaDate(-39));
    await bar().getByRole('alert').filter({ hasText: RANGE_TOO_LONG }).waitFor();
    assert.equal(await period.getByLabel('Data inicial').getAttribute('aria-invalid'), 'true');
    // "Buscar" does not ask the server, which words it the same.
    await bar().getByRole('button', { name: 'Buscar' }).click();
    assert.equal(await period.getByLabel('Data inicial').evaluate((el) => el === document.activeElement), true);
    await assert.rejects(
      admin.call('GET', `/reports/agile?from=${brasiliaDate(-39)}&to=${brasiliaDate(0)}`),
      (/** @type {Error} */ e) => e.message.includes('422') && e.message.includes(RANGE_TOO_LONG),
    );
    await saveShot(page, 'report-agile-range-error');
    // 31 days are fine.
    await period.getByLabel('Data inicial').fill(brasiliaDate(-30));
    await bar().getByRole('alert').waitFor({ state: 'detached' });
  });

  step('the lists offer the period’s batch and client; "Buscar" finds the row', async () => {
    const batch = bar().getByLabel('Lote', { exact: true });
    await batch.locator('option', { hasText: BATCH }).waitFor({ state: 'attached' });
    await batch.selectOption({ label: BATCH });
    const client = bar().getByLabel('Cliente', { exact: true });
    await client.locator('option', { hasText: CLIENT }).waitFor({ state: 'attached' });
    await client.selectOption({ label: CLIENT });
    await bar().getByRole('button', { name: 'Buscar' }).click();

    await eventually(async () => (await rows().count()) === 1, 'only the row of the batch');
    const cells = (await rows().first().locator('td').allTextContents()).map((c) => c.trim());
    assert.deepEqual(cells.slice(0, 8), [
      BATCH,
      CUSTOMER.name,
      row.document ?? '—',
      row.phone_display ?? '—',
      row.email ?? '—',
      FLOW,
      '1',
      String(row.messages),
    ]);
    assert.ok(row.messages >= 1, 'the bot’s message is counted');
    await page.getByRole('navigation', { name: 'Páginas do relatório' }).getByText('1–1 de 1').waitFor();
    await saveShot(page, 'report-agile-search');
  });

  step('💬 opens the history with the bot, the contact and the bot on their sides', async () => {
    const open = rows().first().getByRole('button', { name: `Ver histórico com o bot de ${CUSTOMER.name}` });
    await open.click();
    const dialog = historyDialog();
    await dialog.waitFor();
    const facts = dialog.locator('dl');
    await facts.getByText(FLOW, { exact: true }).waitFor();
    await facts.getByText(BATCH, { exact: true }).waitFor();
    const transcript = dialog.getByRole('list', { name: 'Mensagens entre o contato e o bot' });
    const bot = transcript.locator('li[data-author="bot"]').filter({ hasText: BOT_TEXT });
    await bot.waitFor();
    assert.ok(((await bot.getAttribute('class')) ?? '').includes('right'));
    await bot.locator('time').waitFor();
    await saveShot(page, 'report-agile-history');

    await dialog.getByRole('button', { name: 'Fechar' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Back to the 💬 that opened it.
    assert.equal(await open.evaluate((el) => el === document.activeElement), true);
  });

  step('"Exportar CSV" lists the spreadsheet; its download has the seed’s columns', async () => {
    await page.getByRole('group', { name: 'Exportar' }).getByRole('button', { name: 'Exportar CSV' }).click();
    await page.getByText('Exportação solicitada.').waitFor();
    const report = page
      .locator('tr[data-report-id]')
      .filter({ hasText: /Fluxo Ágil \(.+\) — CSV/ })
      .first();
    const link = report.getByRole('link', { name: new RegExp(`^${EXPORT_READY}`) });
    await link.waitFor({ timeout: 90_000 });
    await report.scrollIntoViewIfNeeded();
    await saveShot(page, 'report-agile-export');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^fluxo-agil-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const [header, ...lines] = bytes.subarray(3).toString('utf8').split(/\r?\n/);
    assert.equal(header, 'Lote;Nome;CPF/CNPJ;Telefone;Email;Fluxo;Conversas;Mensagens');
    // The export has the rows of the search: the batch and client chosen.
    const data = lines.filter((l) => l.trim());
    assert.equal(data.length, 1, data.join('\n'));
    assert.ok(data[0]?.startsWith(`${BATCH};${CUSTOMER.name};`), data[0]);
    assert.ok(data[0]?.endsWith(`;${FLOW};1;${row.messages}`), data[0]);

    const listed = await admin.call('GET', '/reports');
    const exported = listed.find((/** @type {any} */ r) => r.kind === 'agile');
    assert.equal(exported?.message, EXPORT_READY);
  });
});
