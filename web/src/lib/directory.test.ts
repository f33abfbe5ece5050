import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import type { Agent, Session } from '../api/types';
import { event, messageCreated, msg } from '../test/fixtures';
import {
  assignedAgentIds,
  assignedAgentLabel,
  authorLabel,
  clearDirectory,
  directory,
  inServiceLabel,
  loadDirectory,
  reloadAgentsIfUnknown,
  userName,
} from './directory.svelte';
import { setLocale } from './i18n/index.svelte';
import { session } from './session.svelte';

function agent(id: string, name: string): Agent {
  return { id, name, role: 'agent', status: 'online', departments: [] };
}

const ADMIN = agent('u-admin', 'Administradora');
const BRUNO = agent('u-bruno', 'Bruno (Suporte)');

/** Answers `GET` like the server: `/agents` from `agents`, the rest empty. */
function fakeServer(agents: () => Agent[]) {
  const asked: string[] = [];
  const spy = vi.spyOn(api, 'GET').mockImplementation((async (path: string) => {
    asked.push(path);
    return { data: path === '/api/v1/agents' ? agents() : [], response: new Response(null, { status: 200 }) };
  }) as unknown as typeof api.GET);
  return { spy, asked };
}

const agentCalls = (server: ReturnType<typeof fakeServer>) =>
  server.asked.filter((path) => path === '/api/v1/agents').length;

beforeEach(() => {
  clearDirectory();
  session.current = null;
  setLocale('pt-BR');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('agent names (LC-7)', () => {
  it('loads /agents with the directory, for any user, and names known ids', async () => {
    const server = fakeServer(() => [ADMIN, BRUNO]);
    // A plain agent: no Users, Departments or Tags module needed for names.
    await loadDirectory({ modules: {} });
    expect(agentCalls(server)).toBe(1);
    expect(server.asked).not.toContain('/api/v1/users');
    expect(directory.error).toBeNull();

    expect(userName('u-admin')).toBe('Administradora');
    expect(inServiceLabel('u-admin')).toBe('Em atendimento por Administradora');
    expect(assignedAgentLabel('u-bruno')).toBe('Agente: Bruno (Suporte)');
    expect(authorLabel('u-admin')).toBe('Administradora');

    setLocale('en');
    expect(inServiceLabel('u-admin')).toBe('Being served by Administradora');
    expect(assignedAgentLabel('u-bruno')).toBe('Agent: Bruno (Suporte)');

    // Names never need /users, not even for an admin.
    await loadDirectory({ modules: { users: 'view_edit', departments: 'view_edit', tags: 'view_edit' } });
    expect(server.asked).not.toContain('/api/v1/users');
    expect(agentCalls(server)).toBe(2);
  });

  it('gives an unknown id the generic labels', async () => {
    fakeServer(() => [ADMIN]);
    await loadDirectory({ modules: {} });
    expect(userName('u-nobody')).toBeNull();
    expect(userName(null)).toBeNull();
    expect(inServiceLabel('u-nobody')).toBe('Em atendimento por outro agente');
    expect(assignedAgentLabel('u-nobody')).toBe('Em atendimento por outro agente');
    expect(authorLabel('u-nobody')).toBe('Agente');
    expect(authorLabel(null)).toBe('Agente');
    setLocale('en');
    expect(inServiceLabel('u-nobody')).toBe('Being served by another agent');
    expect(authorLabel('u-nobody')).toBe('Agent');
  });

  it('names the signed-in user before the list arrives', () => {
    session.current = {
      user: { id: 'u-me', name: 'Ana (Vendas)' },
      permissions: {},
    } as unknown as Session;
    expect(userName('u-me')).toBe('Ana (Vendas)');
    expect(inServiceLabel('u-me')).toBe('Em atendimento por Ana (Vendas)');
  });

  it('keeps the other lists and the generic labels when /agents fails', async () => {
    const notFound = { error: { code: 'not_found', message: 'Rota não encontrada.' } };
    vi.spyOn(api, 'GET').mockImplementation((async (path: string) =>
      path === '/api/v1/agents'
        ? { error: notFound, response: new Response(null, { status: 404 }) }
        : { data: [{ id: 'd1', name: 'Vendas' }], response: new Response(null, { status: 200 }) }) as unknown as typeof api.GET);
    await loadDirectory({ modules: { departments: 'view' } });
    expect(directory.departments.map((d) => d.name)).toEqual(['Vendas']);
    expect(directory.error).toContain('Rota não encontrada.');
    expect(inServiceLabel('u-admin')).toBe('Em atendimento por outro agente');
  });

  it('forgets the names on logout', async () => {
    fakeServer(() => [ADMIN]);
    await loadDirectory({ modules: {} });
    clearDirectory();
    expect(directory.agents).toEqual([]);
    expect(userName('u-admin')).toBeNull();
  });
});

describe('reloading the agents', () => {
  it('reads assigned agent ids from assignment events only', () => {
    const ids = assignedAgentIds([
      event('conversation.assigned', 'c1', { conversation_id: 'c1', department_id: null, agent_id: 'u-1' }),
      event('attendance.opened', 'c2', { conversation_id: 'c2', attendance_id: 'att-2', department_id: 'd', agent_id: 'u-2', protocol: 'p' }),
      event('conversation.assigned', 'c3', { conversation_id: 'c3', department_id: 'd', agent_id: null }),
      event('conversation.moved', 'c4', { conversation_id: 'c4', department_id: 'd', agent_id: 'u-3' }),
      messageCreated(msg('m1', { conversation_id: 'c1', author_kind: 'agent', author_id: 'u-4' })),
      event('conversation.assigned', 'c5', { conversation_id: 'c5', agent_id: 'u-1' }),
    ]);
    expect(ids).toEqual(['u-1', 'u-2']);
  });

  it('reloads once when an assignment names an agent not in the list', async () => {
    let agents = [ADMIN];
    const server = fakeServer(() => agents);
    await loadDirectory({ modules: {} });
    expect(agentCalls(server)).toBe(1);

    // A known agent: nothing to do.
    expect(reloadAgentsIfUnknown(['u-admin'])).toBe(false);
    expect(agentCalls(server)).toBe(1);

    // A colleague created after login is assigned a chat.
    agents = [ADMIN, BRUNO];
    expect(reloadAgentsIfUnknown(['u-bruno'])).toBe(true);
    expect(agentCalls(server)).toBe(2);
    await vi.waitFor(() => expect(userName('u-bruno')).toBe('Bruno (Suporte)'));
    expect(inServiceLabel('u-bruno')).toBe('Em atendimento por Bruno (Suporte)');
    expect(reloadAgentsIfUnknown(['u-bruno'])).toBe(false);
    expect(agentCalls(server)).toBe(2);
  });

  it('does not reload again for an id the list never gets', async () => {
    const server = fakeServer(() => [ADMIN]);
    await loadDirectory({ modules: {} });
    expect(reloadAgentsIfUnknown(['u-gone'])).toBe(true);
    await vi.waitFor(() => expect(agentCalls(server)).toBe(2));
    await Promise.resolve();
    expect(reloadAgentsIfUnknown(['u-gone'])).toBe(false);
    expect(reloadAgentsIfUnknown(['u-gone', 'u-admin'])).toBe(false);
    expect(agentCalls(server)).toBe(2);
    expect(authorLabel('u-gone')).toBe('Agente');
  });

  it('tries again after a failed reload', async () => {
    const { spy } = fakeServer(() => [ADMIN]);
    await loadDirectory({ modules: {} });
    spy.mockImplementation((async () => ({
      error: { error: { code: 'internal', message: 'Falhou.' } },
      response: new Response(null, { status: 500 }),
    })) as unknown as typeof api.GET);
    expect(reloadAgentsIfUnknown(['u-bruno'])).toBe(true);
    await vi.waitFor(() => expect(directory.error).not.toBeNull());
    expect(reloadAgentsIfUnknown(['u-bruno'])).toBe(true);
  });
});
