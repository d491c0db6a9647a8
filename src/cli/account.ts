/**
 * `vpcflow account create`: asks a running server for a new account (`POST /_vpcflow/accounts`) and
 * prints its ID and first root AccessKey as JSON. The secret is shown this once. Like every writing
 * admin endpoint it needs the operator: the server's `--admin-token`, or a loopback connection.
 */
import { endpointUrl } from './logs-query.js';
import { ACCOUNT_CREATE, helpText, parseCommand, UsageError } from './options.js';

const ACCOUNT_HELP = `Usage:
  vpcflow account create [options]   create an account on a running server

Run "vpcflow account create --help" for the options.
`;

export async function accountCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    (sub === undefined ? process.stderr : process.stdout).write(ACCOUNT_HELP);
    return sub === undefined ? 1 : 0;
  }
  if (sub !== 'create') throw new UsageError(`unknown account command "${sub}"`, 'vpcflow account');
  const { values } = parseCommand(ACCOUNT_CREATE, rest, 'vpcflow account create');
  if (values['help']) {
    process.stdout.write(helpText(ACCOUNT_CREATE));
    return 0;
  }
  const pick = (name: string, variable: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : env[variable] || undefined;
  };
  const base = endpointUrl(pick('endpoint', 'VPCFLOW_ENDPOINT') ?? 'http://127.0.0.1:8080');
  const accountId = pick('account-id', '');
  if (accountId !== undefined && !/^\d{16}$/.test(accountId))
    throw new UsageError('--account-id must be 16 digits', 'vpcflow account create');
  const token = pick('admin-token', 'VPCFLOW_ADMIN_TOKEN');
  const res = await fetch(new URL('/_vpcflow/accounts', base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
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
