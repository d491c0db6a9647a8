/**
 * `npm start` as a supervisor, a CI job or a container runs it: the ready line on stdout, and a SIGTERM
 * sent to the npm process reaches the server (the script execs node; npm forwards the signal), which
 * stops and frees its port. With a current build, no rebuild happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, isStale } from '../bin/ensure-built.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  expect(await ensureBuilt()).toBe(true);
}, 300_000);

interface Started {
  proc: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | string>;
}

async function npmStart(npmArgs: string[], command = 'npm'): Promise<Started> {
  const args = command === 'npm' ? [...npmArgs, '--'] : npmArgs;
  const proc = spawn(command, [...args, '--port', '0', '--in-memory'], {
    cwd: ROOT,
    env: { ...process.env, VPCFLOW_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out} ${err}`)), 90_000);
    const check = (): void => {
      const m = /vpcflow listening on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm exited (${code}) before ready: ${err}`));
    });
  });
  return { proc, port, stdout: () => out, stderr: () => err, exited };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('npm start', () => {
  it('stops the server and frees the port when npm gets SIGTERM', async () => {
    expect(isStale()).toBe(false);
    const started = await npmStart(['start']);
    expect(await refused(started.port)).toBe(false);
    // The last stdout line is the ready line; the rest is npm's own banner ("> vpcflow@0.1.0 start").
    const lines = started.stdout().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`vpcflow listening on http://127.0.0.1:${started.port}`);
    for (const line of lines.slice(0, -1)) expect(line === '' || line.startsWith('> ')).toBe(true);
    // A current build is not rebuilt.
    expect(started.stderr()).not.toContain('building dist/');

    started.proc.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    let free = false;
    for (let i = 0; i < 100 && !free; i++) {
      free = await refused(started.port);
      if (!free) await new Promise((r) => setTimeout(r, 100));
    }
    expect(free).toBe(true);
  }, 180_000);

  it('stops the server when npx vpcflow gets SIGTERM (npm runs it through a shell that does not exec)', async () => {
    const started = await npmStart(['vpcflow', 'serve'], 'npx');
    expect(started.stdout()).toBe(`vpcflow listening on http://127.0.0.1:${started.port}\n`);
    started.proc.kill('SIGTERM');
    await started.exited;
    let free = false;
    for (let i = 0; i < 100 && !free; i++) {
      free = await refused(started.port);
      if (!free) await new Promise((r) => setTimeout(r, 100));
    }
    expect(free).toBe(true);
  }, 180_000);

  it('prints the ready line alone with npm start --silent, and exits 0 on SIGINT', async () => {
    const started = await npmStart(['start', '--silent']);
    expect(started.stdout()).toBe(`vpcflow listening on http://127.0.0.1:${started.port}\n`);
    started.proc.kill('SIGINT');
    expect(await started.exited).toBe(0);
    expect(await refused(started.port)).toBe(true);
  }, 180_000);
});
