import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoute, pathOf } from './router.svelte';

describe('parseRoute', () => {
  it('reads the console at / and the admin pages at /admin/…', () => {
    expect(parseRoute('/')).toEqual({ kind: 'console' });
    expect(parseRoute('')).toEqual({ kind: 'console' });
    expect(parseRoute('/admin')).toEqual({ kind: 'admin', section: null });
    expect(parseRoute('/admin/')).toEqual({ kind: 'admin', section: null });
    for (const s of [
      'users',
      'departments',
      'inboxes',
      'tags',
      'fields',
      'ready-responses',
      'flows',
      'reports',
      'settings',
    ] as const) {
      expect(parseRoute(`/admin/${s}`)).toEqual({ kind: 'admin', section: s });
      expect(parseRoute(`/admin/${s}/`)).toEqual({ kind: 'admin', section: s });
    }
  });

  it('reads a flow\'s editor at /admin/flows/{id}', () => {
    expect(parseRoute('/admin/flows/f-1')).toEqual({ kind: 'admin', section: 'flows', item: 'f-1' });
    expect(parseRoute('/admin/flows/f-1/')).toEqual({ kind: 'admin', section: 'flows', item: 'f-1' });
    expect(pathOf({ kind: 'admin', section: 'flows', item: 'f-1' })).toBe('/admin/flows/f-1');
    expect(parseRoute('/admin/flows/f-1/x')).toEqual({ kind: 'not_found', path: '/admin/flows/f-1/x' });
  });

  it('reads the out-of-hours contacts at /out-of-hours', () => {
    expect(parseRoute('/out-of-hours')).toEqual({ kind: 'out_of_hours' });
    expect(parseRoute('/out-of-hours/')).toEqual({ kind: 'out_of_hours' });
    expect(pathOf({ kind: 'out_of_hours' })).toBe('/out-of-hours');
    expect(parseRoute('/out-of-hours/x')).toEqual({ kind: 'not_found', path: '/out-of-hours/x' });
  });

  it('reads live monitoring at /monitoring', () => {
    expect(parseRoute('/monitoring')).toEqual({ kind: 'monitoring' });
    expect(parseRoute('/monitoring/')).toEqual({ kind: 'monitoring' });
    expect(pathOf({ kind: 'monitoring' })).toBe('/monitoring');
    expect(parseRoute('/monitoring/x')).toEqual({ kind: 'not_found', path: '/monitoring/x' });
    expect(parseRoute('/admin/monitoring')).toEqual({ kind: 'not_found', path: '/admin/monitoring' });
  });

  it('calls anything else not found', () => {
    expect(parseRoute('/admin/setting')).toEqual({ kind: 'not_found', path: '/admin/setting' });
    expect(parseRoute('/admin/users/1')).toEqual({ kind: 'not_found', path: '/admin/users/1' });
    expect(parseRoute('/users')).toEqual({ kind: 'not_found', path: '/users' });
  });

  it('pathOf is its inverse', () => {
    for (const p of [
      '/',
      '/admin',
      '/admin/users',
      '/admin/fields',
      '/admin/flows',
      '/admin/flows/abc',
      '/admin/settings',
      '/out-of-hours',
      '/monitoring',
    ]) {
      expect(pathOf(parseRoute(p))).toBe(p);
    }
  });
});

describe('navigate', () => {
  const calls: string[] = [];
  let href = 'http://app.test/?chat=c1';

  beforeEach(() => {
    calls.length = 0;
    href = 'http://app.test/?chat=c1';
    const loc = {
      get href() {
        return href;
      },
      get pathname() {
        return new URL(href).pathname;
      },
      get search() {
        return new URL(href).search;
      },
    };
    const push = (kind: string) => (_s: unknown, _t: string, url: URL | string) => {
      href = String(url);
      calls.push(`${kind} ${new URL(href).pathname}${new URL(href).search}`);
    };
    vi.stubGlobal('location', loc);
    vi.stubGlobal('history', { pushState: push('push'), replaceState: push('replace') });
    const listeners = new Map<string, () => void>();
    vi.stubGlobal('addEventListener', (k: string, f: () => void) => listeners.set(k, f));
    vi.stubGlobal('removeEventListener', (k: string) => listeners.delete(k));
    vi.stubGlobal('__listeners', listeners);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('pushes, replaces, skips the current path and follows popstate', async () => {
    const { navigate, router, startRouter } = await import('./router.svelte');
    const stop = startRouter();
    expect(router.route).toEqual({ kind: 'console' });

    navigate('/admin/tags');
    expect(router.route).toEqual({ kind: 'admin', section: 'tags' });
    navigate('/admin/tags');
    navigate('/admin/users', { replace: true });
    expect(calls).toEqual(['push /admin/tags', 'replace /admin/users']);

    navigate('/monitoring');
    expect(router.route).toEqual({ kind: 'monitoring' });

    // Back to the console with its chat query kept by the caller.
    navigate('/?chat=c2');
    expect(router.route).toEqual({ kind: 'console' });
    expect(href).toBe('http://app.test/?chat=c2');

    // The browser's back button.
    href = 'http://app.test/admin/departments';
    (globalThis as unknown as { __listeners: Map<string, () => void> }).__listeners.get('popstate')?.();
    expect(router.route).toEqual({ kind: 'admin', section: 'departments' });
    stop();
  });

  it('lets modified clicks through (new tab) and handles plain ones', async () => {
    const { linkClick, router } = await import('./router.svelte');
    const click = (over: Partial<MouseEvent>) => {
      let prevented = false;
      const e = {
        defaultPrevented: false,
        button: 0,
        metaKey: false,
        ctrlKey: false,
        shiftKey: false,
        altKey: false,
        preventDefault: () => (prevented = true),
        ...over,
      } as unknown as MouseEvent;
      linkClick(e, '/admin/fields');
      return prevented;
    };
    expect(click({ ctrlKey: true })).toBe(false);
    expect(click({ button: 1 })).toBe(false);
    expect(calls).toEqual([]);
    expect(click({})).toBe(true);
    expect(router.route).toEqual({ kind: 'admin', section: 'fields' });
  });
});
