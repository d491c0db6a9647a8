/**
 * `vpcflow logs query`: reads records through the SLS API of a running server (GetLogs), so it exercises
 * exactly what the SDKs see. Requests are signed with SLS v1 (HMAC-SHA256) and sent path-style to the
 * endpoint with an explicit `Host: {project}.localhost` (or `{project}.{region}.localhost`), so no name
 * resolution is needed.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../products/identity/identity-service.js';
import { buildSlsV1StringToSign, signSlsV1 } from '../protocol/sls/sls-signature-v1.js';

export const LOGS_HELP = `Usage:
  vpcflow logs query --project P --logstore L [options] [QUERY]

Reads flow-log records through the SLS API of a running vpcflow server. QUERY is SLS search syntax,
optionally followed by "| select ..." (default "*").

Options:
  --project P        SLS project (required)
  --logstore L       logstore (required)
  --from T           start, inclusive (default -15m)
  --to T             end, exclusive (default now)
  --region R         region of the project, when its name alone does not settle it
  --limit N          at most N records for a search (default 100; pages of 100); SQL uses its own LIMIT
  --json             one JSON object per line instead of a table
  --endpoint URL     server, http:// or https:// (VPCFLOW_ENDPOINT, default http://127.0.0.1:8080;
                     IPv6 as http://[::1]:8080)
T is Unix seconds, ISO-8601 (2026-01-02T03:04:05Z; UTC when no zone is given), "now", or relative:
-30s, -15m, -1h, -2d.
Credentials: VPCFLOW_ACCESS_KEY_ID / VPCFLOW_ACCESS_KEY_SECRET (default: the development AccessKey).
`;

/** A bad argument: main prints the message alone (as for configuration errors). */
export class CliUsageError extends ConfigError {}

/** Parses a time argument into Unix seconds. */
export function parseTimeArg(value: string, nowMs: number = Date.now()): number {
  const v = value.trim();
  if (v === 'now') return Math.floor(nowMs / 1000);
  if (/^\d+$/.test(v)) return Number(v);
  const rel = /^-(\d+)([smhd])$/.exec(v);
  if (rel) {
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return Math.floor(nowMs / 1000) - Number(rel[1]) * unit;
  }
  // ISO-8601 only (Date.parse takes far more). Anything without a zone is read as UTC: Date.parse does so
  // for a bare date but reads a zone-less date-time as local time, so such a value gets an explicit `Z`.
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (iso) {
    const [, date, time, zone] = iso;
    const ms = Date.parse(time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${zone ?? 'Z'}`);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new CliUsageError(
    `cannot read time "${value}": use Unix seconds, ISO-8601, "now" or -15m / -1h / -2d`,
  );
}

export interface SlsGetLogsArgs {
  endpoint: string;
  project: string;
  region?: string | undefined;
  logstore: string;
  accessKeyId: string;
  accessKeySecret: string;
  params: Record<string, string>;
  /** Give up after this long without an answer (default 30 s). */
  timeoutMs?: number;
}

export interface SlsHttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One signed SLS v1 GetLogs call (exported for tests that need a hand-signed SLS request). */
export function slsGetLogs(args: SlsGetLogsArgs): Promise<SlsHttpResult> {
  const base = endpointUrl(args.endpoint);
  const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
  const path = `/logstores/${args.logstore}`;
  const query: Record<string, string> = { type: 'log', ...args.params };
  const headers: Record<string, string> = {
    host: `${args.project}.${args.region ? `${args.region}.` : ''}localhost`,
    date: new Date().toUTCString(),
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha256',
    'x-log-bodyrawsize': '0',
  };
  const stringToSign = buildSlsV1StringToSign({ method: 'GET', path, query, headers }, 'contains');
  headers['authorization'] =
    `LOG ${args.accessKeyId}:${signSlsV1(stringToSign, args.accessKeySecret, 'sha256')}`;
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        protocol: base.protocol,
        // URL keeps the brackets of an IPv6 literal ([::1]); the resolver wants the bare address.
        hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: base.port || (base.protocol === 'https:' ? 443 : 80),
        method: 'GET',
        path: `${path}?${search}`,
        headers,
        timeout: args.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${args.endpoint} within ${(args.timeoutMs ?? 30_000) / 1000} s`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** The endpoint as a URL: http or https only (sent with node:http or node:https). */
export function endpointUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CliUsageError(`cannot read endpoint "${endpoint}": use a URL such as http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(`endpoint "${endpoint}" must be an http:// or https:// URL`);
  }
  return url;
}

/** Left-aligned columns, two spaces apart; the header row is the field names. */
export function formatTable(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return '';
  const columns: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n') + '\n';
}

const PAGE = 100;

/**
 * parseArgs refuses `--from -1h` (a value starting with `-` looks like a flag); relative times are the
 * common case, so `--from -1h` is read as `--from=-1h`.
 */
function joinRelativeTimes(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if ((arg === '--from' || arg === '--to') && next !== undefined && /^-\d+[smhd]$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export async function logsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    process.stdout.write(LOGS_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'query') throw new CliUsageError(`unknown logs command "${sub}"\n\n${LOGS_HELP}`);
  const { values, positionals } = parseArgs({
    args: joinRelativeTimes(rest),
    options: {
      project: { type: 'string' },
      logstore: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      region: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      endpoint: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.project || !values.logstore) throw new CliUsageError('--project and --logstore are required');
  const now = Date.now();
  const from = parseTimeArg(values.from ?? '-15m', now);
  const to = parseTimeArg(values.to ?? 'now', now);
  const limit = values.limit === undefined ? PAGE : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new CliUsageError('--limit must be a positive integer');
  const query = positionals.join(' ').trim() || '*';
  const call = {
    endpoint: values.endpoint ?? (env['VPCFLOW_ENDPOINT'] || 'http://127.0.0.1:8080'),
    project: values.project,
    region: values.region,
    logstore: values.logstore,
    accessKeyId: env['VPCFLOW_ACCESS_KEY_ID'] || DEV_ACCESS_KEY_ID,
    accessKeySecret: env['VPCFLOW_ACCESS_KEY_SECRET'] || DEV_ACCESS_KEY_SECRET,
  };
  endpointUrl(call.endpoint); // a malformed endpoint is a usage error, not "cannot reach"

  const rows: Record<string, string>[] = [];
  // Searches page through `offset` (100 per call, the SLS maximum); an analytic query answers once.
  for (let offset = 0; rows.length < limit; offset += PAGE) {
    const line = Math.min(PAGE, limit - rows.length);
    const params = { from: String(from), to: String(to), query, line: String(line), offset: String(offset) };
    let res: SlsHttpResult;
    try {
      res = await slsGetLogs({ ...call, params: { ...params, reverse: 'false' } });
    } catch (err) {
      process.stderr.write(`vpcflow: cannot reach ${call.endpoint}: ${(err as Error).message}\n`);
      return 1;
    }
    if (res.status !== 200) {
      let message = res.body;
      try {
        const err = JSON.parse(res.body) as { errorCode?: string; errorMessage?: string };
        message = `${err.errorCode ?? res.status}: ${err.errorMessage ?? ''}`;
      } catch {
        // not the SLS envelope: print the body as it is
      }
      process.stderr.write(`vpcflow: ${message}\n`);
      return 1;
    }
    const page = JSON.parse(res.body) as Record<string, string>[];
    rows.push(...page);
    if (res.headers['x-log-has-sql'] === 'true' || page.length < line) break;
  }
  if (values.json) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    process.stdout.write(formatTable(rows));
    process.stderr.write(`${rows.length} record(s)\n`);
  }
  return 0;
}
