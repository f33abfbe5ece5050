// Business hours (LC-22), routing settings and the out-of-hours contacts
// (LC-21). The admin sets the demo inbox's hours in the inbox's editor —
// split shifts, a Sunday evening until 24:00, a holiday today — seeing the
// server's refusal of overlapping shifts first; the inbox's card then says
// it is closed and when it opens, and the editor reads the saved hours back
// after a reload; makes Suporte hand its chats
// out automatically and gives Bruno a capacity. Then, with the bot on, two
// customers write: the demo's welcome flow finds the inbox closed, tells
// them when it opens (from the saved hours) and lists them; Ana (an agent)
// reaches "Contatos fora do horário" from the user menu and sends one of
// them an active message. Finally the hours are removed (always open).
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
const ZONE = 'America/Sao_Paulo';
/** A date (AAAA-MM-DD) on the inbox's wall clock. @param {number} ms */
const dateIn = (ms) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
const TODAY = dateIn(Date.now());
const tomorrowIsSunday =
  new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short' }).format(Date.now() + 86_400_000) === 'Sun';
/**
 * Today is a holiday, and every day has a shift (Mon–Sat from 08:00,
 * Sunday from 20:00): the inbox opens tomorrow.
 */
const NEXT_OPENING = tomorrowIsSunday ? 'amanhã às 20:00' : 'amanhã às 08:00';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const HOURS = {
  time_zone: ZONE,
  shifts: [
    { days: [...WEEKDAYS, 'sat'], from: '08:00', to: '12:00' },
    { days: WEEKDAYS, from: '13:00', to: '18:00' },
    { days: ['sun'], from: '20:00', to: '24:00' },
  ],
  holidays: [
    { date: TODAY, name: 'Feriado E2E' },
    { date: '2030-12-25', name: 'Natal' },
  ],
};
// Numbers none of the demo's simulated customers uses: new contacts.
const CARLA = { phone: '5511955504321', name: 'Carla Noturna' };
const NAMELESS = '5511955504322';

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** @type {import('playwright-core').Page} */
let ana;
/** @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
/** @type {{ id: string, name: string }} */
let inbox;

/** @param {string} name @param {() => Promise<void>} body */
const step = (name, body) => stepOn(name, () => current, body);
/** @param {string} name */
const shot = (name) => saveShot(current, `hours-${name}`, { fullPage: true });

/** @param {string} email */
async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  await loginInBrowser(p, appUrl, email);
  await p.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return p;
}

/** @param {string} name */
async function openSection(name) {
  await page.getByRole('navigation', { name: 'Páginas de administração' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

const hoursDialog = () => page.getByRole('dialog', { name: `Horário de atendimento de ${INBOX}` });
/** @param {number} n */
const shift = (n) => hoursDialog().getByRole('group', { name: `Turno ${n}`, exact: true });

/**
 * The inbox's hours as the server has them, read through the API with the
 * admin's session: `{hours, open_now, next_opening}`.
 * @returns {Promise<{ hours: unknown, open_now: boolean, next_opening: string | null }>}
 */
const storedHours = () => admin.call('GET', `/inboxes/${inbox.id}/business-hours`);

/** The out-of-hours entries as the API lists them. */
const outOfHours = () => admin.call('GET', '/out-of-hours');

describe('business hours, routing settings and out-of-hours contacts', { concurrency: false }, () => {
  before(async () => {
    // Few simulated customers: with the bot on, they would be listed too.
    atende = await startAtende({ rate: 0.1 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    inbox = (await admin.call('GET', '/inboxes')).find((/** @type {any} */ i) => i.name === INBOX);
    assert.ok(inbox, `the demo has no inbox ${INBOX}`);
    page = await signedIn(USERS.admin);
    current = page;
  });

  after(cleanup);

  step('sets split business hours with holidays on the demo inbox, after the server refuses an overlap', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Administração' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    await openSection('Canais');
    const card = page.locator('.card', { hasText: INBOX });
    // No hours yet: always open.
    assert.deepEqual(await storedHours(), { hours: null, open_now: true, next_opening: null });
    await card.getByText('Sempre aberto', { exact: true }).waitFor();
    await card.getByText('Aberto agora', { exact: true }).waitFor();
    await card.getByRole('button', { name: `Horário de atendimento: ${INBOX}` }).click();
    const dialog = hoursDialog();
    // The editor reads the saved hours (none) before showing the form.
    const always = dialog.getByRole('radio', { name: 'Sempre aberto (sem horário de atendimento)' });
    await always.waitFor();
    assert.equal(await always.isChecked(), true);
    await dialog.getByRole('radio', { name: 'Aberto só nos turnos abaixo' }).check();
    assert.equal(await dialog.getByLabel('Fuso horário').inputValue(), ZONE);

    // The template: Mon–Fri 08:00–12:00 and 13:00–18:00. Saturday morning too.
    for (const day of ['Segunda-feira', 'Terça-feira', 'Quarta-feira', 'Quinta-feira', 'Sexta-feira']) {
      assert.equal(await shift(1).getByRole('checkbox', { name: day }).isChecked(), true, day);
    }
    assert.equal(await shift(1).getByLabel('Início').inputValue(), '08:00');
    assert.equal(await shift(2).getByLabel('Fim').inputValue(), '18:00');
    await shift(1).getByRole('checkbox', { name: 'Sábado' }).check();

    // An overlapping afternoon: the server names both shifts, and the form keeps them.
    await shift(2).getByLabel('Início').fill('11');
    await shift(2).getByLabel('Fim').click();
    assert.equal(await shift(2).getByLabel('Início').inputValue(), '11:00');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'turnos sobrepostos na segunda-feira' }).waitFor();
    await shift(2).getByText('O servidor recusou este turno').waitFor();
    await shot('refused');
    await shift(2).getByLabel('Início').fill('13:00');
    await shift(2).getByText('O servidor recusou este turno').waitFor({ state: 'detached' });

    // Sunday evening until midnight.
    await dialog.getByRole('button', { name: 'Adicionar turno' }).click();
    for (const day of ['Segunda-feira', 'Terça-feira', 'Quarta-feira', 'Quinta-feira', 'Sexta-feira']) {
      await shift(3).getByRole('checkbox', { name: day }).uncheck();
    }
    await shift(3).getByRole('checkbox', { name: 'Domingo' }).check();
    await shift(3).getByLabel('Início').fill('20:00');
    await shift(3).getByLabel('Fim').fill('24');

    // A holiday today (a new row starts on today's date) and Christmas.
    await dialog.getByRole('button', { name: 'Adicionar feriado' }).click();
    assert.equal(await dialog.getByLabel('Data do feriado 1').inputValue(), TODAY);
    await dialog.getByLabel('Nome do feriado 1 (opcional)').fill('Feriado E2E');
    await dialog.getByRole('button', { name: 'Adicionar feriado' }).click();
    await dialog.getByLabel('Data do feriado 2').fill('2030-12-25');
    await dialog.getByLabel('Nome do feriado 2 (opcional)').fill('Natal');
    await shot('editor');

    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The card reads the hours again: closed today (a holiday), and when it opens.
    await card.getByText(`3 turno(s), 2 feriado(s) · ${ZONE}`).waitFor();
    await card.getByText(`Fechado · abre ${NEXT_OPENING}`, { exact: true }).waitFor();
    assert.deepEqual(await storedHours(), { hours: HOURS, open_now: false, next_opening: NEXT_OPENING });
    await shot('inboxes');

    // After a reload (nothing remembered in the page), the form shows what the server has.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Canais' }).waitFor();
    await card.getByRole('button', { name: `Horário de atendimento: ${INBOX}` }).click();
    assert.equal(await hoursDialog().getByRole('radio', { name: 'Aberto só nos turnos abaixo' }).isChecked(), true);
    assert.equal(await shift(3).getByLabel('Fim').inputValue(), '24:00');
    assert.equal(await shift(3).getByRole('checkbox', { name: 'Domingo' }).isChecked(), true);
    assert.equal(await shift(1).getByRole('checkbox', { name: 'Sábado' }).isChecked(), true);
    assert.equal(await shift(2).getByLabel('Início').inputValue(), '13:00');
    assert.equal(await hoursDialog().getByLabel('Data do feriado 1').inputValue(), TODAY);
    assert.equal(await hoursDialog().getByLabel('Nome do feriado 2 (opcional)').inputValue(), 'Natal');
    await hoursDialog().getByRole('button', { name: 'Cancelar' }).click();
    await hoursDialog().waitFor({ state: 'detached' });
  });

  step('makes Suporte hand its chats out automatically', async () => {
    await openSection('Departamentos');
    await page.getByRole('button', { name: 'Editar Suporte' }).click();
    const dialog = page.getByRole('dialog', { name: 'Editar Suporte' });
    const select = dialog.getByLabel('Distribuição dos chats');
    assert.equal(await select.inputValue(), 'manual');
    await dialog.getByText(/esperam em "Chats abertos" até um membro assumir/).waitFor();
    await select.selectOption({ label: 'Automática (para o membro disponível menos ocupado, com vaga)' });
    await dialog.getByText(/vai para o membro online e ativo que tem vaga/).waitFor();
    await shot('department');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /Suporte/ })
      .getByRole('cell', { name: 'Automática', exact: true })
      .waitFor();
    const suporte = (await admin.call('GET', '/departments')).find((/** @type {any} */ d) => d.name === 'Suporte');
    assert.equal(suporte.distribution, 'auto');
  });

  step("sets Bruno's concurrent-chat capacity", async () => {
    await openSection('Usuários');
    await page.getByRole('columnheader', { name: 'Chats simultâneos' }).waitFor();
    await page.getByRole('button', { name: 'Editar Bruno (Suporte)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Editar Bruno (Suporte)' });
    const capacity = dialog.getByLabel('Limite de chats simultâneos');
    assert.equal(await capacity.inputValue(), '5');
    await capacity.fill('7');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /Bruno \(Suporte\)/ })
      .getByRole('cell', { name: '7', exact: true })
      .waitFor();
    const bruno = (await admin.call('GET', '/users')).find((/** @type {any} */ u) => u.email === USERS.bruno);
    assert.equal(bruno.max_chats, 7);
    await shot('users');
  });

  step('an agent reaches "Contatos fora do horário" from the user menu: nobody yet', async () => {
    ana = await signedIn(USERS.ana);
    current = ana;
    await ana.getByRole('button', { name: 'Menu do usuário' }).click();
    await ana.getByRole('menuitem', { name: 'Contatos fora do horário' }).click();
    await ana.getByRole('heading', { level: 1, name: 'Contatos fora do horário' }).waitFor();
    assert.equal(new URL(ana.url()).pathname, '/out-of-hours');
    await ana.getByText('Nenhum contato escreveu fora do horário de atendimento nos últimos 7 dias.').waitFor();
    await shot('empty');
  });

  step('with the bot on, customers writing today (a holiday) are told when it opens and listed', async () => {
    await admin.call('PATCH', `/inboxes/${inbox.id}`, { chatbot_enabled: true });
    await sendWhatsApp(atende.url, { from: CARLA.phone, name: CARLA.name, text: 'Oi, ainda estão atendendo?' });
    const offer = `Olá, ${CARLA.name}! Estamos fora do horário de atendimento agora. Voltamos ${NEXT_OPENING}. Quer que a gente entre em contato com você?`;
    await eventually(async () => {
      const sent = await atende.fakeMessages();
      return sent.some((m) => m.body?.to === CARLA.phone && m.body?.interactive?.body?.text === offer);
    }, 'the out-of-hours offer, with the next opening from the saved hours');
    // Carla asks to be called back; the other one never answers (N/D).
    await sendWhatsApp(atende.url, {
      from: CARLA.phone,
      name: CARLA.name,
      message: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'sim', title: 'Sim, me chamem' } } },
    });
    await sendWhatsApp(atende.url, { from: NAMELESS, name: '', text: 'Olá' });
    const list = await eventually(async () => {
      const l = await outOfHours();
      const carla = l.find((/** @type {any} */ e) => e.phone === `+${CARLA.phone}`);
      const other = l.find((/** @type {any} */ e) => e.phone === `+${NAMELESS}`);
      return carla?.callback === 'Sim' && other && l;
    }, 'both contacts listed, Carla asking for a callback');
    const other = list.find((/** @type {any} */ e) => e.phone === `+${NAMELESS}`);
    assert.equal(other.name, '(Sem nome)');
    assert.equal(other.callback, 'N/D');
  });

  step('the agent sees them and sends Carla an active message', async () => {
    await ana.getByRole('button', { name: 'Atualizar' }).click();
    const table = ana.getByRole('table', { name: 'Contatos fora do horário' });
    await table.waitFor();
    assert.deepEqual(await table.getByRole('columnheader').allTextContents(), [
      'Data do contato',
      'Nome',
      'Contato',
      'Solicitou retorno?',
      'Mensagem enviada?',
      'Ações',
    ]);
    const carla = table.getByRole('row', { name: new RegExp(CARLA.name) });
    const cells = await carla.getByRole('cell').allTextContents();
    assert.match(cells[0] ?? '', /^\d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}$/);
    assert.deepEqual(
      cells.slice(1, 5).map((c) => c.trim()),
      [CARLA.name, '+55 11 95550-4321', 'Sim', 'Não'],
    );
    const nameless = table.getByRole('row', { name: /\(Sem nome\)/ });
    const other = await nameless.getByRole('cell').allTextContents();
    assert.deepEqual(
      other.slice(1, 5).map((c) => c.trim()),
      ['(Sem nome)', '+55 11 95550-4322', 'N/D', 'Não'],
    );
    await shot('list');

    await carla.getByRole('button', { name: `Enviar mensagem ativa para ${CARLA.name}` }).click();
    const dialog = ana.getByRole('dialog', { name: `Mensagem ativa para ${CARLA.name}` });
    const send = dialog.getByRole('button', { name: 'Enviar mensagem ativa', exact: true });
    await dialog.getByRole('button', { name: /^boas_vindas \(Marketing\)/ }).click();
    assert.equal(await send.isDisabled(), true);
    await dialog.getByLabel('Variável {{1}}').fill('{nome}');
    await shot('send');
    await send.click();
    await dialog.waitFor({ state: 'detached' });
    await ana.getByRole('status').filter({ hasText: `Mensagem ativa enviada para ${CARLA.name}.` }).waitFor();
    assert.equal((await carla.getByRole('cell').nth(4).textContent())?.trim(), 'Sim');

    const entry = (await outOfHours()).find((/** @type {any} */ e) => e.phone === `+${CARLA.phone}`);
    assert.equal(entry.active_message_sent, true);
    await eventually(async () => {
      const sent = await atende.fakeMessages();
      return sent.some((m) => m.body?.to === CARLA.phone && m.body?.template?.name === 'boas_vindas');
    }, 'the template at the fake WhatsApp');
    // Read again from the server, the row still says so.
    await ana.getByRole('button', { name: 'Atualizar' }).click();
    await table
      .getByRole('row', { name: new RegExp(CARLA.name) })
      .getByRole('cell', { name: 'Sim', exact: true })
      .nth(1)
      .waitFor();
    await shot('sent');
  });

  step('removes the hours: the inbox is always open', async () => {
    current = page;
    await openSection('Canais');
    const card = page.locator('.card', { hasText: INBOX });
    await card.getByRole('button', { name: `Horário de atendimento: ${INBOX}` }).click();
    const dialog = hoursDialog();
    await dialog.getByRole('radio', { name: 'Sempre aberto (sem horário de atendimento)' }).check();
    await dialog.getByText('Sem horário de atendimento, os fluxos consideram o canal sempre aberto.').waitFor();
    assert.equal(await dialog.getByRole('group', { name: 'Turnos' }).count(), 0);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('Sempre aberto', { exact: true }).waitFor();
    await card.getByText('Aberto agora', { exact: true }).waitFor();
    assert.deepEqual(await storedHours(), { hours: null, open_now: true, next_opening: null });
  });
});
