// The login page: API errors shown as the server words them, the rate
// limit, and the session surviving a reload.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanup, launchBrowser, loginInBrowser, PASSWORD, startAtende, startPreview, USERS } from './helpers.mjs';

/** @type {string} */
let appUrl;
/** @type {import('playwright-core').Page} */
let page;

describe('login', { concurrency: false }, () => {
  before(async () => {
    // Three failures lock an e-mail (and the IP) for a while.
    const atende = await startAtende({ rate: 1, env: { ATENDE_LOGIN_MAX_ATTEMPTS: '3' } });
    appUrl = (await startPreview(atende.url)).url;
    const browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'pt-BR' })).newPage();
    page.setDefaultTimeout(15_000);
  });

  after(cleanup);

  it('asks for both fields before calling the server', async () => {
    await page.goto(appUrl);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Informe o e-mail e a senha.' }).waitFor();
  });

  it('signs in, and a reload keeps the session', async () => {
    await loginInBrowser(page, appUrl, USERS.bruno);
    await page.getByText('Bruno (Suporte)').waitFor();
    await page.reload();
    await page.getByText('Bruno (Suporte)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Entrar' }).count(), 0);
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Sair' }).click();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
  });

  it('shows the server\'s error for a wrong password, then the rate limit', async () => {
    const email = page.getByLabel('E-mail');
    const password = page.getByLabel('Senha');
    await email.fill(USERS.ana);
    await password.fill('errada');
    await page.getByRole('button', { name: 'Entrar' }).click();
    const alert = page.locator('#login-error');
    await alert.filter({ hasText: 'E-mail ou senha inválidos.' }).waitFor();
    assert.equal(await password.inputValue(), '', 'the wrong password is cleared');
    for (let i = 0; i < 3; i++) {
      await password.fill('errada');
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByRole('button', { name: 'Entrar' }).waitFor();
    }
    const text = await alert.innerText();
    assert.match(text, /^Muitas tentativas de login\. Tente novamente em \d+ segundos\.$/);
    // Even the right password is refused while locked.
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await alert.filter({ hasText: 'Muitas tentativas de login' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Menu do usuário' }).count(), 0);
  });
});
