/**
 * `vpcflow logs query`: reads records through the SLS API of a running server (GetLogs), so it exercises
 * exactly what the SDKs see. Requests are signed with SLS v1 (HMAC-SHA256) and sent path-style to the
 * endpoint with an explicit `Host: {project}.localhost` (or `{project}.{region}.localhost`), so no name
 * resolution is needed.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../products/identity/identity-service.js';
import { buildSlsV1StringToSign, signSlsV1 } from '../protocol/sls/sls-signature-v1.js';
import { helpText, LOGS_QUERY, parseCommand, UsageError } from './options.js';

export const LOGS_HELP = helpText(LOGS_QUERY);

/** A bad argument: main prints the message alone (as for configuration errors). */
export class CliUsageError extends UsageError {
  constructor(message: string) {
    super(message, 'vpcflow logs query');
  }
}

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
  /** Aborting closes the connection (the server then stops the query). */
  signal?: AbortSignal;
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
        ...(args.signal ? { signal: args.signal } : {}),
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

/** Fields holding Unix seconds, shown as ISO-8601 in the table. */
const TIME_FIELDS = new Set(['start', 'end', '__time__']);

/** ISO-8601 in UTC (`2026-01-02T03:04:05Z`) or, with `local`, in the local zone with its offset. */
export function formatTime(seconds: number, local: boolean): string {
  const d = new Date(seconds * 1000);
  if (!local) return d.toISOString().replace('.000Z', 'Z');
  const offsetMin = -d.getTimezoneOffset();
  const shifted = new Date(d.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The rows as the table shows them: the chosen columns, times readable. */
export function tableRows(
  rows: readonly Record<string, string>[],
  fields: string[] | 'all',
  local: boolean,
): Record<string, string>[] {
  return rows.map((row) => {
    const out: Record<string, string> = {};
    const keys = fields === 'all' ? Object.keys(row) : fields;
    for (const k of keys) {
      const v = row[k];
      if (v === undefined) {
        if (fields !== 'all') out[k] = '';
        continue;
      }
      out[k] = TIME_FIELDS.has(k) && /^\d+$/.test(v) ? formatTime(Number(v), local) : v;
    }
    return out;
  });
}

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  source: string;
}

/**
 * The AccessKey, from the sources every Alibaba Cloud tool reads, first found: vpcflow's own variables,
 * ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, a profile of ~/.aliyun/config.json (the aliyun CLI's file:
 * `--profile`, ALIBABA_CLOUD_PROFILE, else its `current`), else the development AccessKey.
 */
export function resolveCredentials(
  env: NodeJS.ProcessEnv,
  profile: string | undefined,
  home: string = homedir(),
): Credentials {
  const pair = (id: string | undefined, secret: string | undefined) =>
    id && secret ? { id, secret } : undefined;
  // vpcflow's own variables: either one alone pairs with the development value of the other (as serve does).
  if (env['VPCFLOW_ACCESS_KEY_ID'] || env['VPCFLOW_ACCESS_KEY_SECRET']) {
    return {
      accessKeyId: env['VPCFLOW_ACCESS_KEY_ID'] || DEV_ACCESS_KEY_ID,
      accessKeySecret: env['VPCFLOW_ACCESS_KEY_SECRET'] || DEV_ACCESS_KEY_SECRET,
      source: 'VPCFLOW_ACCESS_KEY_ID / VPCFLOW_ACCESS_KEY_SECRET',
    };
  }
  const alibaba = pair(env['ALIBABA_CLOUD_ACCESS_KEY_ID'], env['ALIBABA_CLOUD_ACCESS_KEY_SECRET']);
  if (alibaba) {
    return {
      accessKeyId: alibaba.id,
      accessKeySecret: alibaba.secret,
      source: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    };
  }
  const wanted = profile ?? (env['ALIBABA_CLOUD_PROFILE'] || undefined);
  const file = join(home, '.aliyun', 'config.json');
  let config: {
    current?: string;
    profiles?: { name?: string; access_key_id?: string; access_key_secret?: string }[];
  };
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as typeof config;
  } catch (err) {
    if (wanted !== undefined)
      throw new CliUsageError(`profile "${wanted}": cannot read ${file}: ${(err as Error).message}`);
    return {
      accessKeyId: DEV_ACCESS_KEY_ID,
      accessKeySecret: DEV_ACCESS_KEY_SECRET,
      source: 'development key',
    };
  }
  const name = wanted ?? config.current ?? 'default';
  const found = config.profiles?.find((p) => p.name === name);
  const fromFile = pair(found?.access_key_id, found?.access_key_secret);
  if (fromFile)
    return { accessKeyId: fromFile.id, accessKeySecret: fromFile.secret, source: `${file} profile ${name}` };
  if (wanted !== undefined)
    throw new CliUsageError(`profile "${wanted}" with an AccessKey is not in ${file}`);
  return {
    accessKeyId: DEV_ACCESS_KEY_ID,
    accessKeySecret: DEV_ACCESS_KEY_SECRET,
    source: 'development key',
  };
}

function sendError(res: SlsHttpResult): string {
  try {
    const err = JSON.parse(res.body) as { errorCode?: string; errorMessage?: string };
    return `${err.errorCode ?? res.status}: ${err.errorMessage ?? ''}`;
  } catch {
    return res.body; // not the SLS envelope: the body as it is
  }
}

export async function logsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(LOGS_HELP);
    return 0;
  }
  if (sub === undefined) {
    process.stderr.write(LOGS_HELP);
    return 1;
  }
  if (sub !== 'query') throw new UsageError(`unknown logs command "${sub}"`, 'vpcflow logs');
  const { values, positionals } = parseCommand(LOGS_QUERY, joinRelativeTimes(rest), 'vpcflow logs query');
  if (values['help']) {
    process.stdout.write(LOGS_HELP);
    return 0;
  }
  const str = (k: string): string | undefined => {
    const v = values[k];
    return typeof v === 'string' ? v : undefined;
  };
  const project = str('project');
  const logstore = str('logstore');
  if (!project || !logstore) throw new CliUsageError('--project and --logstore are required');
  const now = Date.now();
  const from = parseTimeArg(str('from') ?? '-15m', now);
  const to = parseTimeArg(str('to') ?? 'now', now);
  const limit = str('limit') === undefined ? PAGE : Number(str('limit'));
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new CliUsageError('--limit must be a positive integer');
  const fieldsArg = str('fields') ?? LOGS_QUERY.options.find((o) => o.name === 'fields')?.default ?? 'all';
  const fields =
    fieldsArg === 'all'
      ? ('all' as const)
      : fieldsArg
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  if (fields !== 'all' && fields.length === 0)
    throw new CliUsageError('--fields needs at least one field, or "all"');
  const query = positionals.join(' ').trim() || '*';
  const credentials = resolveCredentials(env, str('profile'));
  const call = {
    endpoint: str('endpoint') ?? (env['VPCFLOW_ENDPOINT'] || 'http://127.0.0.1:8080'),
    project,
    region: str('region'),
    logstore,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
  };
  endpointUrl(call.endpoint); // a malformed endpoint is a usage error, not "cannot reach"

  const rows: Record<string, string>[] = [];
  let analytic = false;
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
      process.stderr.write(`vpcflow: ${sendError(res)}\n`);
      return 1;
    }
    const page = JSON.parse(res.body) as Record<string, string>[];
    rows.push(...page);
    analytic = res.headers['x-log-has-sql'] === 'true';
    if (analytic || page.length < line) break;
  }
  const local = values['local'] === true;
  if (values['json']) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    // SQL answers have their own columns: shown as they are.
    process.stdout.write(formatTable(analytic ? rows : tableRows(rows, fields, local)));
    process.stderr.write(`${rows.length} record(s)\n`);
  }
  if (rows.length === 0 && !analytic) {
    const hint = await emptyWindowHint(call, from, to, local);
    if (hint) process.stderr.write(`${hint}\n`);
  }
  return 0;
}

/**
 * When the window holds nothing, says whether the logstore holds records elsewhere in time (a replayed
 * capture lands in its original windows, often outside the default last 15 minutes).
 */
async function emptyWindowHint(
  call: Omit<SlsGetLogsArgs, 'params'>,
  from: number,
  to: number,
  local: boolean,
): Promise<string | undefined> {
  const span = {
    from: '0',
    to: String(Math.floor(Date.now() / 1000) + 10 * 365 * 86_400),
    query: '*',
    line: '1',
    offset: '0',
  };
  try {
    const [newest, oldest] = await Promise.all(
      ['true', 'false'].map((reverse) => slsGetLogs({ ...call, params: { ...span, reverse } })),
    );
    if (newest?.status !== 200 || oldest?.status !== 200) return undefined;
    const n = (JSON.parse(newest.body) as Record<string, string>[])[0]?.['__time__'];
    const o = (JSON.parse(oldest.body) as Record<string, string>[])[0]?.['__time__'];
    if (n === undefined || o === undefined) return undefined;
    return (
      `hint: nothing from ${formatTime(from, local)} to ${formatTime(to, local)}, but the logstore has records ` +
      `from ${formatTime(Number(o), local)} to ${formatTime(Number(n), local)}: widen --from / --to ` +
      `(e.g. --from ${formatTime(Number(o), false)} --to ${formatTime(Number(n) + 1, false)})`
    );
  } catch {
    return undefined;
  }
}
