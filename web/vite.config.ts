import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/** Where the atende server runs (`atende demo` listens on 127.0.0.1:8080). */
const target = process.env.ATENDE_URL ?? 'http://127.0.0.1:8080';

// `changeOrigin` stays off: the server accepts a cookie-authenticated
// WebSocket upgrade only when `Origin` names the `Host` it was sent to, and
// both must stay the dev server's own.
const proxy = {
  '/api': { target, ws: true, changeOrigin: false },
  '/webhooks': { target, changeOrigin: false },
  '/media': { target, changeOrigin: false },
  '/widget': { target, changeOrigin: false },
};

export default defineConfig({
  plugins: [svelte()],
  // Absolute asset paths: the atende binary serves the build at `/`, and the
  // app has nested routes (`/admin/users`) whose index.html must still find
  // `/assets/…` (a relative `./assets/…` would resolve under `/admin/`).
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy },
  preview: { proxy },
  test: {
    include: ['src/**/*.test.ts', 'tests/*.test.ts'],
    environment: 'node',
  },
});
