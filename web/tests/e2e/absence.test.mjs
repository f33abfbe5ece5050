// Agent absence (LC-19). Ana (an agent) turns her absence on from the user
// menu, suggesting Bruno, after the server refuses a blank message; the
// header then reminds her it is on. A customer writing to her chat gets the
// message once per attendance, with a "Falar com Bruno" button whose tap
// hands the chat to Bruno. The admin sees Ana marked away in the users list
// and turns the absence off from the row's "Ausência" action; Ana's
// reminder goes away.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  eventually,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendWhatsApp,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

const INBOX = 'WhatsApp da Loja';
const ANA = 'Ana (Vendas)';
const BRUNO = 'Bruno (Suporte)';
const MESSAGE = 'Olá! Estou de férias até o dia 20 e não consigo responder agora.';
// A number none of the demo's simulated customers uses: a new contact.
const CUSTOMER = { phone: '5511955507788', name: 'Dora Ausência' };

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let ana;
/** @type {import('playwright-core').Page} */
let page;
/** @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let anaApi;
let appUrl = '';
/** @type {{ id: string, name: string }} */
let inbox;
/** @type {{ id: string, name: string }} */
let bruno;
/** Ana's chat with the customer. */
let chatId = '';

/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => current, body);
/** @param {import('playwright-core').Page} p @param {string} name */
const shot = (p, name) => saveShot(p, `absence-${name}`);

/** @param {string} email */
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  await loginInBrowser(p, appUrl, email);
  await p.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return p;
}

/** The chat's messages, oldest first. */
const messages = async () => (await admin.call('GET', `/conversations/${chatId}/messages?limit=100`)).items;
/** @param {any} m */
const isAbsence = (m) => m.direction === 'out' && m.payload?.absence_of !== undefined;

describe('agent absence', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    anaApi = await apiSession(atende.url, USERS.ana);
    inbox = (await admin.call('GET', '/inboxes')).find((/** @type {any} */ i) => i.name === INBOX);
    assert.ok(inbox, `the demo has no inbox ${INBOX}`);
    bruno = (await admin.call('GET', '/agents')).find((/** @type {any} */ a) => a.name === BRUNO);
    assert.ok(bruno, `the demo has no ${BRUNO}`);

    // A customer writes (the bot is off: the chat waits for an agent) and
    // the chat is handed to Ana.
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'Oi, preciso de ajuda com meu pedido.' });
    const chat = await eventually(async () => {
      const list = await admin.call('GET', `/conversations?view=all&q=${encodeURIComponent(CUSTOMER.name)}&limit=20`);
      return list.items.find((/** @type {any} */ c) => c.contact.name === CUSTOMER.name && c.attendance_open);
    }, "the customer's chat");
    chatId = chat.id;
    await admin.call('POST', `/conversations/${chatId}/assign`, { agent_id: anaApi.user.id });

    ana = await signedIn(USERS.ana);
    current = ana;
  });

  after(cleanup);

  step('Ana turns her absence on from the user menu, suggesting Bruno, after a blank message is refused', async () => {
    await ana.getByRole('button', { name: 'Menu do usuário' }).click();
    await ana.getByRole('menuitem', { name: 'Ausência' }).click();
    const dialog = ana.getByRole('dialog', { name: 'Ausência', exact: true });
    // The demo has a WhatsApp and a Telegram inbox: the absence is per inbox.
    await dialog.getByLabel('Canal').selectOption({ label: INBOX });
    await dialog.getByText('Ausência desativada neste canal').waitFor();
    await dialog.getByText(/uma vez por atendimento/).waitFor();
    await dialog.getByText('Sem sugestão, o contato recebe só a mensagem.').waitFor();

    // Blank: the server's refusal is shown.
    await dialog.getByLabel('Mensagem de ausência').fill('   ');
    await dialog.getByRole('button', { name: 'Ativar ausência' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Ausência não salva: Escreva a mensagem de ausência.' }).waitFor();
    assert.deepEqual(await anaApi.call('GET', '/absences'), []);

    await dialog.getByLabel('Mensagem de ausência').fill(MESSAGE);
    await dialog.getByText(`${[...MESSAGE].length}/1024 caracteres`).waitFor();
    const suggest = dialog.getByLabel('Sugerir outro agente');
    assert.deepEqual(
      (await suggest.locator('option').allTextContents()).filter((o) => o === ANA || o === 'Nenhum'),
      ['Nenhum'],
      'Ana is not offered to herself',
    );
    await suggest.selectOption({ label: BRUNO });
    await dialog
      .getByText(`O contato recebe a mensagem com o botão "Falar com Bruno"; ao tocar nele, o chat passa para ${BRUNO}.`)
      .waitFor();
    await shot(ana, 'dialog');
    await dialog.getByRole('button', { name: 'Ativar ausência' }).click();
    await dialog.getByRole('status').filter({ hasText: `Ausência ativada em ${INBOX}.` }).waitFor();
    await dialog.getByText(/Ausência ativa desde \d{2}\/\d{2}\/\d{4}/).waitFor();
    assert.equal(await dialog.getByRole('alert').count(), 0);
    await dialog.getByRole('button', { name: 'Desativar ausência' }).waitFor();
    await dialog.getByRole('button', { name: 'Salvar' }).waitFor();

    const [absence] = await anaApi.call('GET', '/absences');
    assert.equal(absence.user_id, anaApi.user.id);
    assert.equal(absence.inbox_id, inbox.id);
    assert.equal(absence.message, MESSAGE);
    assert.equal(absence.suggested_agent_id, bruno.id);
    assert.equal(absence.suggested_agent_name, BRUNO);

    await dialog.getByRole('button', { name: 'Fechar' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The header reminds her.
    await ana.getByRole('button', { name: `Ausência ativa em ${INBOX}` }).waitFor();
    await shot(ana, 'reminder');
  });

  step('the customer gets the message once per attendance; the "Falar com Bruno" tap hands the chat to Bruno', async () => {
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'Alguém aí?' });
    const sent = await eventually(async () => (await messages()).find(isAbsence), 'the absence message in the chat');
    assert.equal(sent.text, MESSAGE);
    assert.equal(sent.kind, 'interactive');
    const button = sent.payload.interactive.action.buttons[0].reply;
    assert.equal(button.title, 'Falar com Bruno');
    await eventually(async () => {
      const out = await atende.fakeMessages();
      return out.some(
        (m) =>
          m.body?.to === CUSTOMER.phone &&
          m.body?.interactive?.body?.text === MESSAGE &&
          m.body.interactive.action.buttons[0].reply.title === 'Falar com Bruno',
      );
    }, 'the absence message at the fake WhatsApp');

    // Once per attendance.
    await sendWhatsApp(atende.url, { from: CUSTOMER.phone, name: CUSTOMER.name, text: 'Olá?' });
    await eventually(async () => (await messages()).some((/** @type {any} */ m) => m.text === 'Olá?'), 'the second message');
    assert.equal((await messages()).filter(isAbsence).length, 1);

    await sendWhatsApp(atende.url, {
      from: CUSTOMER.phone,
      name: CUSTOMER.name,
      message: { type: 'interactive', interactive: { type: 'button_reply', button_reply: button } },
    });
    await eventually(
      async () => (await admin.call('GET', `/conversations/${chatId}`)).agent_id === bruno.id,
      'the chat handed to Bruno',
    );
  });

  step('the admin sees Ana away in the users list and turns her absence off', async () => {
    page = await signedIn(USERS.admin);
    current = page;
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Administração' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(ANA.replace(/[()]/g, '\\$&')) });
    await row.getByText(`Ausente · ${INBOX}`).waitFor();
    assert.equal(await page.getByRole('row', { name: /Bruno/ }).getByText(/Ausente/).count(), 0);
    await shot(page, 'users');

    await row.getByRole('button', { name: `Ausência de ${ANA}` }).click();
    const dialog = page.getByRole('dialog', { name: `Ausência de ${ANA}` });
    await dialog.getByText(/Ausência ativa desde/).waitFor();
    assert.equal(await dialog.getByLabel('Mensagem de ausência').inputValue(), MESSAGE);
    assert.equal(await dialog.getByLabel('Sugerir outro agente').inputValue(), bruno.id);
    await dialog.getByRole('button', { name: 'Desativar ausência' }).click();
    await dialog.getByRole('status').filter({ hasText: `Ausência desativada em ${INBOX}.` }).waitFor();
    await dialog.getByText('Ausência desativada neste canal').waitFor();
    await dialog.getByRole('button', { name: 'Ativar ausência' }).waitFor();
    await dialog.getByRole('button', { name: 'Fechar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText(/Ausente/).waitFor({ state: 'detached' });
    assert.deepEqual(await admin.call('GET', `/absences?user_id=${anaApi.user.id}`), []);
    assert.deepEqual(await anaApi.call('GET', '/absences'), []);
  });

  step("Ana's reminder goes away", async () => {
    current = ana;
    // The menu reads her absences again when opened.
    await ana.getByRole('button', { name: 'Menu do usuário' }).click();
    await ana.getByRole('button', { name: `Ausência ativa em ${INBOX}` }).waitFor({ state: 'detached' });
    await ana.keyboard.press('Escape');
  });
});
