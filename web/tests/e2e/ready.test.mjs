// The tab counters (LC-1) pushed over the socket, never polled, and the
// ready responses (LC-20): an admin creates a category and a response with
// `{nome}` on "Respostas prontas" (the 30-character title limit refused in
// the form), and Ana, in another browser, gets it live in the composer's `/`
// suggestions, inserts it with Enter and sends it with the name filled in.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sleep,
  startAtende,
  startPreview,
  USERS,
  step as stepOn,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const CATEGORY = `Saudações ${tag}`;
const TITLE = `Saudação ${tag}`;
const LONG_TITLE = `Saudação de boas-vindas muito longa ${tag}`;
const TEXT = `Olá {nome}, aqui é a Ana (${tag}).`;
const VIEWS = /** @type {const} */ (['all', 'open', 'mine', 'in_service']);

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
let appUrl = '';
/** Ana's console. @type {import('playwright-core').Page} */
let ana;
/** The admin's "Respostas prontas" page. @type {import('playwright-core').Page} */
let adminPage;
/** The page a failing step screenshots. @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let anaApi;
/** Requests Ana's page made to GET /conversations/counts. */
let countsRequests = 0;
/** The chat assigned to Ana, where she sends the ready response. */
/** @type {any} */
let chat = null;

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => current, body);

/** @param {string} name */
const shot = (name) => saveShot(current, `ready-${name}`);

/** @param {string} email */
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  await loginInBrowser(p, appUrl, email);
  await p.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return p;
}

/**
 * The numbers the four tabs show (null where none is shown).
 * @returns {Promise<Record<string, number | null>>}
 */
function shownCounts() {
  return ana.evaluate((views) => {
    /** @type {Record<string, number | null>} */
    const out = {};
    for (const v of views) {
      const n = document.querySelector(`#tab-${v} .count`)?.getAttribute('data-count');
      out[v] = n == null ? null : Number(n);
    }
    return out;
  }, VIEWS);
}

const composer = () => ana.getByLabel('Mensagem', { exact: true });
const suggestions = () => ana.getByRole('listbox', { name: 'Sugestões de respostas prontas' });

describe('tab counters and ready responses', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    anaApi = await apiSession(atende.url, USERS.ana);
  });

  after(cleanup);

  step('the tabs show the counts the API gives Ana, pushed over the socket', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'pt-BR' });
    ana = await context.newPage();
    ana.setDefaultTimeout(15_000);
    current = ana;
    ana.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/conversations/counts') countsRequests++;
    });
    await loginInBrowser(ana, appUrl, USERS.ana);
    await ana.getByRole('button', { name: 'Menu do usuário' }).waitFor();
    await ana.locator('#tab-mine .count').waitFor();
    // Customers keep writing: compare until both sides agree on one moment.
    let last = '';
    let matched = false;
    for (let i = 0; i < 30 && !matched; i++) {
      const api = await anaApi.call('GET', '/conversations/counts');
      const shown = await shownCounts();
      last = `api ${JSON.stringify(api)} shown ${JSON.stringify(shown)}`;
      matched = VIEWS.every((v) => shown[v] === api[v]);
      if (!matched) await sleep(500);
    }
    assert.ok(matched, `the tabs never showed the API's counts: ${last}`);
    const shown = await shownCounts();
    assert.ok(
      VIEWS.every((v) => typeof shown[v] === 'number'),
      `every tab shows a number: ${JSON.stringify(shown)}`,
    );
    // The number is part of the tab's accessible name.
    await ana.getByRole('tab', { name: `Meus chats, ${shown.mine}`, exact: true }).waitFor();
    await shot('counters');
  });

  step('"Meus chats" grows live when the admin assigns Ana a chat, without polling', async () => {
    const anaId = anaApi.user.id;
    const listed = await admin.call('GET', '/conversations?view=all&limit=200');
    chat = listed.items.find(
      (/** @type {any} */ c) =>
        c.channel === 'whatsapp' && c.attendance_open && c.agent_id !== anaId && c.window !== 'expired',
    );
    assert.ok(chat, 'no open WhatsApp chat to assign');
    await ana.evaluate(() => Object.assign(window, { __noReload: true }));
    const before = await anaApi.call('GET', '/conversations/counts');
    const requestsBefore = countsRequests;
    await admin.call('POST', `/conversations/${chat.id}/assign`, { agent_id: anaId, confirm: true });
    await ana.waitForFunction(
      (n) => Number(document.querySelector('#tab-mine .count')?.getAttribute('data-count')) > n,
      before.mine,
    );
    const after = await anaApi.call('GET', '/conversations/counts');
    assert.ok(after.mine > before.mine, `API mine ${before.mine} → ${after.mine}`);
    assert.equal(await ana.evaluate(() => /** @type {any} */ (window).__noReload), true, 'the page reloaded');
    // Numbers keep coming from the socket only: no GET /counts in 5 s (nor before).
    await sleep(5_000);
    assert.equal(countsRequests - requestsBefore, 0, 'GET /conversations/counts was polled');
    assert.equal(countsRequests, 0, 'GET /conversations/counts was read although the socket was up');
  });

  step('Ana\'s "/" suggestions offer /interna and nothing for an unknown title yet', async () => {
    await ana.goto(`${appUrl}?chat=${chat.id}`);
    await ana.getByRole('region', { name: 'Conversa' }).locator('h2', { hasText: chat.contact.name }).waitFor();
    await composer().fill('/int');
    await suggestions().waitFor();
    // Esc closes the list and leaves the text; a new "/" opens it again.
    await composer().press('Escape');
    await suggestions().waitFor({ state: 'detached' });
    assert.equal(await composer().inputValue(), '/int');
    await composer().fill('');
    await composer().fill('/int');
    await suggestions().waitFor();
    const first = suggestions().getByRole('option').first();
    assert.match(await first.innerText(), /Mensagem interna/);
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    await composer().press('Enter');
    assert.equal(await composer().inputValue(), '/interna ');
    await suggestions().waitFor({ state: 'detached' });
    // Accent-insensitive: "saudacao" will match "Saudação …" once it exists.
    await composer().fill(`/saudacao ${tag}`);
    await sleep(300);
    assert.equal(await suggestions().count(), 0, 'a suggestion before the response exists');
  });

  step('the admin creates a category and a response with {nome}; a long title is refused', async () => {
    adminPage = await signedIn(USERS.admin);
    current = adminPage;
    await adminPage.getByRole('button', { name: 'Menu do usuário' }).click();
    await adminPage.getByRole('menuitem', { name: 'Administração' }).click();
    await adminPage
      .getByRole('navigation', { name: 'Páginas de administração' })
      .getByRole('link', { name: 'Respostas prontas' })
      .click();
    await adminPage.getByRole('heading', { level: 1, name: 'Respostas prontas' }).waitFor();
    assert.equal(new URL(adminPage.url()).pathname, '/admin/ready-responses');

    await adminPage.getByRole('button', { name: 'Nova categoria' }).click();
    let dialog = adminPage.getByRole('dialog', { name: 'Nova categoria' });
    await dialog.getByLabel('Nome da categoria').fill(CATEGORY);
    await dialog.getByText(`${[...CATEGORY].length} de 60 caracteres`).waitFor();
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await adminPage.getByRole('heading', { level: 2, name: CATEGORY }).waitFor();

    await adminPage.getByRole('button', { name: `Nova resposta: ${CATEGORY}` }).click();
    dialog = adminPage.getByRole('dialog', { name: `Nova resposta em ${CATEGORY}` });
    await dialog.getByLabel('Título da resposta').fill(LONG_TITLE);
    await dialog.getByLabel('Resposta pronta').fill(TEXT);
    await dialog.getByText(`${[...LONG_TITLE].length} de 30 caracteres — Acima do limite de 30 caracteres.`).waitFor();
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'O campo título aceita no máximo 30 caracteres.' }).waitFor();
    assert.equal(await dialog.getByLabel('Título da resposta').inputValue(), LONG_TITLE, 'the input is kept');
    await shot('title-limit');

    await dialog.getByLabel('Título da resposta').fill(TITLE);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    const section = adminPage.getByRole('region', { name: CATEGORY });
    await section.getByRole('cell', { name: TITLE, exact: true }).waitFor();
    await section.getByRole('cell', { name: TEXT, exact: true }).waitFor();
    const listed = await admin.call('GET', '/ready-responses');
    const category = listed.find((/** @type {any} */ c) => c.name === CATEGORY);
    assert.deepEqual(
      category.responses.map((/** @type {any} */ r) => [r.title, r.text]),
      [[TITLE, TEXT]],
    );
    await shot('admin-page');
  });

  step('Ana gets it live in the "/" suggestions, inserts it with Enter and sends it filled in', async () => {
    current = ana;
    // ready_responses.changed reloads the list under the query she typed.
    const option = suggestions().getByRole('option', { name: new RegExp(TITLE) });
    await option.waitFor();
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await shot('suggestions');
    await composer().press('Enter');
    assert.equal(await composer().inputValue(), TEXT, 'the /query gives way to the text, {nome} kept');
    await suggestions().waitFor({ state: 'detached' });
    await composer().press('Enter');
    const filled = TEXT.replace('{nome}', chat.contact.name);
    await ana.getByRole('region', { name: 'Conversa' }).locator('article.bubble', { hasText: filled }).waitFor();
    const messages = await admin.call('GET', `/conversations/${chat.id}/messages?limit=50`);
    assert.ok(
      messages.items.some((/** @type {any} */ m) => m.direction === 'out' && m.text === filled),
      `no message "${filled}"`,
    );
  });

  step('the "Respostas prontas" button lists them by category and inserts at the caret', async () => {
    await composer().fill('Bom dia! ');
    await ana.getByRole('button', { name: 'Respostas prontas' }).click();
    const dialog = ana.getByRole('dialog', { name: 'Respostas prontas' });
    await dialog.getByLabel('Buscar resposta pronta').fill(`saudacoes ${tag}`);
    await dialog.getByRole('heading', { level: 3, name: CATEGORY }).waitFor();
    await dialog.getByRole('button', { name: new RegExp(TITLE) }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await composer().inputValue(), `Bom dia! ${TEXT}`);
    await composer().fill('');
  });

  step('the admin moves the response, renames and deletes categories; a duplicate name is refused', async () => {
    current = adminPage;
    const OTHER = `Entrega ${tag}`;
    await adminPage.getByRole('button', { name: 'Nova categoria' }).click();
    let dialog = adminPage.getByRole('dialog', { name: 'Nova categoria' });
    // 409: the name is taken; the form says so and keeps the input.
    await dialog.getByLabel('Nome da categoria').fill(CATEGORY);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Já existe uma categoria com este nome.' }).waitFor();
    await dialog.getByLabel('Nome da categoria').fill(OTHER);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Move the response to the new category.
    await adminPage.getByRole('region', { name: CATEGORY }).getByRole('button', { name: `Editar ${TITLE}` }).click();
    dialog = adminPage.getByRole('dialog', { name: `Editar a resposta ${TITLE}` });
    await dialog.getByLabel('Categoria').selectOption({ label: OTHER });
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await adminPage.getByRole('region', { name: OTHER }).getByRole('cell', { name: TITLE, exact: true }).waitFor();
    await adminPage.getByRole('region', { name: CATEGORY }).getByText('Nenhuma resposta pronta nesta categoria.').waitFor();

    // Rename, then delete the category with its response (the dialog warns).
    await adminPage.getByRole('button', { name: `Renomear ${OTHER}` }).click();
    dialog = adminPage.getByRole('dialog', { name: `Renomear a categoria ${OTHER}` });
    const RENAMED = `Entregas ${tag}`;
    await dialog.getByLabel('Nome da categoria').fill(RENAMED);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await adminPage.getByRole('button', { name: `Excluir ${RENAMED}` }).click();
    dialog = adminPage.getByRole('dialog', { name: `Excluir ${RENAMED}?` });
    await dialog.getByText('A categoria e as respostas prontas dela (1) serão excluídas.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Excluir' }).click();
    await dialog.waitFor({ state: 'detached' });
    await adminPage.getByRole('heading', { level: 2, name: RENAMED }).waitFor({ state: 'detached' });
    const listed = await admin.call('GET', '/ready-responses');
    assert.ok(!listed.some((/** @type {any} */ c) => c.name === RENAMED || c.name === OTHER), 'category not deleted');
    assert.ok(
      !listed.some((/** @type {any} */ c) => c.responses.some((/** @type {any} */ r) => r.title === TITLE)),
      'its response was not deleted',
    );
  });

  step('an agent may only view "Respostas prontas" and gets no "Administração" entry', async () => {
    current = ana;
    await ana.getByRole('button', { name: 'Menu do usuário' }).click();
    assert.equal(await ana.getByRole('menuitem', { name: 'Administração' }).count(), 0);
    await ana.keyboard.press('Escape');
    await ana.goto(`${appUrl}admin/ready-responses`);
    await ana.getByRole('heading', { level: 1, name: 'Respostas prontas' }).waitFor();
    await ana.getByText('Você pode consultar esta página, mas não alterá-la.').waitFor();
    await ana.getByRole('heading', { level: 2, name: CATEGORY }).waitFor();
    assert.equal(await ana.getByRole('button', { name: 'Nova categoria' }).count(), 0);
    assert.equal(await ana.getByRole('button', { name: /^Renomear|^Excluir|^Nova resposta/ }).count(), 0);
  });
});
