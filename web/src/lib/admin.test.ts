import { describe, expect, it } from 'vitest';
import {
  beyondMine,
  hasCapability,
  isDistribution,
  mayOpen,
  MODULES,
  parseOptions,
  permissionsBody,
  permissionsForm,
  samePermissions,
  showAdmin,
  visibleSections,
} from './admin';

/** Permissions as the server's role defaults give them (domain/permissions.rs). */
const none = Object.fromEntries(MODULES.map((m) => [m, 'none']));
const admin = {
  modules: Object.fromEntries(MODULES.map((m) => [m, 'view_edit'])),
  capabilities: ['see_all_chats', 'contact_observations', 'support_code', 'analytics'],
};
const manager = {
  modules: {
    ...none,
    chat: 'view_edit',
    contacts: 'view_edit',
    departments: 'view_edit',
    tags: 'view_edit',
    custom_fields: 'view_edit',
    ready_responses: 'view_edit',
    campaigns: 'view_edit',
    flows: 'view_edit',
    reports: 'view_edit',
    users: 'view',
    inboxes: 'view',
  },
  capabilities: ['see_all_chats', 'contact_observations', 'analytics'],
};
const agent = {
  modules: {
    ...none,
    chat: 'view_edit',
    contacts: 'view',
    tags: 'view',
    departments: 'view',
    custom_fields: 'view',
    ready_responses: 'view',
    campaigns: 'view',
  },
  capabilities: ['contact_observations'],
};

describe('admin entry and pages', () => {
  it('lists the pages whose module is visible, in menu order', () => {
    const all = ['users', 'departments', 'inboxes', 'tags', 'fields', 'ready-responses', 'campaigns', 'flows', 'reports'];
    expect(visibleSections(admin)).toEqual([...all, 'settings']);
    expect(visibleSections(manager)).toEqual(all);
    expect(visibleSections(agent)).toEqual(['departments', 'tags', 'fields', 'ready-responses', 'campaigns']);
    expect(visibleSections(null)).toEqual([]);
    expect(visibleSections({ modules: { users: 'bogus' } })).toEqual([]);
  });

  it('shows "Administração" to admins and managers, not to a default agent', () => {
    expect(showAdmin(admin)).toBe(true);
    expect(showAdmin(manager)).toBe(true);
    expect(showAdmin(agent)).toBe(false);
    expect(showAdmin(undefined)).toBe(false);
    // An agent given edit on tags, or a view of users, gets it.
    expect(showAdmin({ ...agent, modules: { ...agent.modules, tags: 'view_edit' } })).toBe(true);
    expect(showAdmin({ ...agent, modules: { ...agent.modules, users: 'view' } })).toBe(true);
    // Editing ready responses (LC-20) is administration; viewing them is not.
    expect(showAdmin({ ...agent, modules: { ...agent.modules, ready_responses: 'view_edit' } })).toBe(true);
    expect(showAdmin({ modules: { ready_responses: 'view' } })).toBe(false);
    // Bot flows are administration: editing them shows the entry.
    expect(showAdmin({ ...agent, modules: { ...agent.modules, flows: 'view_edit' } })).toBe(true);
    // So is managing campaigns (LC-2); agents only list them.
    expect(showAdmin({ ...agent, modules: { ...agent.modules, campaigns: 'view_edit' } })).toBe(true);
    // The report manager (RP-1) only reads: viewing reports is enough.
    expect(showAdmin({ ...agent, modules: { ...agent.modules, reports: 'view' } })).toBe(true);
    expect(visibleSections({ modules: { reports: 'view' } })).toEqual(['reports']);
  });

  it('shows the organization settings only to who may edit them', () => {
    expect(mayOpen(admin, 'settings')).toBe(true);
    expect(mayOpen(manager, 'settings')).toBe(false);
    expect(mayOpen({ modules: { settings: 'view' } }, 'settings')).toBe(false);
    expect(visibleSections({ modules: { settings: 'view_edit' } })).toEqual(['settings']);
    expect(showAdmin({ ...agent, modules: { ...agent.modules, settings: 'view_edit' } })).toBe(true);
  });

  it('reads capabilities (monitoring needs analytics)', () => {
    expect(hasCapability(admin, 'analytics')).toBe(true);
    expect(hasCapability(manager, 'analytics')).toBe(true);
    expect(hasCapability(agent, 'analytics')).toBe(false);
    expect(hasCapability(null, 'analytics')).toBe(false);
    expect(hasCapability({ capabilities: 'analytics' }, 'analytics')).toBe(false);
  });
});

describe('permissions grid', () => {
  it('reads every module (missing or unknown = none) and every capability', () => {
    const form = permissionsForm({ modules: { chat: 'view_edit', tags: 'weird' }, capabilities: ['analytics', 'x'] });
    expect(form.modules.chat).toBe('view_edit');
    expect(form.modules.tags).toBe('none');
    expect(Object.keys(form.modules)).toEqual([...MODULES]);
    expect(form.capabilities).toEqual({
      see_all_chats: false,
      contact_observations: false,
      support_code: false,
      analytics: true,
    });
  });

  it('builds the body the API takes: all modules, capabilities that are on', () => {
    const form = permissionsForm(agent);
    form.modules.reports = 'view';
    form.capabilities.see_all_chats = true;
    const body = permissionsBody(form);
    expect(body.modules).toEqual({ ...agent.modules, reports: 'view' });
    expect(body.capabilities).toEqual(['see_all_chats', 'contact_observations']);
    expect(samePermissions(permissionsForm(agent), permissionsForm(agent))).toBe(true);
    expect(samePermissions(form, permissionsForm(agent))).toBe(false);
  });

  it('points out grants beyond the granter’s own', () => {
    const form = permissionsForm(manager);
    expect(beyondMine(form, manager)).toEqual({ modules: [], capabilities: [] });
    form.modules.settings = 'view';
    form.modules.users = 'view_edit';
    form.capabilities.support_code = true;
    expect(beyondMine(form, manager)).toEqual({ modules: ['users', 'settings'], capabilities: ['support_code'] });
    expect(beyondMine(form, admin)).toEqual({ modules: [], capabilities: [] });
  });
});

describe('parseOptions', () => {
  it('one per line, trimmed, without blanks or repeats', () => {
    expect(parseOptions(' Sim \n\nNão\nSim\n  ')).toEqual(['Sim', 'Não']);
    expect(parseOptions('')).toEqual([]);
  });
});

describe('isDistribution', () => {
  it("takes the server's two rules only", () => {
    expect(isDistribution('manual')).toBe(true);
    expect(isDistribution('auto')).toBe(true);
    expect(isDistribution('Auto')).toBe(false);
    expect(isDistribution(undefined)).toBe(false);
  });
});
