/**
 * The README's SLS snippets, extracted and run as written (`node snippet.mjs`, only the port changed to a
 * test server's) on this machine's stock resolver, which does not answer `*.localhost`: they must print
 * their result and exit 0. They import `vpcflow/sls-localhost`, resolved through the package's own
 * `exports` (a file inside this package), from the compiled build.
 */
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../bin/ensure-built.js';
import { startTestServer, type TestServer } from './support/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Inside the package (so `vpcflow/...` self-resolves), ignored by git, lint and prettier.
const DIR = join(ROOT, '.tmp', `snippets-${process.pid}`);

/** `<!-- snippet: NAME -->` followed by a ```js block. */
export function readmeSnippets(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- snippet: ([\w-]+) -->\s*```js\n([\s\S]*?)```/g)) {
    out.set(m[1]!, m[2]!);
  }
  return out;
}

let server: TestServer;

beforeAll(async () => {
  expect(await ensureBuilt()).toBe(true);
  server = await startTestServer({ seedFiles: ['examples/seed.yaml'] });
  mkdirSync(DIR, { recursive: true });
}, 300_000);

afterAll(async () => {
  await server?.close();
  rmSync(DIR, { recursive: true, force: true });
});

function runNode(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env['NODE_OPTIONS']; // as a user's shell: no test-runner loader
    const proc = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('README SLS snippets', () => {
  const snippets = readmeSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('has both snippets, each importing the preload', () => {
    expect([...snippets.keys()]).toEqual(['sls20201230', 'log']);
    for (const code of snippets.values()) expect(code).toContain("import 'vpcflow/sls-localhost';");
  });

  for (const name of ['sls20201230', 'log']) {
    it(`${name}: runs as written against a server`, async () => {
      const code = snippets.get(name)!.replaceAll(':8080', `:${server.port}`);
      const file = join(DIR, `${name}.mjs`);
      writeFileSync(file, code);
      const run = await runNode(file);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(name === 'log' ? /^0 record\(s\)\n$/ : /^200 0 record\(s\)\n$/);
    }, 60_000);
  }

  it('without the preload, the stock resolver fails on {project}.localhost (why the preload exists)', async (ctx) => {
    // Hosts with systemd-resolved answer *.localhost themselves: nothing to show there.
    if (
      await lookup('flowlog-project.localhost').then(
        () => true,
        () => false,
      )
    )
      ctx.skip();
    const code = snippets
      .get('log')!
      .replace("import 'vpcflow/sls-localhost';\n", '')
      .replaceAll(':8080', `:${server.port}`);
    const file = join(DIR, 'no-preload.mjs');
    writeFileSync(file, code);
    const run = await runNode(file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ENOTFOUND');
  }, 60_000);
});
