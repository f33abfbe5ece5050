/**
 * The API's types (`schema.d.ts`: requests, answers, WebSocket frames and
 * every event kind with its payload) are generated from `openapi.json`,
 * which a server test keeps equal to the server's document. This test
 * closes the chain: the committed types must be what the generator makes
 * of the committed document. It lives outside `src/` because it runs
 * the generator with Node's APIs (`tsconfig.node.json`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const web = fileURLToPath(new URL('../', import.meta.url));

describe('the generated API types', () => {
  it('match openapi.json (after an API change run `make api-types`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-api-types-'));
    try {
      const out = join(dir, 'schema.d.ts');
      const cli = join(web, 'node_modules/openapi-typescript/bin/cli.js');
      execFileSync(process.execPath, [cli, 'openapi.json', '-o', out], { cwd: web, stdio: 'ignore' });
      const fresh = readFileSync(out, 'utf8');
      const committed = readFileSync(join(web, 'src/api/schema.d.ts'), 'utf8');
      expect(committed === fresh, 'src/api/schema.d.ts is out of date: run `make api-types`').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
