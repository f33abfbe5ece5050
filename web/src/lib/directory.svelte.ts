/**
 * Names the chat list and the pane show for ids: departments, tags and
 * users. Agents may not list users (the Users module), so user names can be
 * unavailable; callers then say "another agent" rather than guess.
 */
import { api, call } from '../api/client';
import { ApiFailure } from '../api/errors';
import type { Department, Tag, User } from '../api/types';
import { describeError } from './errors';

export const directory = $state<{
  departments: Department[];
  tags: Tag[];
  users: User[];
  /** The caller may list users (needed for the agent filter and names). */
  usersAvailable: boolean;
  error: string | null;
}>({ departments: [], tags: [], users: [], usersAvailable: false, error: null });

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403) return null;
    throw e;
  }
}

/** The access a session's permissions give to a module ("none" if unknown). */
export function moduleAccess(permissions: unknown, module: string): string {
  const modules = (permissions as { modules?: Record<string, unknown> } | null)?.modules;
  const v = modules?.[module];
  return typeof v === 'string' ? v : 'none';
}

/** Loads what the caller may see (`permissions` from `/me` saves refused calls). */
export async function loadDirectory(permissions: unknown): Promise<void> {
  const may = (module: string) => moduleAccess(permissions, module) !== 'none';
  try {
    const [departments, tags, users] = await Promise.all([
      may('departments') ? optional(call(api.GET('/api/v1/departments'))) : null,
      may('tags') ? optional(call(api.GET('/api/v1/tags'))) : null,
      may('users') ? optional(call(api.GET('/api/v1/users'))) : null,
    ]);
    directory.departments = departments ?? [];
    directory.tags = tags ?? [];
    directory.users = (users ?? []).filter((u) => u.active);
    directory.usersAvailable = users !== null;
    directory.error = null;
  } catch (e) {
    directory.error = describeError(e);
  }
}

export function clearDirectory(): void {
  directory.departments = [];
  directory.tags = [];
  directory.users = [];
  directory.usersAvailable = false;
  directory.error = null;
}

export function departmentName(id: string | null | undefined): string | null {
  if (!id) return null;
  return directory.departments.find((d) => d.id === id)?.name ?? null;
}

export function userName(id: string | null | undefined): string | null {
  if (!id) return null;
  return directory.users.find((u) => u.id === id)?.name ?? null;
}
