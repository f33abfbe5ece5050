// Media in the conversation (CH-8, CH-9): inbound images, documents,
// locations and contact cards as bubbles; sending an image through the file
// input and by pasting it (Ctrl+V), a contact card with its checks, and voice
// messages recorded with Chromium's fake microphone — sent at once, or after
// "Tem certeza que deseja enviar esse áudio?" when the user's profile asks
// to confirm audio (AD-4).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendWhatsApp,
  sleep,
  startAtende,
  startPreview,
  step as stepOn,
  USERS,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const CUSTOMER = `Cliente Mídia ${tag}`;
const WA_ID = `55119${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** Small PNGs (96×64, one colour each). */
const PNG = {
  green:
    'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAaUlEQVR42u3QIREAAAgEsPeEown9JQ3QiN0twVLTHKJAkCBBggQJEiQIQYIECRIkSJAgBAkSJEiQIEGCECRIkCBBggQJEoQgQYIECRIkSBCCBAkSJEiQIEEIEiRIkCBBggQJQpAgQYL+WZpXwQ88wFywAAAAAElFTkSuQmCC',
  blue: 'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAaUlEQVR42u3QMQ0AAAgDsOnAJqaRgQNujiZV0FQPhygQJEiQIEGCBAlCkCBBggQJEiQIQYIECRIkSJAgBAkSJEiQIEGCBCFIkCBBggQJEoQgQYIECRIkSBCCBAkSJEiQIEGCECRIkKB/FgAq+f+NtjAdAAAAAElFTkSuQmCC',
  orange:
    'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAaUlEQVR42u3QMQ0AAAgDsIlALBKRhQNujiZV0EwXhygQJEiQIEGCBAlCkCBBggQJEiQIQYIECRIkSJAgBAkSJEiQIEGCBCFIkCBBggQJEoQgQYIECRIkSBCCBAkSJEiQIEGCECRIkKB/FqVw4dJHZdbeAAAAAElFTkSuQmCC',
};

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {string} */
let appUrl;
/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let chatId = '';
let inboxId = '';
let recordingShown = false;

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => page, body);

const pane = () => page.getByRole('region', { name: 'Conversa' });
const composer = () => page.getByLabel('Mensagem', { exact: true });
const outBubbles = () => pane().locator('article.bubble.out');

/** @param {string} name */
const screenshot = (name) => saveShot(page, `media-${name}`);

/**
 * A signed WhatsApp webhook from our customer, as Meta sends it.
 * @param {Record<string, unknown>} message the `messages[]` item without from/id/timestamp
 */
const inbound = (message) => sendWhatsApp(atende.url, { from: WA_ID, name: CUSTOMER, message });

/** Uploads a file to the demo number (the fake Graph keeps it) and returns its media id. */
async function uploadToGraph(/** @type {Buffer} */ bytes, /** @type {string} */ type, /** @type {string} */ name) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const up = await admin.send('POST', `/inboxes/${inboxId}/media`, form);
  return /** @type {string} */ (up.id);
}

/** The chat's messages, newest page (oldest first). */
async function messages() {
  const page = await admin.call('GET', `/conversations/${chatId}/messages?limit=100`);
  return /** @type {any[]} */ (page.items);
}

/**
 * Waits until the chat has `count` outbound messages of `kind`.
 * @param {string} kind
 * @param {number} count
 */
async function waitForSent(kind, count) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sent = (await messages()).filter((m) => m.direction === 'out' && m.kind === kind);
    if (sent.length >= count) return sent;
    if (Date.now() > deadline) throw new Error(`expected ${count} outbound ${kind} messages, found ${sent.length}`);
    await sleep(200);
  }
}

async function sentCount(/** @type {string} */ kind) {
  return (await messages()).filter((m) => m.direction === 'out' && m.kind === kind).length;
}

async function openChat() {
  await page.goto(`${appUrl}?chat=${chatId}`);
  await pane().locator('h2', { hasText: CUSTOMER }).waitFor();
}

/**
 * Records about `ms` of the fake microphone's tone and stops.
 * @param {number} ms
 */
async function record(ms) {
  await pane().getByRole('button', { name: 'Gravar mensagem de voz' }).click();
  await pane().getByText('Gravando áudio').waitFor();
  await sleep(ms);
  if (!recordingShown) {
    recordingShown = true;
    await screenshot('recording');
  }
  assert.notEqual(await pane().getByTestId('voice-clock').innerText(), '0:00', 'the timer runs');
  await pane().getByRole('button', { name: 'Parar gravação' }).click();
}

/**
 * Keeps the bodies of the page's uploads (`window.__uploads`, latin1 text):
 * the browser streams multipart bodies, so the request event has none.
 */
function captureUploads() {
  /** @type {any} */
  const w = window;
  w.__uploads = [];
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST' && /\/inboxes\/[^/]+\/media$/.test(new URL(request.url).pathname)) {
      const bytes = new Uint8Array(await request.clone().arrayBuffer());
      w.__uploads.push(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    }
    return original(request);
  };
}

/** The body of the page's last upload. */
async function lastUpload() {
  const all = await page.evaluate(() => /** @type {string[]} */ (/** @type {any} */ (window).__uploads));
  return Buffer.from(all[all.length - 1] ?? '', 'latin1');
}

describe('media in the conversation', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 10 });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser({ fakeMedia: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    await context.addInitScript(captureUploads);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    admin = await apiSession(atende.url, USERS.admin);
    await admin.call('PATCH', `/users/${admin.user.id}`, { confirm_audio: false });

    // Our own customer writes first: a chat whose 24-hour window is open.
    await inbound({ type: 'text', text: { body: `Oi, vou mandar umas coisas (${tag})` } });
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
    // Then an image, a document, a location and a contact card.
    const image = await uploadToGraph(Buffer.from(PNG.orange, 'base64'), 'image/png', 'foto.png');
    await inbound({ type: 'image', image: { id: image, mime_type: 'image/png', sha256: 'x', caption: `Foto do produto ${tag}` } });
    const doc = await uploadToGraph(Buffer.from('%PDF-1.4\n% e2e\n'), 'application/pdf', 'nota.pdf');
    await inbound({
      type: 'document',
      document: { id: doc, mime_type: 'application/pdf', sha256: 'x', filename: `nota-fiscal-${tag}.pdf` },
    });
    // A file WhatsApp no longer has: its download fails.
    await inbound({ type: 'image', image: { id: `9${Date.now()}`, mime_type: 'image/jpeg', sha256: 'x', caption: `Foto perdida ${tag}` } });
    await inbound({
      type: 'location',
      location: { latitude: -23.561414, longitude: -46.655881, name: 'Loja Paulista', address: 'Av. Paulista, 1000' },
    });
    await inbound({
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Joana Prado', first_name: 'Joana' },
          phones: [{ phone: '+55 11 91234-5678', wa_id: '5511912345678', type: 'CELL' }],
          emails: [{ email: 'joana@exemplo.com', type: 'WORK' }],
        },
      ],
    });

    await loginInBrowser(page, appUrl, USERS.admin);
    await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
    await openChat();
  });

  after(cleanup);

  step('shows inbound images, documents, locations and contact cards', async () => {
    const image = pane().locator('article.bubble:not(.out)', { hasText: `Foto do produto ${tag}` }).locator('img');
    await image.waitFor();
    assert.match((await image.getAttribute('src')) ?? '', /\/media\//);
    const width = await image.evaluate((el) => {
      const img = /** @type {HTMLImageElement} */ (el);
      return img.decode().then(() => img.naturalWidth);
    });
    assert.equal(width, 96, 'the stored image loads');
    const doc = pane().getByRole('link', { name: `Baixar nota-fiscal-${tag}.pdf` });
    await doc.waitFor();
    assert.equal(await doc.getAttribute('download'), `nota-fiscal-${tag}.pdf`);
    const map = pane().getByRole('link', { name: /Loja Paulista.*Ver no mapa/ });
    await map.waitFor();
    assert.match((await map.getAttribute('href')) ?? '', /openstreetmap\.org\/\?mlat=-23\.561414&mlon=-46\.655881/);
    const card = pane().getByTestId('contact-card').filter({ hasText: 'Joana Prado' });
    await card.waitFor();
    assert.equal(await card.getByRole('link', { name: 'Telefone: +55 11 91234-5678' }).getAttribute('href'), 'tel:+5511912345678');
    assert.equal(await card.getByRole('link', { name: 'E-mail: joana@exemplo.com' }).getAttribute('href'), 'mailto:joana@exemplo.com');
    const lost = pane().locator('article.bubble', { hasText: `Foto perdida ${tag}` });
    await lost.getByText(/^O arquivo não pôde ser baixado: .+/).waitFor();
    assert.equal(await lost.locator('img').count(), 0);
    await screenshot('inbound');
  });

  step('attaches an image through the file input and sends it with a caption', async () => {
    await pane()
      .locator('input[type="file"]')
      .setInputFiles({ name: 'catalogo.png', mimeType: 'image/png', buffer: Buffer.from(PNG.green, 'base64') });
    const dialog = page.getByRole('dialog', { name: 'Enviar imagem' });
    await dialog.waitFor();
    await dialog.getByRole('img', { name: 'Prévia de catalogo.png' }).waitFor();
    await dialog.getByText('Será enviado como: Imagem').waitFor();
    await dialog.getByLabel('Legenda (opcional)').fill(`Nosso catálogo ${tag}`);
    await screenshot('preview');
    await dialog.getByRole('button', { name: 'Enviar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const bubble = outBubbles().filter({ hasText: `Nosso catálogo ${tag}` });
    await bubble.locator('img').waitFor();
    const [sent] = await waitForSent('image', 1);
    assert.equal(sent.text, `Nosso catálogo ${tag}`);
    assert.equal(sent.payload.media.filename ?? null, null, 'no file name for images');
    assert.ok(sent.payload.media.id, 'sent by upload id');
  });

  step('pastes an image (Ctrl+V) into the text box and sends it', async () => {
    await composer().click();
    await composer().evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG.blue);
    const dialog = page.getByRole('dialog', { name: 'Enviar imagem' });
    await dialog.waitFor();
    await dialog.getByText('image.png').waitFor();
    await dialog.getByRole('button', { name: 'Enviar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForSent('image', 2);
    await outBubbles().locator('img').nth(1).waitFor();
    assert.equal(await composer().inputValue(), '', 'nothing pasted as text');
    assert.ok(await composer().evaluate((el) => el === document.activeElement), 'focus back in the text box');
  });

  step('sends a contact card after its checks', async () => {
    await pane().getByRole('button', { name: 'Enviar contato' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar contato' });
    await dialog.waitFor();
    await dialog.getByText('Informe o nome do contato, o e-mail e/ou telefone.').waitFor();
    await dialog.getByRole('button', { name: 'Enviar contato' }).click();
    await dialog.getByText('Informe o nome do contato.', { exact: true }).waitFor();
    await dialog.getByText('Informe o e-mail e/ou o telefone do contato.').waitFor();
    await dialog.getByLabel('Nome').fill(`Marcos Técnico ${tag}`);
    await dialog.getByLabel('Telefone').fill('1234');
    await dialog.getByRole('button', { name: 'Enviar contato' }).click();
    await dialog.getByText(/^Telefone inválido/).waitFor();
    await screenshot('contact-card-checks');
    assert.equal(await sentCount('contacts'), 0, 'nothing sent while invalid');
    await dialog.getByLabel('Telefone').fill('(11) 98765-4321');
    await dialog.getByLabel('E-mail').fill('marcos@exemplo.com');
    await dialog.getByRole('button', { name: 'Enviar contato' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Enviar contato',
      'focus back on the button',
    );
    const card = outBubbles().getByTestId('contact-card').filter({ hasText: `Marcos Técnico ${tag}` });
    await card.waitFor();
    await card.getByText('+5511987654321').waitFor();
    const [sent] = await waitForSent('contacts', 1);
    const c = sent.payload.contacts[0];
    assert.equal(c.name.formatted_name, `Marcos Técnico ${tag}`);
    assert.equal(c.phones[0].phone, '+5511987654321');
    assert.equal(c.emails[0].email, 'marcos@exemplo.com');
  });

  step('drops a document on the conversation; a refused send shows the error, the retry uploads once', async () => {
    const uploads = () => page.evaluate(() => /** @type {any} */ (window).__uploads.length);
    const uploadsBefore = await uploads();
    let refused = false;
    await page.route('**/api/v1/conversations/*/messages', async (route) => {
      if (route.request().method() === 'POST' && !refused) {
        refused = true;
        await route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'session_expired', message: 'A sessão de 24 horas com este contato expirou.' } }),
        });
      } else {
        await route.fallback();
      }
    });
    await pane().evaluate((el, name) => {
      const data = new DataTransfer();
      data.items.add(new File(['%PDF-1.4\n% orçamento\n'], name, { type: 'application/pdf' }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, `orcamento-${tag}.pdf`);
    const dialog = page.getByRole('dialog', { name: 'Enviar arquivo' });
    await dialog.getByText('Será enviado como: Documento').waitFor();
    await dialog.getByRole('button', { name: 'Enviar', exact: true }).click();
    await dialog.getByText('Arquivo não enviado: A sessão de 24 horas com este contato expirou.').waitFor();
    await dialog.getByRole('button', { name: 'Enviar', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.unroute('**/api/v1/conversations/*/messages');
    const [sent] = await waitForSent('document', 1);
    assert.equal(sent.payload.media.filename, `orcamento-${tag}.pdf`);
    assert.equal((await uploads()) - uploadsBefore, 1, 'the file was uploaded once');
    await outBubbles().getByRole('link', { name: `Baixar orcamento-${tag}.pdf` }).waitFor();
  });

  step('records a voice message and sends it at once (no confirmation set)', async () => {
    await record(1500);
    await waitForSent('audio', 1);
    const body = await lastUpload();
    // Chromium records WebM; the upload is Ogg/Opus, which WhatsApp takes.
    assert.ok(body.includes('Content-Type: audio/ogg'), 'uploaded as audio/ogg');
    assert.ok(body.includes('OggS') && body.includes('OpusHead'), 'an Ogg/Opus file');
    assert.ok(!body.includes('webm'), 'no WebM left');
    await outBubbles().locator('audio').first().waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0, 'no confirmation asked');
    await pane().locator('.messages').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot('sent');
  });

  step('with "confirm before sending audio": listen, "Não" discards, "Sim" sends', async () => {
    await admin.call('PATCH', `/users/${admin.user.id}`, { confirm_audio: true });
    await openChat(); // reload: the profile is read again
    const before = await sentCount('audio');

    await record(1200);
    let dialog = page.getByRole('dialog', { name: 'Enviar áudio' });
    await dialog.getByText('Tem certeza que deseja enviar esse áudio?').waitFor();
    const player = dialog.locator('audio');
    await player.waitFor();
    assert.ok(
      await player.evaluate((a) => new Promise((res) => {
        const audio = /** @type {HTMLAudioElement} */ (a);
        if (audio.readyState >= 1) res(audio.duration > 0);
        else audio.addEventListener('loadedmetadata', () => res(audio.duration > 0), { once: true });
        setTimeout(() => res(false), 5_000);
      })),
      'the recording plays in the browser',
    );
    await screenshot('confirm-audio');
    await dialog.getByRole('button', { name: 'Não' }).click();
    await dialog.waitFor({ state: 'detached' });
    await sleep(500);
    assert.equal(await sentCount('audio'), before, '"Não" sends nothing');

    await record(1200);
    dialog = page.getByRole('dialog', { name: 'Enviar áudio' });
    await dialog.getByRole('button', { name: 'Sim' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForSent('audio', before + 1);
    await admin.call('PATCH', `/users/${admin.user.id}`, { confirm_audio: false });
  });

  step('says so when the microphone is refused or missing', async () => {
    const mic = pane().getByRole('button', { name: 'Gravar mensagem de voz' });
    for (const [error, text] of [
      ['NotAllowedError', /^O navegador não permitiu usar o microfone/],
      ['NotFoundError', /^Nenhum microfone disponível/],
    ]) {
      await page.evaluate((name) => {
        /** @type {any} */ (window).__getUserMedia ??= navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('e2e', String(name)));
      }, error);
      await mic.click();
      await pane().getByRole('alert').filter({ hasText: text }).waitFor();
      assert.ok(await mic.isEnabled(), 'the button stays usable');
    }
    await page.evaluate(() => {
      navigator.mediaDevices.getUserMedia = /** @type {any} */ (window).__getUserMedia;
    });
  });

  step('internal notes are text only: the media tools are off', async () => {
    await pane().getByLabel('Interna?').check();
    for (const name of ['Anexar arquivo', 'Enviar contato', 'Gravar mensagem de voz']) {
      assert.ok(await pane().getByRole('button', { name }).isDisabled(), `${name} disabled`);
    }
    await composer().evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG.blue);
    await pane().getByText(/Mensagens internas são só de texto/).waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0);
    await pane().getByLabel('Interna?').uncheck();
    await pane().getByText(/Mensagens internas são só de texto/).waitFor({ state: 'detached' });
    assert.ok(await pane().getByRole('button', { name: 'Anexar arquivo' }).isEnabled());
    await pane().locator('.messages').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot('outbound');
  });
});
