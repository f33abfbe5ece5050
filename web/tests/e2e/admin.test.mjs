// The admin pages (users, departments and members, inboxes and templates,
// tags, custom fields), the "Administração" entry only for who may use it,
// and the profile dialog (AD-4): a new user's default closing message is
// pre-filled in the close dialog right after saving it.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiSession,
  cleanup,
  launchBrowser,
  loginInBrowser,
  saveShot,
  PASSWORD,
  startAtende,
  startPreview,
  USERS,
  step as stepOn,
} from './helpers.mjs';

const tag = Math.random().toString(36).slice(2, 7);
const TAG_NAME = `E2E ${tag}`;
const CAMPAIGN_NAME = `Campanha ${tag}`;
const DEPT_NAME = `Pós-venda ${tag}`;
const USER_NAME = `Teste ${tag}`;
const USER_EMAIL = `teste-${tag}@demo.atende.dev`;
const FIELD_KEY = `cidade_${tag}`;
const CLOSING = `Até logo! Atendimento encerrado pela equipe (${tag}).`;

/** @type {Awaited<ReturnType<typeof startAtende>>} */
let atende;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** The page `step` screenshots on failure (the one the step works on). */
/** @type {import('playwright-core').Page} */
let current;
/** @type {Awaited<ReturnType<typeof apiSession>>} */
let admin;
let appUrl = '';

/**
 * @param {string} name
 * @param {() => Promise<void>} body
 */
const step = (name, body) => stepOn(name, () => current, body);

/** @param {string} name */
const shot = (name) => saveShot(current, `admin-${name}`, { fullPage: true });

/** A new browser context signed in as `email`. */
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
 * Opens an admin page from the side menu.
 * @param {string} name
 */
async function openSection(name) {
  await page.getByRole('navigation', { name: 'Páginas de administração' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('admin pages and profile', { concurrency: false }, () => {
  before(async () => {
    atende = await startAtende({ rate: 30 });
    appUrl = (await startPreview(atende.url)).url;
    browser = await launchBrowser();
    admin = await apiSession(atende.url, USERS.admin);
    page = await signedIn(USERS.admin);
    current = page;
  });

  after(cleanup);

  step('"Administração" in the user menu opens the admin pages', async () => {
    await page.getByRole('button', { name: 'Menu do usuário' }).click();
    await page.getByRole('menuitem', { name: 'Administração' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/users');
    const nav = page.getByRole('navigation', { name: 'Páginas de administração' });
    for (const name of ['Usuários', 'Departamentos', 'Canais', 'Etiquetas', 'Campos personalizados', 'Campanhas']) {
      await nav.getByRole('link', { name }).waitFor();
    }
    await page.getByRole('cell', { name: 'ana@demo.atende.dev' }).waitFor();
  });

  step('creates a tag', async () => {
    await openSection('Etiquetas');
    await page.getByRole('button', { name: 'Nova etiqueta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nova etiqueta' });
    await dialog.getByLabel('Nome da etiqueta').fill(TAG_NAME);
    await dialog.getByLabel('Cor').fill('#1a73e8');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: TAG_NAME, exact: true }).waitFor();
    const tags = await admin.call('GET', '/tags');
    const created = tags.find((/** @type {any} */ t) => t.name === TAG_NAME);
    assert.ok(created, 'tag not created');
    assert.equal(created.color, '#1a73e8');
    await shot('tags');
  });

  step('creates a campaign, refuses a duplicate name and renames it (LC-2)', async () => {
    await openSection('Campanhas');
    const create = async (/** @type {string} */ name) => {
      await page.getByRole('button', { name: 'Nova campanha' }).click();
      const dialog = page.getByRole('dialog', { name: 'Nova campanha' });
      await dialog.getByLabel('Nome').fill(name);
      await dialog.getByRole('button', { name: 'Criar' }).click();
      return dialog;
    };
    await (await create(CAMPAIGN_NAME)).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: CAMPAIGN_NAME, exact: true }).waitFor();
    const dup = await create(CAMPAIGN_NAME);
    await dup.getByRole('alert').filter({ hasText: 'Já existe uma campanha com este nome.' }).waitFor();
    await dup.getByRole('button', { name: 'Cancelar' }).click();
    await page.getByRole('button', { name: `Editar ${CAMPAIGN_NAME}` }).click();
    const edit = page.getByRole('dialog', { name: `Renomear ${CAMPAIGN_NAME}` });
    await edit.getByLabel('Nome').fill(`${CAMPAIGN_NAME} 2`);
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'detached' });
    const row = page.locator('tr', { has: page.getByRole('cell', { name: `${CAMPAIGN_NAME} 2`, exact: true }) });
    await row.getByRole('cell', { name: 'Criada manualmente' }).waitFor();
    const list = await admin.call('GET', '/campaigns');
    assert.ok(list.some((/** @type {any} */ k) => k.name === `${CAMPAIGN_NAME} 2` && k.source === 'manual'));
    await shot('campaigns');
  });

  step('creates a department and adds a member', async () => {
    await openSection('Departamentos');
    await page.getByRole('button', { name: 'Novo departamento' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo departamento' });
    await dialog.getByLabel('Nome do departamento').fill(DEPT_NAME);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: DEPT_NAME, exact: true }).waitFor();

    await page.getByRole('button', { name: `Membros: ${DEPT_NAME}` }).click();
    const members = page.getByRole('dialog', { name: `Membros de ${DEPT_NAME}` });
    await members.getByText('Nenhum membro neste departamento.').waitFor();
    await members.getByLabel('Adicionar usuário').selectOption({ label: 'Ana (Vendas) (ana@demo.atende.dev)' });
    await members.getByRole('button', { name: 'Adicionar', exact: true }).click();
    await members.getByRole('button', { name: 'Remover Ana (Vendas) do departamento' }).waitFor();
    await shot('department-members');
    await members.getByRole('button', { name: 'Fechar' }).click();
    await members.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: new RegExp(DEPT_NAME) }).getByText('Ana (Vendas)').waitFor();

    const dept = (await admin.call('GET', '/departments')).find((/** @type {any} */ d) => d.name === DEPT_NAME);
    const ana = (await admin.call('GET', '/agents')).find((/** @type {any} */ a) => a.name === 'Ana (Vendas)');
    const listed = await admin.call('GET', `/departments/${dept.id}/members`);
    assert.deepEqual(listed.user_ids, [ana.id]);
    await shot('departments');
  });

  step('creates a user, showing the server refusal and keeping the form', async () => {
    await openSection('Usuários');
    await page.getByRole('button', { name: 'Novo usuário' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo usuário' });
    await dialog.getByLabel('Nome').fill(USER_NAME);
    await dialog.getByLabel('E-mail').fill(USERS.ana);
    await dialog.getByLabel('Senha').fill(PASSWORD);
    await dialog.getByLabel('Perfil').selectOption({ label: 'Gerente' });
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Já existe um usuário com este e-mail.' }).waitFor();
    assert.equal(await dialog.getByLabel('Nome').inputValue(), USER_NAME);

    await dialog.getByLabel('E-mail').fill(USER_EMAIL);
    // The concurrent-chat capacity starts at the server's default.
    const capacity = dialog.getByLabel('Limite de chats simultâneos');
    assert.equal(await capacity.inputValue(), '5');
    await capacity.fill('3');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: USER_EMAIL }).waitFor();
    const created = (await admin.call('GET', '/users')).find((/** @type {any} */ u) => u.email === USER_EMAIL);
    assert.equal(created.max_chats, 3);
  });

  step('edits the new user\'s permissions', async () => {
    await page.getByRole('button', { name: `Editar ${USER_NAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `Editar ${USER_NAME}` });
    assert.equal(await dialog.getByRole('radio', { name: 'Usuários: Visualizar', exact: true }).isChecked(), true);
    await dialog.getByRole('radio', { name: 'Usuários: Visualizar e editar', exact: true }).check();
    await dialog.getByRole('radio', { name: 'Configurações: Visualizar', exact: true }).check();
    await dialog.getByRole('checkbox', { name: 'Ver o código de suporte' }).check();
    await shot('user-edit');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'detached' });
    const user = (await admin.call('GET', '/users')).find((/** @type {any} */ u) => u.email === USER_EMAIL);
    assert.equal(user.role, 'manager');
    assert.equal(user.permissions.modules.settings, 'view');
    assert.equal(user.permissions.modules.users, 'view_edit');
    assert.ok(user.permissions.capabilities.includes('support_code'));
    await shot('users');
  });

  step('lists the inbox and syncs its templates', async () => {
    await openSection('Canais');
    const card = page.locator('.card', { hasText: 'WhatsApp da Loja' });
    await card.getByText('Conectado').waitFor();
    await card.getByRole('button', { name: 'Editar WhatsApp da Loja' }).click();
    const form = page.getByRole('dialog', { name: 'Editar WhatsApp da Loja' });
    assert.equal(await form.getByText('Definido (não é exibido)').count(), 3);
    assert.equal(await form.getByLabel('Alterar as credenciais').isChecked(), false);
    await form.getByRole('button', { name: 'Cancelar' }).click();
    await form.waitFor({ state: 'detached' });

    await card.getByRole('button', { name: 'Modelos: WhatsApp da Loja' }).click();
    const dialog = page.getByRole('dialog', { name: 'Modelos de WhatsApp da Loja' });
    await dialog.getByRole('button', { name: 'Sincronizar modelos' }).click();
    await dialog.getByRole('cell', { name: 'boas_vindas' }).waitFor();
    await dialog.getByRole('cell', { name: 'pedido_enviado' }).waitFor();
    await shot('inbox-templates');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await shot('inboxes');
  });

  step('flags an inbox whose token was refused, and a new token clears it', async () => {
    const card = page.locator('.card', { hasText: 'WhatsApp da Loja' });
    /**
     * @param {string} token
     * @param {boolean} [onlyToken] leave the other secrets blank (kept as they are)
     */
    async function saveCredentials(token, onlyToken = false) {
      await card.getByRole('button', { name: 'Editar WhatsApp da Loja' }).click();
      const form = page.getByRole('dialog', { name: 'Editar WhatsApp da Loja' });
      const change = form.getByLabel('Alterar as credenciais');
      if (!(await change.isChecked())) await change.check();
      // The non-secret settings come filled in; secrets never do.
      assert.equal(await form.getByLabel('ID do número de telefone (phone_number_id)').inputValue(), '100000000000001');
      assert.equal(await form.getByLabel('Token de acesso', { exact: true }).inputValue(), '');
      await form.getByLabel('Token de acesso', { exact: true }).fill(token);
      if (!onlyToken) {
        await form.getByLabel('Chave secreta do app (app secret)').fill('demo-app-secret');
        await form.getByLabel('Token de verificação do webhook').fill('demo');
      }
      return form;
    }

    let form = await saveCredentials('token-revogado');
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.waitFor({ state: 'detached' });
    // A sync with the refused token marks the inbox; the page reads it again.
    await card.getByRole('button', { name: 'Modelos: WhatsApp da Loja' }).click();
    const dialog = page.getByRole('dialog', { name: 'Modelos de WhatsApp da Loja' });
    await dialog.getByRole('button', { name: 'Sincronizar modelos' }).click();
    await card.getByText('Precisa de um novo token de acesso').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await card.getByText(/cole um novo token de acesso/).waitFor();
    await shot('inbox-needs-reauth');

    // Only the new token: the app secret and verify token stay as they were.
    form = await saveCredentials('demo-access-token', true);
    await form.getByText(/O WhatsApp recusou o token de acesso/).waitFor();
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.waitFor({ state: 'detached' });
    await card.getByText('Conectado').waitFor();
    const inboxes = await admin.call('GET', '/inboxes');
    const whatsapp = inboxes.find((/** @type {any} */ i) => i.channel === 'whatsapp');
    assert.equal(whatsapp.needs_reauth, false);
    assert.deepEqual([...whatsapp.secrets_set].sort(), ['access_token', 'app_secret', 'verify_token']);
  });

  step('creates an option custom field', async () => {
    await openSection('Campos personalizados');
    await page.getByRole('button', { name: 'Novo campo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo campo' });
    await dialog.getByLabel('Nome do campo').fill(`Cidade ${tag}`);
    await dialog.getByLabel('Chave').fill(FIELD_KEY);
    await dialog.getByLabel('Tipo').selectOption('option');
    await dialog.getByLabel('Destino').selectOption('attendance');
    await dialog.getByLabel('Opções', { exact: true }).fill('Recife\nOlinda\n\nRecife');
    await dialog.getByLabel('Perguntar ao encerrar o atendimento').check();
    await dialog.getByLabel('Obrigatório ao encerrar o atendimento').check();
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: `{${FIELD_KEY}}` }).waitFor();
    const field = (await admin.call('GET', '/custom-fields')).find((/** @type {any} */ f) => f.key === FIELD_KEY);
    assert.deepEqual(
      [field.field_type, field.target, field.options, field.ask_at_closing, field.required_at_closing],
      ['option', 'attendance', ['Recife', 'Olinda'], true, true],
    );
    await shot('fields');
  });

  step('goes back to the console and forward again with the browser', async () => {
    await page.getByRole('link', { name: /Voltar ao atendimento/ }).click();
    await page.getByRole('region', { name: 'Conversa' }).waitFor();
    await page.getByRole('complementary', { name: 'Lista de chats' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Campos personalizados' }).waitFor();
  });

  step('the new user saves a default closing message and the close dialog pre-fills it', async () => {
    const listed = await admin.call('GET', '/conversations?view=open&limit=200');
    const open = listed.items.find((/** @type {any} */ c) => c.attendance_open);
    assert.ok(open, 'no chat with an open attendance');
    const p = await signedIn(USER_EMAIL);
    current = p;
    await p.goto(`${appUrl}?chat=${open.id}`);
    const header = p.getByRole('region', { name: 'Conversa' }).locator('header');
    await header.getByRole('button', { name: 'Encerrar atendimento' }).waitFor();

    await p.getByRole('button', { name: 'Menu do usuário' }).click();
    await p.getByRole('menuitem', { name: 'Meu perfil' }).click();
    const profile = p.getByRole('dialog', { name: 'Meu perfil' });
    await profile.getByLabel('Mensagem de encerramento padrão').fill(CLOSING);
    await profile.getByLabel('Mostrar confirmação de envio de áudio').check();
    await shot('profile');
    await profile.getByRole('button', { name: 'Salvar' }).click();
    await profile.waitFor({ state: 'detached' });
    const me = (await admin.call('GET', '/users')).find((/** @type {any} */ u) => u.email === USER_EMAIL);
    assert.equal(me.default_closing_message, CLOSING);
    assert.equal(me.confirm_audio, true);

    // No reload: the session was read again after saving.
    await header.getByRole('button', { name: 'Encerrar atendimento' }).click();
    const dialog = p.getByRole('dialog', { name: 'Encerrar atendimento' });
    assert.equal(await dialog.getByLabel('Mensagem de encerramento').inputValue(), CLOSING);
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('the new user may edit users but not grant more than they have', async () => {
    const p = current;
    await p.getByRole('button', { name: 'Menu do usuário' }).click();
    await p.getByRole('menuitem', { name: 'Administração' }).click();
    await p.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    await p.getByRole('button', { name: 'Editar Bruno (Suporte)' }).click();
    const dialog = p.getByRole('dialog', { name: 'Editar Bruno (Suporte)' });
    await dialog.getByRole('radio', { name: 'Organizações: Visualizar', exact: true }).check();
    await dialog.getByText(/Você só pode conceder o que você mesmo tem; o servidor recusará: Organizações/).waitFor();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Você não tem permissão para esta ação.' }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: 'Organizações: Visualizar', exact: true }).isChecked(), true);
    await shot('grant-refused');
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    const bruno = (await admin.call('GET', '/users')).find((/** @type {any} */ u) => u.email === USERS.bruno);
    assert.equal(bruno.permissions.modules.organizations, 'none');
  });

  step('an agent sees "Meu perfil" but not "Administração", and view-only pages', async () => {
    const p = await signedIn(USERS.ana);
    current = p;
    await p.getByRole('button', { name: 'Menu do usuário' }).click();
    await p.getByRole('menuitem', { name: 'Meu perfil' }).waitFor();
    assert.equal(await p.getByRole('menuitem', { name: 'Administração' }).count(), 0);
    await p.keyboard.press('Escape');

    await p.goto(`${appUrl}admin/users`);
    await p.getByText('Você não tem acesso a esta página.').waitFor();
    await p.goto(`${appUrl}admin/tags`);
    await p.getByRole('cell', { name: TAG_NAME, exact: true }).waitFor();
    await p.getByText('Você pode consultar esta página, mas não alterá-la.').waitFor();
    assert.equal(await p.getByRole('button', { name: 'Nova etiqueta' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: `Excluir ${TAG_NAME}` }).count(), 0);
  });
});
