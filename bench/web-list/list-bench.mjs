// The chat list with 10,000 conversations in Chromium: time to the first
// rendered row, time to page the whole list in, and frame times while
// scrolling through all of it.
//
// Usage (from the repository root; `make bench-web` builds what it needs):
//   node bench/web-list/list-bench.mjs [conversations=10000]
//
// The release `atende` (ATENDE_BIN, default target/release/atende, with the
// web app embedded) runs `atende demo` on a fresh SQLite database; the chats
// are created by signed WhatsApp webhooks carrying 200 contacts each, as Meta
// batches them. The app is loaded from the server itself, as in production.
import { createHmac } from 'node:crypto';
import { cleanup, launchBrowser, loginInBrowser, startAtende, USERS } from '../../web/tests/e2e/helpers.mjs';

const TOTAL = Number(process.argv[2] ?? 10_000);
const PER_WEBHOOK = 200;
const APP_SECRET = 'demo-app-secret';
const PHONE_NUMBER_ID = '100000000000001';

/** @param {number[]} xs @param {number} q */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

/** One webhook with `count` first messages from new contacts, starting at `from`. */
async function seedBatch(url, from, count) {
  const now = Math.floor(Date.now() / 1000);
  const contacts = [];
  const messages = [];
  for (let i = from; i < from + count; i++) {
    const waId = `55119${String(i).padStart(8, '0')}`;
    contacts.push({ profile: { name: `Cliente ${i}` }, wa_id: waId });
    messages.push({ from: waId, id: `wamid.bench-list-${i}`, timestamp: String(now), type: 'text', text: { body: `Olá, sou o cliente ${i}` } });
  }
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '5511900000000', phone_number_id: PHONE_NUMBER_ID },
      contacts,
      messages,
    } }] }],
  });
  const signature = createHmac('sha256', APP_SECRET).update(raw).digest('hex');
  const r = await fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body: raw,
  });
  if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${await r.text()}`);
}

async function main() {
  const atende = await startAtende({ rate: 0.1 });
  const t0 = performance.now();
  for (let from = 0; from < TOTAL; from += PER_WEBHOOK) {
    await seedBatch(atende.url, from, Math.min(PER_WEBHOOK, TOTAL - from));
  }
  const seedMs = performance.now() - t0;

  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await loginInBrowser(page, atende.url, USERS.admin);
  await page.locator('[data-conversation-id]').first().waitFor();
  const expected = await page.evaluate(async () => {
    const r = await fetch('/api/v1/conversations/counts');
    return (await r.json()).all;
  });

  // First render: a reload with the session cookie until the first row shows.
  const firstRow = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await page.reload();
    await page.locator('[data-conversation-id]').first().waitFor();
    firstRow.push(performance.now() - start);
  }

  // Page everything in: keep the viewport at the bottom until the list has
  // every chat (the list asks for the next page near its end).
  const viewport = page.locator('#chat-list .viewport');
  const loadStart = performance.now();
  let loaded = 0;
  for (;;) {
    loaded = await viewport.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
      const row = el.querySelector('[role="listitem"]');
      return Number(row?.getAttribute('aria-setsize') ?? 0);
    });
    if (loaded >= expected) break;
    if (performance.now() - loadStart > 300_000) throw new Error(`only ${loaded} of ${expected} chats loaded`);
    await page.waitForTimeout(20);
  }
  const loadAllMs = performance.now() - loadStart;

  // Scroll from the top to the bottom, 120 px per frame, timing each frame.
  const scroll = await viewport.evaluate(async (el) => {
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const frames = [];
    let maxRows = 0;
    let last = performance.now();
    const start = last;
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += 120;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, el.querySelectorAll('[role="listitem"]').length);
    }
    // @ts-ignore Chromium's non-standard performance.memory
    const heap = performance.memory ? performance.memory.usedJSHeapSize : null;
    return { frames, maxRows, totalMs: performance.now() - start, heap };
  });
  await browser.close();
  await cleanup();

  const f = scroll.frames;
  console.log(`conversations seeded: ${TOTAL} in ${(seedMs / 1000).toFixed(1)} s; listed for admin: ${expected}`);
  console.log('| conversations | first row (median of 5) | page all in | scroll frames | frame mean | p95 | max | rows in DOM (max) | JS heap |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${expected} | ${ms(quantile(firstRow, 0.5))} | ${(loadAllMs / 1000).toFixed(1)} s | ${f.length} | ${ms(f.reduce((a, b) => a + b, 0) / f.length)} | ${ms(quantile(f, 0.95))} | ${ms(Math.max(...f))} | ${scroll.maxRows} | ${scroll.heap === null ? 'n/a' : `${(scroll.heap / 1048576).toFixed(1)} MB`} |`,
  );
}

main().catch(async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});
