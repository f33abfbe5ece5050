/**
 * A small client-side router over the History API. The server (and Vite's
 * dev and preview servers) answer every app path with `index.html`; this
 * decides what to show for `location.pathname`. The console lives at `/`
 * (its `?chat=` query is its own business); the admin pages at `/admin/…`,
 * a bot flow's editor at `/admin/flows/{id}`, the report manager (RP-1) at
 * `/admin/reports`, the organization's settings at `/admin/settings`; the
 * contacts who wrote outside business hours (LC-21) at `/out-of-hours`;
 * live monitoring (RP-5) at `/monitoring`.
 */

export const ADMIN_SECTIONS = [
  'users',
  'departments',
  'inboxes',
  'tags',
  'fields',
  'ready-responses',
  'campaigns',
  'flows',
  'reports',
  'settings',
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { kind: 'console' }
  /**
   * `section` is null for `/admin` itself (the first page the user may see);
   * `item` is what a section's sub-path names (only flows have one: the
   * flow the editor opens).
   */
  | { kind: 'admin'; section: AdminSection | null; item?: string }
  /** "Contatos fora do horário" (LC-21), for agents. */
  | { kind: 'out_of_hours' }
  /** "Monitoramento" (RP-5), for users with the analytics capability. */
  | { kind: 'monitoring' }
  | { kind: 'not_found'; path: string };

function isSection(s: string): s is AdminSection {
  return (ADMIN_SECTIONS as readonly string[]).includes(s);
}

/** The route of a path (trailing slashes and repeated ones do not matter). */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  if (parts.length === 0) return { kind: 'console' };
  if (parts.length === 1 && parts[0] === 'out-of-hours') return { kind: 'out_of_hours' };
  if (parts.length === 1 && parts[0] === 'monitoring') return { kind: 'monitoring' };
  if (parts[0] === 'admin') {
    if (parts.length === 1) return { kind: 'admin', section: null };
    const section = parts[1] ?? '';
    if (parts.length === 2 && isSection(section)) return { kind: 'admin', section };
    const item = parts[2];
    if (parts.length === 3 && section === 'flows' && item) {
      return { kind: 'admin', section, item: decodeURIComponent(item) };
    }
  }
  return { kind: 'not_found', path: pathname };
}

/** The path of a route (the inverse of `parseRoute`). */
export function pathOf(route: Route): string {
  switch (route.kind) {
    case 'console':
      return '/';
    case 'admin':
      if (!route.section) return '/admin';
      return route.item ? `/admin/${route.section}/${encodeURIComponent(route.item)}` : `/admin/${route.section}`;
    case 'out_of_hours':
      return '/out-of-hours';
    case 'monitoring':
      return '/monitoring';
    case 'not_found':
      return route.path;
  }
}

export const router = $state<{ route: Route }>({
  route: parseRoute(globalThis.location?.pathname ?? '/'),
});

/**
 * Goes to `path` (may carry a `?query`): pushes a history entry (or replaces
 * the current one) and updates `router.route`. Going to the path already
 * shown does nothing.
 */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(path, location.href);
  if (url.pathname === location.pathname && url.search === location.search) return;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  router.route = parseRoute(url.pathname);
}

function onPopState(): void {
  router.route = parseRoute(location.pathname);
}

/** Follows the browser's back and forward buttons; returns the stopper. */
export function startRouter(): () => void {
  router.route = parseRoute(location.pathname);
  addEventListener('popstate', onPopState);
  return () => removeEventListener('popstate', onPopState);
}

/**
 * A click on an in-app link: navigates without reloading, unless the user
 * asked for a new tab or window (modifier keys, middle button).
 */
export function linkClick(e: MouseEvent, path: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(path);
}
