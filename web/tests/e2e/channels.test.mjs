// All five channels in one console: a customer on each writes, the chat list
// shows each channel's icon and the newest message; an Instagram story
// mention is listed only under "Todos os chats" (seed 004).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  eventually,
  launchBrowser,
  loginInBrowser,
  saveShot,
  sendMeta,
  sendTelegram,
  sendWhatsApp,
  sendWidget,
  startAtende,
  startPreview,
  step,
  USERS,
} from './helpers.mjs';

/** @type {import('playwright-core').Page} */
let page;
/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
const tag = Date.now().toString(36);
const MENTION_USER = `7${String(Date.now()).slice(-15)}`;

describe('every channel in one console', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 1 });
    const appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'pt-BR' })).newPage();
    page.setDefaultTimeout(15_000);
    const admin = await apiSession(atende.url, USERS.admin);
    const inboxes = await admin.call('GET', '/inboxes');
    const telegram = inboxes.find((/** @type {any} */ i) => i.channel === 'telegram');
    assert.deepEqual(
      inboxes.map((/** @type {any} */ i) => i.channel).sort(),
      ['instagram', 'messenger', 'telegram', 'whatsapp', 'widget'],
    );
    const widget = inboxes.find((/** @type {any} */ i) => i.channel === 'widget');
    await sendWhatsApp(atende.url, { from: '5511955550001', name: `Wanda ${tag}`, text: 'Oi pelo WhatsApp' });
    await sendTelegram(atende.url, telegram.id, { chat: 5_123_000_001, name: `Tito ${tag}`, text: 'Oi pelo Telegram' });
    await sendMeta(atende.url, 'page', '6700000000000001', { text: 'Oi pelo Messenger' });
    await sendMeta(atende.url, 'instagram', '7100000000000001', { text: 'Oi pelo Instagram' });
    await sendWidget(atende.url, atende.siteUrl(), widget.id, { name: `Wilma ${tag}`, text: 'Oi pelo site' });
    await sendMeta(atende.url, 'instagram', MENTION_USER, {
      attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=e2e' } }],
    });
    await eventually(async () => {
      const list = await admin.call('GET', '/conversations?view=all&limit=200');
      const channels = new Set(list.items.map((/** @type {any} */ c) => c.channel));
      return ['whatsapp', 'telegram', 'messenger', 'instagram', 'widget'].every((c) => channels.has(c));
    }, 'a chat on every channel');
    await loginInBrowser(page, appUrl, USERS.admin);
  });

  after(cleanup);

  step('"Todos os chats" shows every channel with its icon and the newest message', () => page, async () => {
    await page.getByRole('tab', { name: 'Todos os chats' }).click();
    for (const channel of ['whatsapp', 'telegram', 'messenger', 'instagram', 'widget']) {
      await page.locator(`[data-chat-button] .channel-${channel}`).first().waitFor();
    }
    await page.locator('[data-chat-button]', { hasText: `Tito ${tag}` }).getByText('Oi pelo Telegram').waitFor();
    await page.locator('[data-chat-button]', { hasText: `Wanda ${tag}` }).getByText('Oi pelo WhatsApp').waitFor();
    await page.locator('[data-chat-button]', { hasText: `Wilma ${tag}` }).getByText('Oi pelo site').waitFor();
    await saveShot(page, 'channels-chat-list');
  });

  step('a story mention is listed only under "Todos os chats", as "Menção no story"', () => page, async () => {
    const mention = page.locator('[data-chat-button]', { hasText: MENTION_USER });
    await mention.getByText(/Menção no story/).waitFor();
    await page.getByRole('tab', { name: 'Chats abertos' }).click();
    await page.locator('[data-chat-button]', { hasText: 'Oi pelo Instagram' }).first().waitFor();
    assert.equal(await page.locator('[data-chat-button]', { hasText: MENTION_USER }).count(), 0);
    await page.getByRole('tab', { name: 'Todos os chats' }).click();
    await mention.click();
    await page.getByTestId('story-mention').getByRole('link', { name: 'Ver o story' }).waitFor();
    await saveShot(page, 'channels-story-mention');
  });
});
