/**
 * Hostile HTTP requests for the campaign, generated from a seed: each generator returns one or more
 * requests to send in order, each saying whether a success is acceptable (a validly signed read) or it
 * must be refused. Add a generator to `GENERATORS` to extend the campaign (e.g. more SLS query grammar
 * once query budgets land).
 */
import { createHash, createHmac } from 'node:crypto';
import { buildSlsV1StringToSign, signSlsV1 } from '../../src/protocol/sls/sls-signature-v1.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../../src/products/identity/identity-service.js';
import type { Rng } from './prng.js';

export interface CampaignRequest {
  method: string;
  /** Path and query, as sent (may be deliberately malformed). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Which envelope the reply must be in. */
  api: 'rpc' | 'sls';
  /** A validly signed read: 2xx is acceptable. Everything else must be refused. */
  mayPass?: boolean;
  /** Must be refused with exactly this code. */
  expectCode?: string;
}

export interface CampaignContext {
  /** SLS project and logstore that exist (empty), for signed GetLogs. */
  project: string;
  logstore: string;
}

type Generator = (r: Rng, ctx: CampaignContext) => CampaignRequest[];

const enc = (s: string): string =>
  encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** Nonces unique within a process run (their value does not change any outcome). */
let nonceSeq = 0;
const nonce = (): string => `campaign-${process.pid}-${++nonceSeq}`;

const isoSeconds = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const READS = ['DescribeRegions', 'DescribeFlowLogs', 'DescribeVpcs', 'DescribeVSwitches'];
const WRITES = ['CreateFlowLog', 'DeleteFlowLog', 'CreateVpc', 'DeleteVpc', 'ModifyFlowLogAttribute'];
const NASTY = [
  '',
  ' ',
  '%',
  '%zz',
  '%E0%A4',
  '%00',
  '\u0000',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<xml>',
  '{"a":1}',
  '\ud800',
  '😀'.repeat(10),
  '-1',
  '99999999999999999999999',
  'NaN',
  'cn-hangzhou\r\nX-Injected: 1',
];

function randomString(r: Rng, max: number): string {
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.9) ? 32 + r.int(95) : r.int(0x3000));
  return s;
}

/** A v1-signed query string (HMAC-SHA1), with overrides applied after signing when `tamper` is set. */
function signedV1(
  params: Record<string, string>,
  secret = DEV_ACCESS_KEY_SECRET,
  method = 'GET',
): Record<string, string> {
  const all: Record<string, string> = {
    Format: 'JSON',
    Version: '2016-04-28',
    AccessKeyId: DEV_ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce(),
    Timestamp: isoSeconds(),
    RegionId: 'cn-hangzhou',
    ...params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k]!)}`)
    .join('&');
  const sts = `${method}&${enc('/')}&${enc(canonical)}`;
  all['Signature'] = createHmac('sha1', `${secret}&`).update(sts).digest('base64');
  return all;
}

const qs = (p: Record<string, string>): string =>
  Object.entries(p)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');

const rpcGet = (query: string, extra: Partial<CampaignRequest> = {}): CampaignRequest => ({
  method: 'GET',
  url: `/?${query}`,
  headers: {},
  api: 'rpc',
  ...extra,
});

/** Malformed and oversized parameters, broken encodings, unsigned. */
const malformedParams: Generator = (r) => {
  const parts: string[] = [];
  const n = r.chance(0.02) ? 1001 + r.int(50) : r.int(12);
  for (let i = 0; i < n; i++) {
    const name = r.chance(0.3)
      ? r.pick(['Action', 'Version', 'RegionId', 'Format', 'PageSize', 'Tag.1.Key'])
      : randomString(r, 12);
    let value = r.chance(0.5) ? r.pick(NASTY) : randomString(r, 40);
    if (n < 20 && r.chance(0.02)) value = 'x'.repeat(65 * 1024 + r.int(1000));
    // Sometimes raw (unencoded, possibly broken percent-escapes), usually encoded.
    parts.push(
      r.chance(0.3) ? `${name}=${value}`.replace(/[^\x21-\x7e]|[#&?]/g, '') : `${enc(name)}=${enc(value)}`,
    );
  }
  if (r.chance(0.1)) parts.push('Format=XML');
  return [rpcGet(parts.join('&'))];
};

/** A valid signed read with one field tampered after signing: must fail the signature or the checks. */
const tampered: Generator = (r) => {
  const p = signedV1({ Action: r.pick(READS) });
  const field = r.pick([
    'Signature',
    'Timestamp',
    'SignatureNonce',
    'AccessKeyId',
    'SignatureMethod',
    'SignatureVersion',
    'Action',
    'RegionId',
    'Version',
    'extra',
  ]);
  if (field === 'extra') p['PageSize'] = String(r.int(100));
  else if (field === 'Signature') {
    const sig = p['Signature']!;
    const at = r.int(sig.length);
    p['Signature'] = sig.slice(0, at) + (sig[at] === 'A' ? 'B' : 'A') + sig.slice(at + 1);
  } else if (field === 'Action') p['Action'] = r.pick(WRITES);
  else if (field === 'Timestamp') p['Timestamp'] = isoSeconds(Date.now() - 1000 * (1 + r.int(600)));
  else if (field === 'RegionId') p['RegionId'] = r.pick(['cn-shanghai', 'cn-atlantis', '']);
  else if (field === 'Version') p['Version'] = r.pick(['2014-05-26', '2099-01-01', '']);
  else p[field] = r.pick(NASTY.filter((v) => v !== '')) + randomString(r, 4);
  return [rpcGet(qs(p))];
};

/** A valid signed read sent twice: the second is a replay. */
const replay: Generator = (r) => {
  const url = `/?${qs(signedV1({ Action: r.pick(READS) }))}`;
  return [
    { method: 'GET', url, headers: {}, api: 'rpc', mayPass: true },
    { method: 'GET', url, headers: {}, api: 'rpc', expectCode: 'SignatureNonceUsed' },
  ];
};

/** Signed, but dated outside the 15-minute window or malformed. */
const skewedClock: Generator = (r) => {
  const offsets = [16 * 60_000, 3600_000, 86_400_000 * 365, 86_400_000 * 365 * 100];
  const ts = r.chance(0.7)
    ? isoSeconds(Date.now() + (r.chance(0.5) ? 1 : -1) * (r.pick(offsets) + r.int(60_000)))
    : r.pick(['2026-13-01T00:00:00Z', '9999-99-99T99:99:99Z', 'yesterday', '2026-02-31T00:00:00Z', '']);
  return [rpcGet(qs(signedV1({ Action: r.pick(READS), Timestamp: ts })))];
};

/** Signed with an action or version that does not exist. */
const unknownAction: Generator = (r) => {
  const action = r.chance(0.5)
    ? `Describe${randomString(r, 8).replace(/[^A-Za-z]/g, '')}X`
    : r.pick(['', 'describeVpcs', 'DESCRIBEVPCS', 'Describe Vpcs']);
  return [rpcGet(qs(signedV1({ Action: action, ...(r.chance(0.2) ? { Version: '2010-01-01' } : {}) })))];
};

/** Wrong content types and truncated or binary bodies. */
const wrongBodies: Generator = (r) => {
  const form = qs(signedV1({ Action: r.pick(READS) }, DEV_ACCESS_KEY_SECRET, 'POST'));
  const body = r.pick([
    form.slice(0, r.int(form.length)),
    `${form.slice(0, r.int(form.length))}%2`,
    JSON.stringify({ Action: 'DescribeRegions' }),
    '<Action>DescribeRegions</Action>',
    Buffer.from(Array.from({ length: r.int(512) }, () => r.int(256))).toString('latin1'),
    '='.repeat(r.int(100)),
    '&'.repeat(r.int(2000)),
  ]);
  return [
    {
      method: r.pick(['POST', 'PUT', 'DELETE', 'PATCH']),
      url: '/',
      headers: {
        'content-type': r.pick([
          'application/x-www-form-urlencoded',
          'application/json',
          'text/xml',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/x-www-form-urlencoded; charset=utf-16',
        ]),
      },
      body: Buffer.from(body, 'latin1'),
      api: 'rpc',
    },
  ];
};

/** ACS3 (v3) requests with malformed or lying Authorization headers. */
const badV3: Generator = (r) => {
  const date = isoSeconds();
  const headers: Record<string, string> = {
    'x-acs-action': r.pick(READS),
    'x-acs-version': '2016-04-28',
    'x-acs-date': date,
    'x-acs-signature-nonce': nonce(),
    'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
  };
  const signed = r.pick([
    'host;x-acs-action',
    'host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce',
    '',
    ';;;',
  ]);
  headers['authorization'] = r.pick([
    `ACS3-HMAC-SHA256 Credential=${DEV_ACCESS_KEY_ID},SignedHeaders=${signed},Signature=${'0'.repeat(64)}`,
    'ACS3-HMAC-SHA256',
    `ACS3-HMAC-SM3 Credential=${DEV_ACCESS_KEY_ID},SignedHeaders=host,Signature=x`,
    `ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=`,
    `ACS3-${randomString(r, 30)}`,
  ]);
  return [{ method: 'POST', url: '/', headers, api: 'rpc' }];
};

// ---------------------------------------------------------------------------------------------- SLS

function slsHeaders(r: Rng, project: string | undefined): Record<string, string> {
  return {
    host: project ? `${project}.localhost` : 'localhost',
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
    date: new Date().toUTCString(),
    ...(r.chance(0.5) ? { 'x-log-bodyrawsize': '0' } : {}),
  };
}

/** A correctly signed SLS v1 request. */
function signSls(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): string {
  const sts = buildSlsV1StringToSign({ method, path, query, headers });
  return `LOG ${DEV_ACCESS_KEY_ID}:${signSlsV1(sts, DEV_ACCESS_KEY_SECRET, 'sha1')}`;
}

/** SLS-shaped requests with bad signatures, dates, hosts and paths. */
const slsBroken: Generator = (r, ctx) => {
  const headers = slsHeaders(
    r,
    r.chance(0.7) ? ctx.project : r.pick(['no-such-project', 'UPPER', 'a..b', 'x'.repeat(200)]),
  );
  const path = r.pick([
    '/',
    '/logstores',
    `/logstores/${ctx.logstore}`,
    `/logstores/${ctx.logstore}/index`,
    '/policy',
    `/logstores/${randomString(r, 10).replace(/[/?#]/g, '')}`,
  ]);
  const what = r.int(4);
  if (what === 0) headers['authorization'] = `LOG ${DEV_ACCESS_KEY_ID}:${randomString(r, 28)}`;
  else if (what === 1) headers['authorization'] = `LOG ${randomString(r, 20)}`;
  else if (what === 2) {
    headers['date'] = r.pick(['yesterday', new Date(Date.now() - 20 * 60_000).toUTCString(), '']);
    headers['authorization'] = signSls('GET', path, {}, headers);
  } else headers['authorization'] = r.pick(['SLS4-HMAC-SHA256 garbage', 'Bearer x', '']);
  return [{ method: r.pick(['GET', 'POST', 'PUT', 'DELETE']), url: encodeURI(path), headers, api: 'sls' }];
};

const FIELDS = [
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'action',
  'protocol',
  'eni-id',
  'bytes',
  'packets',
  'log-status',
];
const WORDS = [
  'ACCEPT',
  'REJECT',
  '10.0.0.1',
  '443',
  'eni-*',
  '*q*',
  'OK',
  'NODATA',
  'tcp',
  '"quoted phrase"',
];

/** A search expression from a small grammar: terms, field:value, and/or/not, parentheses. */
function searchExpr(r: Rng, depth: number): string {
  if (depth <= 0 || r.chance(0.35)) {
    const term = r.chance(0.5) ? `${r.pick(FIELDS)}: ${r.pick(WORDS)}` : r.pick(WORDS);
    return r.chance(0.1) ? `not ${term}` : term;
  }
  const op = r.pick([' and ', ' or ', ' not ', ' AND ', ' OR ']);
  const expr = `${searchExpr(r, depth - 1)}${op}${searchExpr(r, depth - 1)}`;
  return r.chance(0.3) ? `(${expr})` : expr;
}

/** An analytic suffix: `| select ...`, valid or broken. */
function sqlSuffix(r: Rng): string {
  const col = (): string => `"${r.pick(FIELDS)}"`;
  return r.pick([
    '',
    ` | select count(*) as c`,
    ` | select ${col()}, count(*) as c group by ${col()} order by c desc limit ${r.int(200)}`,
    ` | select sum(bytes) as b, ${col()} group by ${col()}`,
    ` | select * from log limit ${r.int(1000)}`,
    ` | select ${col()} from other_logstore`,
    ` | select load_extension('x')`,
    ` | select * from sqlite_master`,
    ` | select ${randomString(r, 30)}`,
    ` | `,
  ]);
}

/** A signed GetLogs of `text` with hostile paging parameters. */
function signedGetLogs(r: Rng, ctx: CampaignContext, text: string): CampaignRequest[] {
  const headers = slsHeaders(r, ctx.project);
  const now = Math.floor(Date.now() / 1000);
  const query: Record<string, string> = {
    type: 'log',
    from: String(now - 3600),
    to: String(r.chance(0.9) ? now : now - 7200),
    query: text,
    line: String(r.pick([0, 1, 100, 101, 1000, -1])),
    offset: String(r.pick([0, 10, -5])),
  };
  const path = `/logstores/${ctx.logstore}`;
  headers['authorization'] = signSls('GET', path, query, headers);
  const url = `${path}?${Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')}`;
  return [{ method: 'GET', url, headers, api: 'sls', mayPass: true }];
}

/** Signed GetLogs with grammar-generated queries on an empty logstore: an answer or an SLS error. */
const slsQueries: Generator = (r, ctx) => signedGetLogs(r, ctx, `${searchExpr(r, 3)}${sqlSuffix(r)}`);

/** A balanced OR tree of `n` wildcard terms (the issue's 1,024-term attack, at other sizes). */
function orTree(r: Rng, n: number): string {
  let layer = Array.from({ length: n }, (_, i) => (r.chance(0.5) ? `*q${i}*` : `${r.pick(FIELDS)}: x${i}*`));
  while (layer.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      next.push(i + 1 < layer.length ? `(${layer[i]} or ${layer[i + 1]})` : layer[i]!);
    }
    layer = next;
  }
  return layer[0]!;
}

/**
 * Costly SLS query grammar against the query budget: wide OR trees (30 to 1,100 terms), free-text
 * terms fanning out into LIKE scans, wide selects of long literals with huge LIMITs (the issue's 200
 * columns), and selects of short items up to the 16 KiB statement limit (the slowest to parse: on the
 * compiler's worker thread, see README). Each is answered
 * within its bounds or refused (ParameterInvalid naming the limit, ExceedQuota, RequestTimeout).
 */
const slsCostly: Generator = (r, ctx) => {
  const wide = (cols: number, len: number): string =>
    Array.from({ length: cols }, (_, i) => `'${'x'.repeat(len)}' as c${i}`).join(', ');
  const text = r.pick([
    () => orTree(r, 30 + r.int(1070)),
    () => `${orTree(r, 10 + r.int(30))} | select count(1) as n`,
    () => `* | select ${wide(1 + r.int(200), r.int(60))} from log limit ${r.pick([1, 1000, 1000000])}`,
    () => `* | select '${'y'.repeat(r.int(20_000))}' as big`,
    () => `* | select ${Array.from({ length: 1 + r.int(1600) }, (_, i) => `${i} as a${i}`).join(', ')}`,
  ])();
  return signedGetLogs(r, ctx, text);
};

export const GENERATORS: readonly [name: string, weight: number, gen: Generator][] = [
  ['malformed parameters', 20, malformedParams],
  ['tampered signature field', 20, tampered],
  ['replayed nonce', 8, replay],
  ['skewed clock', 8, skewedClock],
  ['unknown action', 8, unknownAction],
  ['wrong content type / truncated body', 10, wrongBodies],
  ['bad v3 authorization', 8, badV3],
  ['SLS broken auth / host / path', 10, slsBroken],
  ['SLS grammar-generated GetLogs', 8, slsQueries],
  ['SLS costly GetLogs (query budget)', 4, slsCostly],
];

const TOTAL_WEIGHT = GENERATORS.reduce((n, [, w]) => n + w, 0);

/** The next group of requests and the name of its generator. */
export function nextRequests(r: Rng, ctx: CampaignContext): { name: string; requests: CampaignRequest[] } {
  let x = r.int(TOTAL_WEIGHT);
  for (const [name, weight, gen] of GENERATORS) {
    if (x < weight) return { name, requests: gen(r, ctx) };
    x -= weight;
  }
  throw new Error('unreachable');
}
