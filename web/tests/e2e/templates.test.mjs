// Template messages (CH-6) outside the 24 h window, "Novo chat" (CT-7) and
// the ?target_phone= deep link (LC-16). A contact whose last message is two
// days old is made with a signed WhatsApp webhook, as Meta would deliver it.
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


/** A random Brazilian mobile: DDD 11, nine digits starting with 9. */
const mobile = () => `119${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const tag = Math.random().toString(36).slice(2, 7);
/** The contact whose window expired (national digits, then as WhatsApp sends it). */
const EXPIRED = mobile();
const EXPIRED_NAME = `Cliente Expirado ${tag}`;
/** A number that is nobody's yet. */
const UNKNOWN = mobile();
const NEW_NAME = `Cliente Novo ${tag}`;
/** @param {string} name */
const WELCOME = (name) => `Olá ${name}! Aqui é da Loja Demonstração. Como podemos ajudar?`;

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** `11987654321` → `11 98765-4321` (how Novo chat pre-fills it). */
/** @param {string} d */
const formatted = (d) => `${d.slice(0, 2)} ${d.slice(2, 7)}-${d.slice(7)}`;

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';
let chatId = '';

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const composer = () => page.getByRole('form', { name: 'Escrever mensagem' });

/**
 * A text message from `waId`, sent `ageMs` ago, signed like Meta signs it.
 * @param {string} waId
 * @param {string} name
 * @param {string} text
 * @param {number} ageMs
 */
const inboundText = (waId, name, text, ageMs) => sendWhatsApp(atende.url, { from: waId, name, text, ageMs });

/**
 * Picks `boas_vindas` in `scope`'s list, fills `{{1}}` and checks the preview.
 * @param {import('playwright-core').Locator} scope
 * @param {string} name
 */
async function fillWelcome(scope, name) {
  await scope.getByRole('button', { name: /^boas_vindas \(Marketing\)/ }).click();
  const preview = scope.getByTestId('template-preview');
  await preview.filter({ hasText: 'Olá {{1}}! Aqui é da Loja Demonstração.' }).waitFor();
  await scope.getByLabel('Variável {{1}}').fill(name);
  await preview.filter({ hasText: WELCOME(name) }).waitFor();
}

/**
 * Keeps a screenshot of a passing step under test-results/ too.
 * @param {string} name
 */
const shot = (name) => saveShot(page, name);

describe('templates, Novo chat and target_phone', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    admin = await apiSession(atende.url, USERS.admin);
    // The demo inbox's templates are synced from the fake Graph at start.
    const inbox = (await admin.call('GET', '/inboxes')).find((/** @type {any} */ i) => i.channel === 'whatsapp');
    await eventually(async () => (await admin.call('GET', `/inboxes/${inbox.id}/templates`)).length > 0, 'templates');
    await inboundText(`55${EXPIRED}`, EXPIRED_NAME, 'Oi, vocês entregam no sábado?', 2 * 24 * 3600_000);
    const conv = await eventually(async () => {
      const page = await admin.call('GET', `/conversations?view=all&q=${EXPIRED}`);
      return page.items.find((/** @type {any} */ c) => c.contact.name === EXPIRED_NAME);
    }, 'the webhook contact');
    assert.equal(conv.window, 'expired', 'the last inbound message is two days old');
    chatId = conv.id;
    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  });

  after(cleanup);

  step('an expired window offers only templates, and one is sent', async () => {
    await page.goto(`${appUrl}?chat=${chatId}`);
    await pane().locator('h2', { hasText: EXPIRED_NAME }).waitFor();
    await composer().getByText('Escolha uma mensagem template para enviar ao contato:').waitFor();
    assert.equal(await composer().getByRole('textbox').count(), 0, 'no free-text box');
    // Not approved or not: every listed template shows its category.
    const labels = await composer().getByRole('list', { name: 'Mensagens template' }).getByRole('button').allTextContents();
    assert.ok(labels.some((l) => l.includes('pedido_enviado (Utilidade)')), labels.join(' | '));

    await composer().getByRole('button', { name: /^boas_vindas \(Marketing\)/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar mensagem template' });
    await dialog.waitFor();
    await shot('templates-expired-picker');
    const send = dialog.getByRole('button', { name: 'Enviar mensagem template' });
    assert.equal(await send.isDisabled(), true, 'Send waits for every variable');
    await dialog.getByTestId('template-preview').filter({ hasText: 'Olá {{1}}!' }).waitFor();
    await dialog.getByLabel('Variável {{1}}').fill('Maria');
    await dialog.getByTestId('template-preview').filter({ hasText: WELCOME('Maria') }).waitFor();
    await send.click();
    await dialog.waitFor({ state: 'detached' });
    await pane().locator('article.bubble.out', { hasText: WELCOME('Maria') }).waitFor();
    const messages = await admin.call('GET', `/conversations/${chatId}/messages?limit=20`);
    const sent = messages.items.find((/** @type {any} */ m) => m.kind === 'template');
    assert.ok(sent, 'template message stored');
    assert.equal(sent.text, WELCOME('Maria'));
    // Still outside the window: still only templates.
    assert.equal(await composer().getByRole('textbox').count(), 0);
  });

  step('a template with an image header sends the chosen file, with {nome} filled', async () => {
    await composer().getByRole('button', { name: /^colecao_nova \(Marketing\)/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar mensagem template' });
    const send = dialog.getByRole('button', { name: 'Enviar mensagem template' });
    await dialog.getByLabel('Variável {{1}}', { exact: true }).fill('{nome}');
    assert.equal(await send.isDisabled(), true, 'Send waits for the header image');
    // WhatsApp takes only JPEG or PNG as a header image: refused before upload.
    await dialog.getByLabel('Imagem do cabeçalho').setInputFiles({
      name: 'colecao.gif',
      mimeType: 'image/gif',
      buffer: Buffer.from('GIF89a'),
    });
    await dialog.getByRole('alert').filter({ hasText: 'JPEG ou PNG até 5 MB' }).waitFor();
    await dialog.getByLabel('Imagem do cabeçalho').setInputFiles({ name: 'colecao.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByText('Arquivo pronto: colecao.png').waitFor();
    await dialog.getByTestId('template-preview').getByRole('img', { name: 'Imagem do cabeçalho' }).waitFor();
    await shot('templates-image-header');
    await send.click();
    await dialog.waitFor({ state: 'detached' });
    const text = `Oi ${EXPIRED_NAME}! Chegou a coleção nova, com frete grátis até domingo.`;
    const bubble = pane().locator('article.bubble.out', { hasText: text });
    await bubble.waitFor();
    await bubble.locator('img').waitFor();
    const sent = await eventually(async () => {
      const log = await atende.fakeMessages();
      return log.find((/** @type {any} */ r) => r.body?.template?.name === 'colecao_nova');
    }, 'the template at the fake WhatsApp');
    const [header, body] = sent.body.template.components;
    assert.equal(header.type, 'header');
    assert.equal(header.parameters[0].type, 'image');
    assert.match(header.parameters[0].image.id, /^\d+$/);
    assert.deepEqual(body.parameters, [{ type: 'text', text: EXPIRED_NAME }]);
  });

  step('inside the window a button opens the same picker', async () => {
    const open = await eventually(async () => {
      const list = await admin.call('GET', '/conversations?view=all&limit=100');
      return list.items.find(
        (/** @type {any} */ c) => c.window !== 'expired' && c.channel === 'whatsapp' && c.id !== chatId,
      );
    }, 'a chat inside its window');
    await page.goto(`${appUrl}?chat=${open.id}`);
    await pane().locator('h2', { hasText: open.contact.name }).waitFor();
    await composer().getByRole('textbox', { name: 'Mensagem' }).waitFor();
    await composer().getByRole('button', { name: 'Mensagem template' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar mensagem template' });
    await dialog.getByRole('button', { name: /^pedido_enviado \(Utilidade\)/ }).click();
    // The header numbers its placeholders apart from the body.
    await dialog.getByLabel('Cabeçalho: variável {{1}}').fill('4521');
    await dialog.getByLabel('Variável {{1}}', { exact: true }).fill('Ana');
    assert.equal(await dialog.getByRole('button', { name: 'Enviar mensagem template' }).isDisabled(), true);
    await dialog.getByLabel('Variável {{2}}', { exact: true }).fill('4521');
    const preview = dialog.getByTestId('template-preview');
    await preview.filter({ hasText: 'Pedido 4521' }).waitFor();
    await preview.filter({ hasText: 'Olá Ana, seu pedido 4521 foi enviado e chega em até 3 dias úteis.' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.goto(`${appUrl}?chat=${chatId}`);
    await pane().locator('h2', { hasText: EXPIRED_NAME }).waitFor();
  });

  step('"Interna?" still writes an internal note outside the window', async () => {
    await composer().getByLabel('Interna?').check();
    await composer().getByRole('textbox', { name: 'Mensagem' }).waitFor();
    await composer().getByRole('button', { name: 'Mensagem template' }).waitFor();
    await composer().getByLabel('Interna?').uncheck();
    await composer().getByText('Escolha uma mensagem template para enviar ao contato:').waitFor();
  });

  step('?target_phone= with a contact’s number opens its chat', async () => {
    await page.goto(`${appUrl}?target_phone=${EXPIRED}`);
    await pane().locator('h2', { hasText: EXPIRED_NAME }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('target_phone'), null, 'the parameter is removed');
    assert.equal(url.searchParams.get('chat'), chatId);
    // With the country prefix too.
    await page.goto(`${appUrl}?target_phone=55${EXPIRED}`);
    await pane().locator('h2', { hasText: EXPIRED_NAME }).waitFor();
  });

  step('?target_phone= with an unknown number opens Novo chat pre-filled', async () => {
    await page.goto(`${appUrl}?target_phone=${UNKNOWN}`);
    const dialog = page.getByRole('dialog', { name: 'Novo chat' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Número do cliente').inputValue(), formatted(UNKNOWN));
    assert.equal(await dialog.getByLabel('Número estrangeiro').isChecked(), false);
    assert.equal(new URL(page.url()).searchParams.get('target_phone'), null, 'the parameter is removed');
    await shot('templates-new-chat-prefilled');
  });

  step('Novo chat sends the template and opens the new chat', async () => {
    const dialog = page.getByRole('dialog', { name: 'Novo chat' });
    await dialog.getByLabel('Nome do cliente').fill(NEW_NAME);
    await dialog.getByLabel('Abrir conversa?').check();
    await fillWelcome(dialog, '{nome}');
    await dialog.getByRole('button', { name: 'Enviar e abrir chat' }).click();
    await dialog.waitFor({ state: 'detached' });
    await pane().locator('h2', { hasText: NEW_NAME }).waitFor();
    // {nome} was filled by the server with the contact's name.
    await pane().locator('article.bubble.out', { hasText: WELCOME(NEW_NAME) }).waitFor();
    await pane().locator('header').getByText('Sem atendimento aberto').waitFor({ state: 'detached' });
  });

  step('an agent, who may not list inboxes, gets the templates in Novo chat', async () => {
    const context = await page.context().browser()?.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    assert.ok(context);
    const agentPage = await context.newPage();
    agentPage.setDefaultTimeout(15_000);
    try {
      await loginInBrowser(agentPage, appUrl, USERS.ana);
      await agentPage.getByRole('button', { name: 'Menu do usuário' }).waitFor();
      await agentPage.getByRole('button', { name: 'Novo chat', exact: true }).click();
      const dialog = agentPage.getByRole('dialog', { name: 'Novo chat' });
      await dialog.getByRole('button', { name: /^boas_vindas \(Marketing\)/ }).waitFor();
    } finally {
      await context.close();
    }
  });

  step('Novo chat shows the server’s refusal of a bad number in the dialog', async () => {
    await page.getByRole('button', { name: 'Novo chat', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo chat' });
    await dialog.getByLabel('Nome do cliente').fill('Número Curto');
    await dialog.getByLabel('Número do cliente').fill('12 345');
    await fillWelcome(dialog, 'Curto');
    await dialog.getByRole('button', { name: 'Enviar e abrir chat' }).click();
    await dialog.getByRole('alert').filter({ hasText: /^Não foi possível iniciar o chat: \S/ }).waitFor();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('Novo chat with an existing number says "Conversa já existente"', async () => {
    await page.getByRole('button', { name: 'Novo chat', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo chat' });
    await dialog.waitFor();
    await dialog.getByLabel('Nome do cliente').fill('Outra Pessoa');
    await dialog.getByLabel('Número do cliente').fill(formatted(EXPIRED));
    await fillWelcome(dialog, 'Outra');
    await dialog.getByRole('button', { name: 'Enviar e abrir chat' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Conversa já existente' }).waitFor();
    await shot('templates-new-chat-exists');
    // The chat of that number is offered.
    await dialog.getByRole('button', { name: 'Abrir a conversa existente' }).click();
    await dialog.waitFor({ state: 'detached' });
    await pane().locator('h2', { hasText: EXPIRED_NAME }).waitFor();
  });
});
