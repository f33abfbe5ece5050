// The conversations report (RP-2, seed 001) in the report manager:
// "Relatório de conversas" opens with the latest sessions (session code,
// phone and name, date, "Abrir conversa"); "Filtros" narrows them — a
// period over 31 days is refused in the server's words, a protocol taken
// from a row finds its session, the channel too — each active filter a
// removable chip; a session's conversation opens with its messages (internal
// notes on demand) and makes its PDF; "Exportar CSV" lists a spreadsheet
// whose download is UTF-8 with a BOM, `;`-separated, as Excel in Portuguese
// opens it.
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
/** A customer of this run only, with a conversation today. */
const CUSTOMER = { name: `Cliente Conversas ${tag}`, phone: `55119${digits()}` };
const FIRST = `Olá, preciso de ajuda com o pedido ${tag}.`;
const REPLY = `Claro! Já verifico o pedido ${tag}.`;
const NOTE = `Nota interna ${tag}`;

const HINT =
  'Pesquise os atendimentos do digital, humanos e do atendente virtual, filtrando por critérios personalizados e exportando conversas completas.';
const RANGE_TOO_LONG = 'O intervalo de tempo não pode ultrapassar 31 dias.';
const SESSION_READY = 'Baixar PDF da sessão';
const EXPORT_READY = 'Baixar planilha';

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
/** The customer's session, as the API lists it. */
/** @type {any} */
let session;

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const rows = () => page.locator('tr[data-session-id]');
const customerRow = () => rows().filter({ hasText: CUSTOMER.name });
const filtersDialog = () => page.getByRole('dialog', { name: 'Filtrar o relatório de conversas' });

/** Opens "Filtros" and waits for its dialog. */
async function openFilters() {
  await page.getByRole('button', { name: /^Filtros/ }).click();
  await filtersDialog().waitFor();
  return filtersDialog();
}

describe('conversations report (RP-2)', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);

    // The customer writes; a person answers and leaves an internal note.
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: FIRST });
    const chat = await eventually(async () => {
      const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(CUSTOMER.name)}&limit=20`);
      return list.items.find((/** @type {any} */ c) => c.contact.name === CUSTOMER.name);
    }, "the customer's chat");
    await admin.call('POST', `/conversations/${chat.id}/messages`, { text: REPLY });
    await admin.call('POST', `/conversations/${chat.id}/messages`, { text: NOTE, internal: true });
    session = await eventually(async () => {
      const found = await admin.call('GET', `/reports/conversations?contact=${encodeURIComponent(CUSTOMER.name)}`);
      return found.items[0];
    }, "the customer's session");

    page = await signedInPage(browser, appUrl, USERS.admin);
  });

  after(cleanup);

  step('"Relatório de conversas" opens with the latest sessions', async () => {
    await openReportManager(page);
    await page.getByLabel('Tipo de relatório').selectOption({ label: 'Relatório de conversas' });
    await page.getByText(HINT).waitFor();
    // No period of the manager's: the report has its own among its filters.
    assert.equal(await page.getByLabel('Data inicial').count(), 0);

    const table = page.getByRole('table', { name: 'Sessões' });
    const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers, [
      'Sessão',
      'Data',
      'Canal',
      'Transbordada',
      'Protocolos',
      'Etiquetas',
      'Mensagens',
      'Ação',
    ]);
    const row = customerRow();
    await row.waitFor();
    assert.equal(await row.getAttribute('data-session-id'), session.id);
    const cells = row.locator('td');
    const who = (await cells.nth(0).textContent()) ?? '';
    assert.ok(who.includes(session.id), who);
    assert.ok(who.includes(session.phone_display), who);
    assert.match((await cells.nth(1).textContent()) ?? '', /\d{2}\/\d{2}\/\d{4}/);
    assert.equal((await cells.nth(2).textContent())?.trim(), 'WhatsApp');
    assert.equal(
      (await cells.nth(3).textContent())?.trim(),
      session.handed_over ? 'Atendimento humano' : 'Somente bot',
    );
    assert.equal((await cells.nth(4).textContent())?.trim(), session.protocols.join('') || '—');
    assert.equal((await cells.nth(6).textContent())?.trim(), String(session.messages));
    // The button names the session's contact for screen readers.
    await row.getByRole('button', { name: new RegExp(`^Abrir conversa\\s*: ${CUSTOMER.name}$`) }).waitFor();
    await saveShot(page, 'report-conversations-list', { fullPage: true });
  });

  step('a range over 31 days is refused in the server’s words, and the dialog stays open', async () => {
    const dialog = await openFilters();
    await dialog.getByLabel('Data inicial').fill(brasiliaDate(-39));
    await dialog.getByLabel('Data final').fill(brasiliaDate(0));
    await dialog.getByRole('button', { name: 'Aplicar filtros' }).click();
    await dialog.getByRole('alert').filter({ hasText: RANGE_TOO_LONG }).waitFor();
    // The server words it the same.
    await assert.rejects(
      admin.call('GET', `/reports/conversations?from=${brasiliaDate(-39)}&to=${brasiliaDate(0)}`),
      (/** @type {Error} */ e) => e.message.includes('422') && e.message.includes(RANGE_TOO_LONG),
    );
    await saveShot(page, 'report-conversations-range-error');
    // 31 days are fine.
    await dialog.getByLabel('Data inicial').fill(brasiliaDate(-30));
    await dialog.getByRole('button', { name: 'Aplicar filtros' }).click();
    await filtersDialog().waitFor({ state: 'detached' });
    await page.getByRole('list', { name: 'Filtros aplicados' }).getByText(/^Intervalo de tempo: /).waitFor();
    await customerRow().waitFor();
  });

  step('a protocol taken from a row finds its session, shown as a removable chip', async () => {
    assert.ok(session.protocols.length > 0, 'the customer’s session has a protocol');
    const protocol = session.protocols[0];
    const dialog = await openFilters();
    // A protocol not of 17 digits: said before asking the server.
    await dialog.getByLabel('Protocolo').fill('123');
    await dialog.getByRole('button', { name: 'Aplicar filtros' }).click();
    await dialog.getByRole('alert').filter({ hasText: /^Protocolo inválido: os protocolos têm 17 números/ }).waitFor();
    await dialog.getByLabel('Protocolo').fill(protocol);
    await dialog.getByRole('button', { name: 'Aplicar filtros' }).click();
    await filtersDialog().waitFor({ state: 'detached' });

    const chips = page.getByRole('list', { name: 'Filtros aplicados' });
    await chips.getByText(`Protocolo: ${protocol}`).waitFor();
    await eventually(async () => (await rows().count()) === 1, 'only the session of the protocol');
    assert.equal(await rows().first().getAttribute('data-session-id'), session.id);

    await chips.getByRole('button', { name: `Remover o filtro Protocolo: ${protocol}` }).click();
    await chips.getByText(`Protocolo: ${protocol}`).waitFor({ state: 'detached' });
    await customerRow().waitFor();
  });

  step('the channel filter keeps the WhatsApp sessions, and "Limpar filtros" clears every filter', async () => {
    const dialog = await openFilters();
    await dialog.getByLabel('Canais').selectOption({ label: 'WhatsApp' });
    await dialog.getByRole('button', { name: 'Aplicar filtros' }).click();
    await filtersDialog().waitFor({ state: 'detached' });
    const chips = page.getByRole('list', { name: 'Filtros aplicados' });
    await chips.getByText('Canais: WhatsApp').waitFor();
    await customerRow().waitFor();
    for (const channel of await rows().locator('td:nth-child(3)').allTextContents()) {
      assert.equal(channel.trim(), 'WhatsApp');
    }
    await page.getByRole('button', { name: 'Limpar filtros' }).click();
    await chips.waitFor({ state: 'detached' });
    await customerRow().waitFor();
  });

  step('"Abrir conversa" shows the messages, the internal notes on demand', async () => {
    await customerRow().getByRole('button', { name: /^Abrir conversa/ }).click();
    const dialog = page.getByRole('dialog', { name: `Conversa de ${CUSTOMER.name}` });
    await dialog.waitFor();
    await dialog.getByText(session.id).waitFor();
    const transcript = dialog.getByRole('list', { name: 'Mensagens da sessão' });
    const first = transcript.locator('li[data-author="contact"]').filter({ hasText: FIRST });
    await first.waitFor();
    assert.ok(((await first.getAttribute('class')) ?? '').includes('left'));
    const reply = transcript.locator('li[data-author="agent"]').filter({ hasText: REPLY });
    await reply.waitFor();
    assert.ok(((await reply.getAttribute('class')) ?? '').includes('right'));
    assert.equal(await transcript.getByText(NOTE).count(), 0);

    await dialog.getByLabel('Mostrar notas internas').check();
    const note = transcript.locator('li').filter({ hasText: NOTE });
    await note.waitFor();
    await note.getByText('Nota interna', { exact: true }).waitFor();
    await saveShot(page, 'report-conversations-session');
  });

  step('"Gerar PDF da sessão" lists the session’s PDF, which downloads', async () => {
    const dialog = page.getByRole('dialog', { name: `Conversa de ${CUSTOMER.name}` });
    await dialog.getByRole('button', { name: 'Gerar PDF da sessão' }).click();
    await dialog.getByText('O PDF da sessão foi solicitado').waitFor();
    await dialog.getByRole('button', { name: 'Fechar' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator('tr[data-report-id]').filter({ hasText: `Sessão de ${CUSTOMER.name}` }).first();
    const link = row.getByRole('link', { name: new RegExp(`^${SESSION_READY}`) });
    await link.waitFor({ timeout: 90_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^sessao-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
  });

  step('"Exportar CSV" lists the spreadsheet; its download is UTF-8 with a BOM and `;`-separated', async () => {
    await page.getByRole('button', { name: 'Exportar CSV' }).click();
    await page.getByText('Exportação solicitada.').waitFor();
    const row = page
      .locator('tr[data-report-id]')
      .filter({ hasText: /Relatório de conversas \(.+\) — CSV/ })
      .first();
    const link = row.getByRole('link', { name: new RegExp(`^${EXPORT_READY}`) });
    await link.waitFor({ timeout: 90_000 });
    await row.scrollIntoViewIfNeeded();
    await saveShot(page, 'report-conversations-export');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^conversas-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const [header, ...lines] = text.split(/\r?\n/);
    assert.ok(header?.startsWith('Sessão;Início;'), header);
    assert.ok(
      lines.some((l) => l.startsWith(`${session.id};`) && l.includes(CUSTOMER.name)),
      'the customer’s session is in the file',
    );

    const listed = await admin.call('GET', '/reports');
    const exported = listed.find((/** @type {any} */ r) => r.kind === 'conversations');
    assert.equal(exported?.message, EXPORT_READY);
  });
});
