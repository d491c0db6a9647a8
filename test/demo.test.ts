/**
 * `vpcflow demo` (what `npm run demo` runs): a newcomer sees records within a minute, through softflowd
 * when it is installed and through the built-in IPFIX sender otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../bin/ensure-built.js';
import { findSoftflowd } from '../src/dataplane/sample/softflowd.js';
import { SAMPLE_CONVERSATIONS } from '../src/dataplane/sample/sample-traffic.js';
import { runBin } from './support/process.js';
import { skipWithout } from './support/real-tools.js';

beforeAll(async () => {
  expect(await ensureBuilt()).toBe(true);
}, 300_000);

/** Each conversation is two flows (request, reply); each flow counts on every seed ENI it touches. */
const EXPECTED_RECORDS = SAMPLE_CONVERSATIONS.reduce(
  (n, c) => n + 2 * [c.src, c.dst].filter((a) => /^10\.0\./.test(a)).length,
  0,
);

function checkOutput(out: { code: number; stdout: string; stderr: string }): void {
  expect(out.code, out.stderr).toBe(0);
  const lines = out.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^start\s+eni-id\s+direction\s+srcaddr/);
  expect(lines).toHaveLength(1 + EXPECTED_RECORDS);
  expect(out.stdout).toContain('eni-bp1exampleweb000001');
  expect(out.stdout).toMatch(/10\.0\.1\.10\s+443\s+203\.0\.113\.7\s+51514\s+6\s+5\s+\d+\s+ACCEPT\s+OK/);
  expect(out.stderr).toContain(`${EXPECTED_RECORDS} record(s) read back with GetLogs`);
}

describe('vpcflow demo', () => {
  it('prints records from the built-in IPFIX sender', async () => {
    const out = await runBin(['demo', '--sender', 'builtin']);
    checkOutput(out);
    expect(out.stderr).toContain('built-in IPFIX sender');
  }, 120_000);

  it.skipIf(skipWithout(findSoftflowd() !== undefined))(
    'prints records sent through softflowd',
    async () => {
      const out = await runBin(['demo']);
      checkOutput(out);
      expect(out.stderr).toMatch(/softflowd \(\S+\) replayed \d+ packets as IPFIX/);
    },
    120_000,
  );
});
