// Shared pieces of the browser tests: the atende server (`atende demo` in a
// temporary directory), Vite's preview server proxying to it, Chromium, and
// a small API client for acting as another user. Everything started here is
// stopped by `cleanup()` and, as a last resort, when the process exits.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ATENDE_BIN = resolve(WEB_DIR, process.env.ATENDE_BIN ?? '../target/release/atende');
export const PASSWORD = 'demo1234';
export const USERS = {
  admin: 'admin@demo.atende.dev',
  ana: 'ana@demo.atende.dev',
  bruno: 'bruno@demo.atende.dev',
};

/** @type {Array<() => Promise<void> | void>} */
const cleanups = [];
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Runs every registered cleanup, newest first; never throws. */
export async function cleanup() {
  while (cleanups.length) {
    const f = cleanups.pop();
    try {
      await f?.();
    } catch (e) {
      console.error('cleanup failed:', e);
    }
  }
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `f` returns something truthy.
 * @template T
 * @param {() => Promise<T>} f
 * @param {string} what
 * @returns {Promise<NonNullable<T>>}
 */
export async function eventually(f, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return /** @type {NonNullable<T>} */ (v);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Starts `atende demo` on a free port with a fresh SQLite database.
 * @param {{ rate?: number, env?: Record<string, string> }} [opts]
 */
export async function startAtende(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'atende-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.ATENDE_URL;
  delete env.ATENDE_BIN;
  Object.assign(env, {
    ATENDE_LISTEN: `127.0.0.1:${port}`,
    ATENDE_DATABASE_URL: `sqlite://${join(dir, 'atende.db')}`,
    ...opts.env,
  });
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  let log = '';

  async function start() {
    const c = spawn(ATENDE_BIN, ['demo', '--rate', String(opts.rate ?? 30)], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    children.add(c);
    c.stdout?.on('data', (d) => (log += d));
    c.stderr?.on('data', (d) => (log += d));
    c.on('exit', () => children.delete(c));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`atende exited (${c.exitCode}):\n${log}`);
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`atende did not answer /healthz within 20 s:\n${log}`);
  }

  async function stop() {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  cleanups.push(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  /**
   * What the demo's fake WhatsApp (Graph API) received: every successful
   * message send, oldest first, from the log URL the banner prints.
   * @returns {Promise<Array<{ path: string, body: any, status: number }>>}
   */
  async function fakeMessages() {
    const m = log.match(/WhatsApp falso \(mensagens recebidas\): (\S+)/);
    if (!m) throw new Error(`no fake WhatsApp log URL in the demo's banner:\n${log}`);
    const r = await fetch(m[1]);
    if (!r.ok) throw new Error(`fake WhatsApp log: ${r.status}`);
    return r.json();
  }

  /** The demo shop's site (another origin) that embeds the web-chat widget. */
  function siteUrl() {
    const m = log.match(/Site de exemplo com o widget de chat \(outra origem\): (\S+)/);
    if (!m) throw new Error(`no demo site in the demo's banner:\n${log}`);
    return m[1];
  }

  return { url, port, dir, start, stop, log: () => log, fakeMessages, siteUrl };
}

/**
 * Vite's preview server for the built app (`npm run build` first), its
 * proxy pointed at `atendeUrl`.
 * @param {string} atendeUrl
 */
export async function startPreview(atendeUrl) {
  process.env.ATENDE_URL = atendeUrl;
  const { preview } = await import('vite');
  const port = await freePort();
  const server = await preview({
    root: WEB_DIR,
    configFile: join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${port}/` };
}

/**
 * Headless Chromium. `fakeMedia`: a fake microphone and camera, allowed
 * without asking (for recording voice messages).
 * @param {{ fakeMedia?: boolean }} [opts]
 */
export async function launchBrowser(opts = {}) {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
  if (opts.fakeMedia) args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args,
  });
  cleanups.push(() => browser.close());
  return browser;
}

/**
 * Posts one `messages` change to the demo's webhook the way Meta does:
 * non-ASCII escaped as Meta escapes it, signed with the demo app's secret
 * (`X-Hub-Signature-256` over the raw bytes; crates/server/src/demo.rs).
 * @param {string} baseUrl
 * @param {Record<string, unknown>} value the change's value without its metadata
 */
async function postWhatsApp(baseUrl, value) {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511900000000', phone_number_id: '100000000000001' },
              ...value,
            },
          },
        ],
      },
    ],
  };
  const body = JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const signature = `sha256=${createHmac('sha256', 'demo-app-secret').update(body).digest('hex')}`;
  const r = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });
  if (r.status !== 200) throw new Error(`webhook: ${r.status} ${await r.text()}`);
}

/**
 * A customer's message to the demo's WhatsApp number. `message` is the
 * `messages[]` item without `from`, `id` and `timestamp`; `text` is short
 * for a text message. Returns the message's wamid.
 * @param {string} baseUrl
 * @param {{ from: string, name: string, text?: string, message?: Record<string, unknown>, ageMs?: number }} msg
 */
export async function sendWhatsApp(baseUrl, { from, name, text, message, ageMs = 0 }) {
  const wamid = `wamid.e2e-${randomUUID()}`;
  const item = message ?? { type: 'text', text: { body: text ?? '' } };
  const timestamp = String(Math.floor((Date.now() - ageMs) / 1000));
  await postWhatsApp(baseUrl, {
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: wamid, timestamp, ...item }],
  });
  return wamid;
}

/**
 * Posts a Messenger (`page`) or Instagram delivery with one event to the
 * demo's Meta webhook, signed with the demo app's secret. Returns the
 * event's mid.
 * @param {string} baseUrl
 * @param {'page' | 'instagram'} object
 * @param {string} user the customer's PSID or IGSID
 * @param {Record<string, unknown>} message the event's `message`, without `mid`
 */
export async function sendMeta(baseUrl, object, user, message) {
  const account = object === 'page' ? '100000000000101' : '17841400000000101';
  const mid = `m_e2e${randomUUID().replaceAll('-', '')}`;
  const now = Date.now();
  const body = JSON.stringify({
    object,
    entry: [
      {
        id: account,
        time: now,
        messaging: [{ sender: { id: user }, recipient: { id: account }, timestamp: now, message: { mid, ...message } }],
      },
    ],
  });
  const signature = `sha256=${createHmac('sha256', 'demo-app-secret').update(body).digest('hex')}`;
  const r = await fetch(`${baseUrl}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });
  if (r.status !== 200) throw new Error(`Meta webhook: ${r.status} ${await r.text()}`);
  return mid;
}

/**
 * A visitor of the demo shop's site writes through the widget's visitor
 * API, as the widget does (from the site's origin): a contact with `name`,
 * then `text`. Returns the visitor's session.
 * @param {string} atendeUrl
 * @param {string} site the site's origin
 * @param {string} inboxId
 * @param {{ name: string, text: string }} m
 */
export async function sendWidget(atendeUrl, site, inboxId, m) {
  const headers = { 'content-type': 'application/json', origin: site };
  const r = await fetch(`${atendeUrl}/widget/v1/inboxes/${inboxId}/contacts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: m.name }),
  });
  if (r.status !== 201) throw new Error(`widget contact: ${r.status} ${await r.text()}`);
  const session = await r.json();
  const w = await fetch(`${atendeUrl}/widget/v1/conversations/${session.conversation_id}/messages`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${session.session_token}` },
    body: JSON.stringify({ client_message_id: crypto.randomUUID(), text: m.text }),
  });
  if (w.status !== 201) throw new Error(`widget message: ${w.status} ${await w.text()}`);
  return session;
}

/**
 * A customer's text to the demo's Telegram bot (`inboxId`: its inbox).
 * @param {string} baseUrl
 * @param {string} inboxId
 * @param {{ chat: number, name: string, text: string }} msg
 */
export async function sendTelegram(baseUrl, inboxId, { chat, name, text }) {
  const id = Math.floor(Math.random() * 1e9);
  const update = {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private', first_name: name },
      from: { id: chat, is_bot: false, first_name: name },
      text,
    },
  };
  const r = await fetch(`${baseUrl}/webhooks/telegram/${inboxId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'demoTelegramSecretToken' },
    body: JSON.stringify(update),
  });
  if (r.status !== 200) throw new Error(`Telegram webhook: ${r.status} ${await r.text()}`);
}

/**
 * A second user acting through the API (cookie session + CSRF token).
 * @param {string} baseUrl
 * @param {string} email
 */
export async function apiSession(baseUrl, email) {
  const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${email}: ${r.status} ${await r.text()}`);
  /** @type {{ user: any, csrf_token: string }} */
  const body = /** @type {any} */ (await r.json());
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [json]
   */
  async function call(method, path, json) {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': body.csrf_token,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  /**
   * A call with any body (e.g. multipart); returns the parsed JSON answer.
   * @param {string} method
   * @param {string} path
   * @param {BodyInit} payload
   */
  async function send(method, path, payload) {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': body.csrf_token },
      body: payload,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return { user: body.user, call, send };
}

/**
 * Logs in through the login page.
 * @param {import('playwright-core').Page} page
 * @param {string} appUrl
 * @param {string} email
 */
export async function loginInBrowser(page, appUrl, email) {
  await page.goto(appUrl);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

/**
 * Saves a screenshot of a main screen under test-results/ (kept by CI as
 * an artifact of the browser suites).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {{ fullPage?: boolean }} [opts]
 */
export async function saveShot(page, name, opts = {}) {
  const dir = join(WEB_DIR, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: opts.fullPage ?? false });
}

/**
 * A test step that saves a screenshot of `page()` under test-results/ when
 * it fails.
 * @param {string} name
 * @param {() => import('playwright-core').Page | undefined} page
 * @param {() => Promise<void>} body
 */
export function step(name, page, body) {
  it(name, { timeout: 90_000 }, async () => {
    try {
      await body();
    } catch (e) {
      const dir = join(WEB_DIR, 'test-results');
      mkdirSync(dir, { recursive: true });
      await page()?.screenshot({ path: join(dir, `${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      throw e;
    }
  });
}

/**
 * `YYYY-MM-DD` in Brasília time (how the server reads report dates),
 * `days` from now.
 * @param {number} days
 */
export function brasiliaDate(days = 0) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Sao_Paulo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(Date.now() + days * 86_400_000);
}

/**
 * A pt-BR page of `browser` signed in as `email`, downloads accepted.
 * @param {import('playwright-core').Browser} browser
 * @param {string} appUrl
 * @param {string} email
 */
export async function signedInPage(browser, appUrl, email) {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    locale: 'pt-BR',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await loginInBrowser(page, appUrl, email);
  await page.getByRole('button', { name: 'Menu do usuário' }).waitFor();
  return page;
}

/**
 * Opens "Gerenciador de relatórios" from the user menu's "Administração".
 * @param {import('playwright-core').Page} page
 */
export async function openReportManager(page) {
  await page.getByRole('button', { name: 'Menu do usuário' }).click();
  await page.getByRole('menuitem', { name: 'Administração' }).click();
  await page
    .getByRole('navigation', { name: 'Páginas de administração' })
    .getByRole('link', { name: 'Gerenciador de relatórios' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Gerenciador de relatórios' }).waitFor();
}
