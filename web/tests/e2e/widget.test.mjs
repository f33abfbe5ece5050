// The web-chat widget (CH-4) end to end: a visitor on the demo shop's site
// (another origin) opens the widget, fills the pre-chat form and writes; an
// agent sees the chat live in the console and answers; the visitor sees the
// answer live, and after a reload the whole history is still there.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { cleanup, eventually, launchBrowser, loginInBrowser, saveShot, startAtende, startPreview, step, USERS } from './helpers.mjs';

/** @type {import('playwright-core').Page} */
let visitor;
/** @type {import('playwright-core').Page} */
let agent;
/** @type {string} */
let site;
const tag = Date.now().toString(36);
const NAME = `Visitante ${tag}`;
const QUESTION = `Vocês entregam em Campinas? (${tag})`;
const ANSWER = `Entregamos sim, em até 2 dias úteis! (${tag})`;

describe('the web-chat widget on a customer site', { concurrency: false }, () => {
  before(async () => {
    // No simulated visitors' noise: rate 0.1 a minute.
    const atende = await startAtende({ rate: 0.1 });
    const appUrl = (await startPreview(atende.url)).url;
    site = atende.siteUrl();
    assert.notEqual(new URL(site).origin, new URL(atende.url).origin, 'the site is another origin');
    const browser = await launchBrowser();
    visitor = await (await browser.newContext({ viewport: { width: 1200, height: 860 }, locale: 'pt-BR' })).newPage();
    agent = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'pt-BR' })).newPage();
    for (const p of [visitor, agent]) p.setDefaultTimeout(15_000);
    /** @type {string[]} */
    const errors = [];
    visitor.on('pageerror', (e) => errors.push(String(e)));
    visitor.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    after(() => assert.deepEqual(errors, [], 'no script errors on the site'));
    await loginInBrowser(agent, appUrl, USERS.admin);
  });

  after(cleanup);

  step('the visitor opens the widget, fills the pre-chat form and writes', () => visitor, async () => {
    await visitor.goto(site);
    const launcher = visitor.getByTestId('atende-launcher');
    await launcher.click();
    await visitor.getByTestId('atende-panel').waitFor();
    await visitor.getByTestId('atende-greeting').getByText(/Loja Demonstração/).waitFor();
    // The name is required: the form says so and does not start without it.
    await visitor.getByTestId('atende-prechat-submit').click();
    assert.equal(await visitor.getByTestId('atende-composer').isVisible(), false, 'no composer before the form');
    await visitor.getByText('Preencha este campo.').waitFor();
    await visitor.getByTestId('atende-prechat-name').fill(NAME);
    await visitor.getByTestId('atende-prechat-email').fill(`${tag}@cliente.example`);
    await visitor.getByTestId('atende-prechat-submit').click();
    const composer = visitor.getByTestId('atende-composer');
    await composer.fill(QUESTION);
    await composer.press('Enter');
    await visitor.locator('[data-testid="atende-message"][data-sender="contact"]', { hasText: QUESTION }).waitFor();
    await saveShot(visitor, 'widget-visitor-wrote');
  });

  step('the agent sees the chat live, on the widget channel, and answers', () => agent, async () => {
    await agent.getByRole('tab', { name: 'Todos os chats' }).click();
    const row = agent.locator('[data-chat-button]', { hasText: NAME });
    await row.locator('.channel-widget').waitFor();
    await row.getByText(QUESTION).waitFor();
    await row.click();
    await agent.getByText(QUESTION).last().waitFor();
    // Typing shows on both sides while it lasts.
    await visitor.getByTestId('atende-composer').pressSequentially('Mais uma coisa', { delay: 30 });
    await agent.getByText('digitando…').first().waitFor();
    const composer = agent.getByLabel('Mensagem', { exact: true });
    await composer.pressSequentially('Entre', { delay: 30 });
    await visitor.getByTestId('atende-typing').waitFor();
    await composer.fill(ANSWER);
    await composer.press('Enter');
    await agent.getByText(ANSWER).last().waitFor();
    await saveShot(agent, 'widget-agent-answered');
  });

  step('the visitor sees the answer live, then the whole history after a reload', () => visitor, async () => {
    await visitor.getByTestId('atende-composer').fill('');
    const answer = visitor.locator('[data-testid="atende-message"][data-sender="agent"]', { hasText: ANSWER });
    await answer.waitFor();
    await visitor.reload();
    await visitor.getByTestId('atende-launcher').click();
    await visitor.locator('[data-testid="atende-message"][data-sender="contact"]', { hasText: QUESTION }).waitFor();
    await answer.waitFor();
    assert.equal(await visitor.getByTestId('atende-prechat').isVisible(), false, 'no form again: the session is kept');
    await visitor.waitForTimeout(500); // the panel's opening animation
    await saveShot(visitor, 'widget-history-after-reload');
  });

  step('the answer reads as read once the visitor saw it', () => agent, async () => {
    await eventually(
      async () =>
        (await agent.locator('article.bubble', { hasText: ANSWER }).locator('[data-status="read"]').count()) > 0,
      'a read receipt in the console',
    );
  });

  step('Escape closes the widget and gives the focus back to its button', () => visitor, async () => {
    await visitor.getByTestId('atende-composer').focus();
    await visitor.keyboard.press('Escape');
    await visitor.getByTestId('atende-panel').waitFor({ state: 'hidden' });
    const focused = await visitor.evaluate(() => {
      const host = document.activeElement;
      return host?.shadowRoot?.activeElement?.getAttribute('data-testid') ?? null;
    });
    assert.equal(focused, 'atende-launcher');
  });
});
