/**
 * `--help` and `-h` on every command and subcommand (exit 0, options with their variables and defaults),
 * and usage errors that end with a pointer to that help. Runs the installed command (bin/vpcflow.js).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { helpText, SERVE } from '../src/cli/options.js';
import { runBin } from './support/process.js';
import { ensureBuilt } from '../bin/ensure-built.js';

beforeAll(async () => {
  expect(await ensureBuilt()).toBe(true);
}, 300_000);

describe('vpcflow --help', () => {
  it('answers --help, -h and help for every command, exit 0, on stdout', async () => {
    const cases: [string[], string][] = [
      [['--help'], 'Usage:\n  vpcflow serve'],
      [['-h'], 'Usage:\n  vpcflow serve'],
      [['help'], 'vpcflow logs query'],
      [['serve', '--help'], 'Usage: vpcflow serve [options]'],
      [['serve', '-h'], 'Usage: vpcflow serve [options]'],
      [['help', 'serve'], 'Usage: vpcflow serve [options]'],
      [['logs', '--help'], 'Usage: vpcflow logs query'],
      [['logs', 'query', '--help'], 'Usage: vpcflow logs query'],
      [['logs', 'query', '-h'], 'Usage: vpcflow logs query'],
      [['demo', '--help'], 'Usage: vpcflow demo [options]'],
    ];
    for (const [args, expected] of cases) {
      const out = await runBin(args);
      expect(out.code, args.join(' ')).toBe(0);
      expect(out.stdout, args.join(' ')).toContain(expected);
    }
  }, 180_000);

  it('lists every serve option with its environment variable and default', async () => {
    const out = await runBin(['serve', '--help']);
    expect(out.stdout).toBe(helpText(SERVE));
    for (const o of SERVE.options) {
      const line = out.stdout.split('\n').find((l) => l.startsWith(`  --${o.name}`)) ?? '';
      if (o.env) expect(line, o.name).toContain(`env ${o.env}`);
      if (o.default !== undefined) expect(line, o.name).toContain(`default ${o.default}`);
    }
    expect(out.stdout).toContain('--log-format FORMAT');
  }, 60_000);

  it('ends usage errors with a pointer to the command help', async () => {
    const cases: [string[], string][] = [
      [['serve', '--bogus'], 'Run "vpcflow serve --help" for the options.'],
      [['serve', '--port', 'http'], 'Run "vpcflow serve --help" for the options.'],
      [['logs', 'query', '--nope'], 'Run "vpcflow logs query --help" for the options.'],
      [['logs', 'query'], 'Run "vpcflow logs query --help" for the options.'],
      [['logs', 'tail'], 'Run "vpcflow logs --help" for the options.'],
      [['demo', '--sender', 'carrier-pigeon'], 'Run "vpcflow demo --help" for the options.'],
      [['frobnicate'], 'Run "vpcflow --help" for the options.'],
    ];
    for (const [args, expected] of cases) {
      const out = await runBin(args);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr.trimEnd().endsWith(expected), `${args.join(' ')}: ${out.stderr}`).toBe(true);
    }
  }, 180_000);
});
