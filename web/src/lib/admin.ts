/**
 * What the admin area shows for a session's permissions (AD-1), and the
 * permissions object the users page sends (`{modules, capabilities}`).
 */
import type { AdminSection } from './router.svelte';
import { ADMIN_SECTIONS } from './router.svelte';

export type Access = 'none' | 'view' | 'view_edit';
export const ACCESS_LEVELS: readonly Access[] = ['none', 'view', 'view_edit'];

/** Every module the server knows, in the order the grid lists them. */
export const MODULES = [
  'chat',
  'contacts',
  'departments',
  'users',
  'inboxes',
  'tags',
  'custom_fields',
  'ready_responses',
  'campaigns',
  'flows',
  'reports',
  'settings',
  'organizations',
] as const;
export type Module = (typeof MODULES)[number];

export const CAPABILITIES = ['see_all_chats', 'contact_observations', 'support_code', 'analytics'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How a department hands out the chats passed to it (by a flow or a
 * forward): `manual`, they wait in "Chats abertos" for its members; `auto`,
 * the least busy available member with a free slot gets each, else it waits
 * in the department's queue (crates/server/src/flows/routing.rs).
 */
export const DISTRIBUTIONS = ['manual', 'auto'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export function isDistribution(v: unknown): v is Distribution {
  return typeof v === 'string' && (DISTRIBUTIONS as readonly string[]).includes(v);
}

/** The bounds of a user's `max_chats` (chats routing gives them at once), as the server checks them. */
export const MAX_CHATS_MIN = 0;
export const MAX_CHATS_MAX = 100;

/** The module behind each admin page. */
export const SECTION_MODULE: Record<AdminSection, Module> = {
  users: 'users',
  departments: 'departments',
  inboxes: 'inboxes',
  tags: 'tags',
  fields: 'custom_fields',
  'ready-responses': 'ready_responses',
  campaigns: 'campaigns',
  flows: 'flows',
  reports: 'reports',
  settings: 'settings',
};

/**
 * Pages that only edit (the organization's settings): shown with edit
 * access to their module, not a view of it.
 */
const EDIT_ONLY: readonly AdminSection[] = ['settings'];

export interface PermissionsForm {
  modules: Record<Module, Access>;
  capabilities: Record<Capability, boolean>;
}

function isAccess(v: unknown): v is Access {
  return typeof v === 'string' && (ACCESS_LEVELS as readonly string[]).includes(v);
}

/** The access `permissions` (as `/me` or `UserOut` give them) grant to a module. */
export function accessTo(permissions: unknown, module: Module): Access {
  const v = (permissions as { modules?: Record<string, unknown> } | null | undefined)?.modules?.[module];
  return isAccess(v) ? v : 'none';
}

export function canView(permissions: unknown, module: Module): boolean {
  return accessTo(permissions, module) !== 'none';
}

export function canEdit(permissions: unknown, module: Module): boolean {
  return accessTo(permissions, module) === 'view_edit';
}

/** Whether the session may open an admin page. */
export function mayOpen(permissions: unknown, section: AdminSection): boolean {
  const module = SECTION_MODULE[section];
  return EDIT_ONLY.includes(section) ? canEdit(permissions, module) : canView(permissions, module);
}

/** The admin pages a user may open (module visible, or editable for edit-only pages), in menu order. */
export function visibleSections(permissions: unknown): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => mayOpen(permissions, s));
}

/** Whether the session has a capability (`analytics`: monitoring, RP-5). */
export function hasCapability(permissions: unknown, capability: Capability): boolean {
  const caps = (permissions as { capabilities?: unknown } | null | undefined)?.capabilities;
  return Array.isArray(caps) && caps.includes(capability);
}

/**
 * Whether the "Administração" entry shows. Every agent may *see*
 * departments, tags, custom fields and ready responses (the console uses
 * them), so viewing those alone does not make someone an administrator: the
 * entry needs edit access to one admin module (ready responses included),
 * or a view of users, inboxes or reports (which agents do not get by
 * default; the report manager only reads, so viewing reports is its use).
 */
export function showAdmin(permissions: unknown): boolean {
  const sections = visibleSections(permissions);
  return sections.some(
    (s) => canEdit(permissions, SECTION_MODULE[s]) || s === 'users' || s === 'inboxes' || s === 'reports',
  );
}

/** The editable form of a user's permissions (unknown values read as none / off). */
export function permissionsForm(permissions: unknown): PermissionsForm {
  const caps = (permissions as { capabilities?: unknown } | null | undefined)?.capabilities;
  const list = Array.isArray(caps) ? caps : [];
  return {
    modules: Object.fromEntries(MODULES.map((m) => [m, accessTo(permissions, m)])) as Record<Module, Access>,
    capabilities: Object.fromEntries(CAPABILITIES.map((c) => [c, list.includes(c)])) as Record<
      Capability,
      boolean
    >,
  };
}

/** The `permissions` object the API takes: every module, the capabilities that are on. */
export function permissionsBody(form: PermissionsForm): {
  modules: Record<Module, Access>;
  capabilities: Capability[];
} {
  return {
    modules: Object.fromEntries(MODULES.map((m) => [m, form.modules[m] ?? 'none'])) as Record<Module, Access>,
    capabilities: CAPABILITIES.filter((c) => form.capabilities[c]),
  };
}

/** Whether two permission forms grant the same. */
export function samePermissions(a: PermissionsForm, b: PermissionsForm): boolean {
  return JSON.stringify(permissionsBody(a)) === JSON.stringify(permissionsBody(b));
}

/**
 * The modules and capabilities of `form` that go beyond what `mine` grants:
 * the server refuses such a grant, so the grid points them out.
 */
export function beyondMine(form: PermissionsForm, mine: unknown): { modules: Module[]; capabilities: Capability[] } {
  const rank = (a: Access) => ACCESS_LEVELS.indexOf(a);
  const own = permissionsForm(mine);
  return {
    modules: MODULES.filter((m) => rank(form.modules[m]) > rank(own.modules[m])),
    capabilities: CAPABILITIES.filter((c) => form.capabilities[c] && !own.capabilities[c]),
  };
}

/** Options of an "option" custom field, one per line: trimmed, blanks and repeats dropped. */
export function parseOptions(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const v = line.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}
