/**
 * `vpcflow account create`: asks a running server for a new account (`POST /_vpcflow/accounts`) and
 * prints its ID and first root AccessKey as JSON. The secret is shown this once. The server must be
 * reachable from a loopback address, like its other writing admin endpoints.
 */
import { parseArgs } from 'node:util';
import { CliUsageError, endpointUrl } from './logs-query.js';

const HELP = `Usage:
  vpcflow account create [--account-id ID] [--endpoint URL]

  --account-id ID    16 digits; a random ID when omitted
  --endpoint URL     server (VPCFLOW_ENDPOINT, default http://127.0.0.1:8080)

Prints {"accountId", "accessKeyId", "accessKeySecret"}; the secret is not shown again.
`;

export async function accountCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    process.stdout.write(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'create') throw new CliUsageError(`unknown account command "${sub}"\n\n${HELP}`);
  const { values } = parseArgs({
    args: rest,
    options: { 'account-id': { type: 'string' }, endpoint: { type: 'string' } },
    strict: true,
  });
  const base = endpointUrl(values.endpoint ?? process.env['VPCFLOW_ENDPOINT'] ?? 'http://127.0.0.1:8080');
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{16}$/.test(accountId))
    throw new CliUsageError('--account-id must be 16 digits');
  const res = await fetch(new URL('/_vpcflow/accounts', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(accountId ? { accountId } : {}),
  });
  const text = await res.text();
  if (res.status !== 201) {
    process.stderr.write(`vpcflow: account create failed (HTTP ${res.status}): ${text}\n`);
    return 1;
  }
  process.stdout.write(`${text}\n`);
  return 0;
}
