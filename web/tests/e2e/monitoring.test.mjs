// Live monitoring (RP-5) and the agents' status (LC-19). The admin adds a
// pause reason under "Configurações" and opens "Monitoramento" from the
// user menu (an agent has no such entry and is refused at the address). A
// new customer's chat appears in "Tickets na fila" without a reload, its
// wait ticking; Ana answers it from her own browser and it moves to
// "Tickets em atendimento", the count going up. Ana pauses with the reason,
// then goes invisible with the header's control: Bruno (in his forward
// dialog and through the API) sees her paused, then offline, never online,
// while the admin's page counts one invisible agent. The numbers export as
// CSV, the tables sort, and a ticket's link opens its chat in the console.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  brasiliaDate,
  cleanup,
  eventually,
  launchBrowser,
  saveShot,
  sendWhatsApp,
  signedInPage,
  sleep,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const REASON = `Almoço ${tag}`;
const ANA = 'Ana (Vendas)';
// Numbers none of the demo's simulated customers use: new contacts.
const CUSTOMER = { phone: `55119${String(Date.now()).slice(-8)}`, name: `Dora Monitor ${tag}` };
const OTHER = { phone: `55118${String(Date.now()).slice(-8)}`, name: `Otto Monitor ${tag}` };

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
let appUrl = '';
/** The admin's page (monitoring). */
/** @type {import('playwright-core').Page} */
let page;
/** @type {import('playwright-core').Page} */
let ana;
/** @type {import('playwright-core').Page} */
let bruno;
/** The page `step` screenshots on failure. */
/** @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let brunoApi;
/** The new customer's chat. */
let chatId = '';
let anaId = '';

/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => current, body);

const queued = () => page.locator(`#monitor-queued tr[data-conversation-id="${chatId}"]`);
const inService = () => page.locator(`#monitor-in-service tr[data-conversation-id="${chatId}"]`);
/** @param {string} id */
const number = async (id) => Number(await page.getByTestId(id).innerText());
/** @param {import('playwright-core').Page} p */
const statusButton = (p) => p.getByRole('button', { name: /^Seu status:/ });
/** Ana as Bruno's `GET /agents` shows her. */
const anaForBruno = async () => (await brunoApi.call('GET', '/agents')).find((/** @type {any} */ a) => a.id === anaId);

/**
 * The open chat of a contact, once the server has it.
 * @param {string} name
 */
async function chatOf(name) {
  const chat = await eventually(async () => {
    const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(name)}&limit=20`);
    return list.items.find((/** @type {any} */ c) => c.contact.name === name && c.attendance_open);
  }, `the chat of ${name}`);
  return chat.id;
}

describe('monitoring and status', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    brunoApi = await apiSession(atende.url, USERS.bruno);
    anaId = (await apiSession(atende.url, USERS.ana)).user.id;
    page = await signedInPage(browser, appUrl, USERS.admin);
    current = page;
  });

  after(cleanup);

  step('the admin adds a pause reason under "Configurações"', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Administração' }).click();
    await page
      .getByRole('navigation', { name: 'Páginas de administração' })
      .getByRole('link', { name: 'Configurações' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Configurações' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/settings');
    // The header's status control is on the admin pages too.
    await statusButton(page).waitFor();
    await page.getByText('Nenhum motivo de pausa.').waitFor();
    const input = page.getByLabel('Novo motivo de pausa');
    await input.fill(REASON);
    await input.press('Enter');
    await page.getByTestId('pause-reasons').getByText(REASON).waitFor();
    // The same reason again, in other case: refused before saving.
    await input.fill(REASON.toUpperCase());
    await page.getByRole('button', { name: 'Adicionar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Este motivo já está na lista.' }).waitFor();
    await input.fill('');
    await page.getByLabel('Minutos até o agente contar como ausente').fill('10');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('status').filter({ hasText: 'Configurações salvas.' }).waitFor();
    const settings = await admin.call('GET', '/settings');
    assert.deepEqual(settings.pause_reasons, [REASON]);
    assert.equal(settings.away_minutes, 10);
    await saveShot(page, 'monitoring-settings');
  });

  step('"Monitoramento" in the user menu opens the live page', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Monitoramento' }).click();
    await page.getByRole('heading', { level: 1, name: 'Monitoramento' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/monitoring');
    await page.locator('[data-testid="monitor-status"][data-state="live"]').waitFor();
    await page.getByText('Ao vivo', { exact: true }).waitFor();
    for (const id of ['queue-count', 'queue-longest', 'in-service-count', 'agents-invisible', 'today-total']) {
      await page.getByTestId(id).waitFor();
    }
    for (const id of ['monitor-in-service', 'monitor-queued', 'monitor-agents', 'monitor-tags']) {
      await page.locator(`table#${id}`).waitFor();
    }
    // The charts, each with its text alternative.
    await page.getByRole('img', { name: /^Gráfico de barras dos tickets de cada hora de hoje/ }).locator('canvas').waitFor();
    await page.getByRole('img', { name: /^Gráfico de linha do tempo médio até primeira resposta/ }).waitFor();
    // A mark that goes away with a reload.
    await page.evaluate(() => Object.assign(window, { monitoringLoaded: true }));
  });

  step('an agent without the analytics capability has no entry and is refused at /monitoring', async () => {
    ana = await signedInPage(browser, appUrl, USERS.ana);
    current = ana;
    await ana.getByRole('button', { name: 'Menu do usuário' }).click();
    await ana.getByRole('menuitem', { name: 'Meu perfil' }).waitFor();
    assert.equal(await ana.getByRole('menuitem', { name: 'Monitoramento' }).count(), 0);
    await ana.keyboard.press('Escape');
    await ana.goto(new URL('/monitoring', appUrl).href);
    await ana
      .getByRole('alert')
      .filter({ hasText: 'Você não tem permissão para ver o monitoramento.' })
      .waitFor();
    assert.equal(await ana.locator('#monitor-queued').count(), 0);
  });

  step("a new customer's chat appears in \"Tickets na fila\" without a reload", async () => {
    current = page;
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'Oi, quero falar com alguém.' });
    chatId = await chatOf(CUSTOMER.name);
    await queued().waitFor({ timeout: 10_000 });
    assert.match(await queued().innerText(), new RegExp(CUSTOMER.name));
    // The card counts what the table lists.
    await eventually(
      async () => (await number('queue-count')) === (await page.locator('#monitor-queued tbody tr[data-conversation-id]').count()),
      'the queue count to match the queue table',
    );
    assert.ok((await number('queue-count')) >= 1);
  });

  step('its wait ticks in the browser', async () => {
    const wait = queued().getByTestId('waiting');
    const longest = page.getByTestId('queue-longest');
    const [before, beforeLongest] = [await wait.innerText(), await longest.innerText()];
    assert.match(before, /^\d+ s$|^\d+ min \d{2} s$/);
    await sleep(2_200);
    assert.notEqual(await wait.innerText(), before, 'the wait did not tick');
    assert.notEqual(await longest.innerText(), beforeLongest, 'the longest wait did not tick');
  });

  step('the number selector narrows the page to one inbox, and back', async () => {
    const scope = page.getByLabel('Número', { exact: true });
    const inboxes = await admin.call('GET', '/inboxes');
    const telegram = inboxes.find((/** @type {any} */ i) => i.channel === 'telegram');
    const whatsapp = inboxes.find((/** @type {any} */ i) => i.name === 'WhatsApp da Loja');
    assert.ok(telegram && whatsapp, 'the demo has a Telegram and a WhatsApp inbox');
    await scope.selectOption({ label: telegram.name });
    await queued().waitFor({ state: 'detached' });
    assert.match(await page.getByTestId('export-csv').getAttribute('href') ?? '', new RegExp(`inbox_id=${telegram.id}`));
    await scope.selectOption({ label: whatsapp.name });
    await queued().waitFor();
    await scope.selectOption({ label: 'Todos os números' });
    await queued().waitFor();
    await page.locator('[data-testid="monitor-status"][data-state="live"]').waitFor();
  });

  step('Ana answers it from her browser: it leaves the queue for "Tickets em atendimento"', async () => {
    const before = await number('in-service-count');
    current = ana;
    await ana.goto(new URL(`/?chat=${chatId}`, appUrl).href);
    const pane = ana.getByRole('region', { name: 'Conversa' });
    await pane.locator('h2', { hasText: CUSTOMER.name }).waitFor();
    const composer = ana.getByLabel('Mensagem', { exact: true });
    await composer.fill(`Olá! Aqui é a Ana, já vou ajudar (${tag}).`);
    await composer.press('Enter');
    await pane.getByText('Agente: Ana (Vendas)').waitFor();

    current = page;
    await inService().waitFor({ timeout: 10_000 });
    await queued().waitFor({ state: 'detached' });
    const row = await inService().innerText();
    assert.match(row, new RegExp(CUSTOMER.name));
    assert.match(row, /Ana \(Vendas\)/);
    // Ana replied: it no longer waits for a first reply.
    assert.equal(await inService().getAttribute('data-awaiting-first'), null);
    await eventually(async () => (await number('in-service-count')) > before, 'the in-service count to go up');
    assert.equal(await page.evaluate(() => 'monitoringLoaded' in window), true, 'the page was reloaded');
  });

  step('Ana pauses with the reason from the header, by keyboard; Bruno sees it', async () => {
    // Bruno, in his console, opens the forward dialog of another new chat.
    await sendWhatsApp(atende.url, { from: OTHER.phone, name: OTHER.name, text: 'Bom dia!' });
    const otherId = await chatOf(OTHER.name);
    bruno = await signedInPage(browser, appUrl, USERS.bruno);
    current = bruno;
    await bruno.goto(new URL(`/?chat=${otherId}`, appUrl).href);
    const pane = bruno.getByRole('region', { name: 'Conversa' });
    await pane.locator('h2', { hasText: OTHER.name }).waitFor();
    await pane.locator('header').getByRole('button', { name: 'Encaminhar', exact: true }).click();
    const dialog = bruno.getByRole('dialog', { name: 'Encaminhar conversa' });
    const anaChoice = dialog.locator('label.choice', { hasText: ANA });
    await anaChoice.getByText('Online', { exact: false }).waitFor();

    current = ana;
    const pausedBefore = await number('agents-paused');
    const button = statusButton(ana);
    assert.equal(await button.getAttribute('aria-label'), 'Seu status: Online');
    await button.focus();
    await ana.keyboard.press('Enter');
    const menu = ana.getByRole('menu', { name: 'Mudar seu status' });
    await menu.waitFor();
    const focused = () => ana.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    // Focus starts on the status chosen now.
    assert.equal(await focused(), 'Online');
    assert.equal(await menu.getByRole('menuitemradio', { name: 'Online' }).getAttribute('aria-checked'), 'true');
    // Escape closes and gives focus back.
    await ana.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await ana.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'status-button');
    // Arrow down opens it; End goes to "Invisível", up once to the reason.
    await ana.keyboard.press('ArrowDown');
    await menu.waitFor();
    await ana.keyboard.press('End');
    assert.equal(await focused(), 'Invisível');
    await ana.keyboard.press('ArrowUp');
    assert.equal(await focused(), `Pausa: ${REASON}`);
    await saveShot(ana, 'monitoring-status-menu');
    await ana.keyboard.press('Enter');
    await ana.getByRole('button', { name: `Seu status: Pausa: ${REASON}` }).waitFor();
    await menu.waitFor({ state: 'detached' });
    assert.equal(await ana.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'status-button');

    const seen = await anaForBruno();
    assert.equal(seen.status, 'paused');
    assert.equal(seen.status_reason, REASON);
    current = bruno;
    await anaChoice.getByText(`Pausado: ${REASON}`).waitFor({ timeout: 10_000 });
    current = page;
    await eventually(async () => (await number('agents-paused')) === pausedBefore + 1, 'one more paused agent');
    await page.locator(`#monitor-agents tr[data-agent-id="${anaId}"][data-status="paused"]`).getByText(REASON).waitFor();
  });

  step('Ana goes invisible: Bruno sees her offline, never online; monitoring counts her invisible', async () => {
    current = ana;
    const invisibleBefore = await number('agents-invisible');
    await statusButton(ana).click();
    await ana.getByRole('menuitemradio', { name: 'Invisível' }).click();
    await ana.getByRole('button', { name: 'Seu status: Invisível' }).waitFor();
    // The server keeps it: a reload shows it again.
    await ana.reload();
    await ana.getByRole('button', { name: 'Seu status: Invisível' }).waitFor();

    current = bruno;
    const anaChoice = bruno.getByRole('dialog', { name: 'Encaminhar conversa' }).locator('label.choice', { hasText: ANA });
    await anaChoice.getByText('Offline').waitFor({ timeout: 10_000 });
    // For a while, both in Bruno's dialog and in the API: never online.
    for (let i = 0; i < 10; i++) {
      const seen = await anaForBruno();
      assert.equal(seen.status, 'offline', `Bruno sees Ana ${seen.status}`);
      assert.equal(seen.status_reason ?? null, null);
      assert.doesNotMatch(await anaChoice.innerText(), /Online|Pausado/);
      await sleep(300);
    }
    // Ana sees herself as she chose.
    const me = await (await ana.request.get(new URL('/api/v1/me', appUrl).href)).json();
    assert.equal(me.status, 'invisible');

    current = page;
    await eventually(async () => (await number('agents-invisible')) === invisibleBefore + 1, 'one invisible agent more');
    await page.locator(`#monitor-agents tr[data-agent-id="${anaId}"][data-status="invisible"]`).waitFor();
    // The page scrolls inside its main area: a tall window shows all of it.
    await page.setViewportSize({ width: 1360, height: 2200 });
    await saveShot(page, 'monitoring');
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  step('the tables sort by a click on a column title', async () => {
    const table = page.locator('#monitor-agents');
    const header = table.getByRole('columnheader', { name: 'Nome' });
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const names = () => table.locator('tbody tr td:first-child').allInnerTexts();
    const asc = await names();
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await names(), [...asc].reverse());
    const ended = table.getByRole('columnheader', { name: 'Encerrados hoje' });
    await ended.getByRole('button').click();
    assert.equal(await ended.getAttribute('aria-sort'), 'ascending');
    assert.equal(await header.getAttribute('aria-sort'), null);
  });

  step("\"Exportar CSV\" downloads today's numbers", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exportar CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `monitoramento-${brasiliaDate()}.csv`);
    assert.equal(await download.failure(), null);
  });

  step("a ticket's link opens its chat in the console", async () => {
    await inService().getByRole('link', { name: `Abrir o chat de ${CUSTOMER.name} (protocolo`, exact: false }).click();
    await page.getByRole('region', { name: 'Conversa' }).locator('h2', { hasText: CUSTOMER.name }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, '/');
    assert.equal(url.searchParams.get('chat'), chatId);
  });
});
