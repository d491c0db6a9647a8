// Every SLS operation's parameter checks over a real socket, with hand-signed requests (the SDKs refuse
// to send most of these values): the exact error code, status and message of each bad value in the
// query string or the JSON body, and that the first bad parameter is the one reported.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { buildSlsV1StringToSign, signSlsV1 } from '../src/protocol/sls/sls-signature-v1.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const PROJECT = 'param-proj';
const LOGSTORE = 'param-store';

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Undefined for the bare endpoint. */
  project?: string;
  path: string;
  query?: Record<string, string>;
  /** A JSON value, or raw text. */
  body?: unknown;
}

/** One SLS v1 request, signed as `@alicloud/log` signs it; resolves to status and parsed body. */
function send(call: Call): Promise<{ status: number; body: { errorCode?: string; errorMessage?: string } }> {
  const query = call.query ?? {};
  const text =
    call.body === undefined ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const headers: Record<string, string> = {
    host: call.project ? `${call.project}.localhost` : 'localhost',
    date: new Date().toUTCString(),
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha256',
    'x-log-bodyrawsize': String(Buffer.byteLength(text)),
  };
  if (text) {
    headers['content-type'] = 'application/json';
    headers['content-md5'] = createHash('md5').update(text).digest('hex').toUpperCase();
  }
  const toSign = buildSlsV1StringToSign({ method: call.method, path: call.path, query, headers });
  headers['authorization'] = `LOG ${DEV_ACCESS_KEY_ID}:${signSlsV1(toSign, DEV_ACCESS_KEY_SECRET, 'sha256')}`;
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: call.method,
        path: search ? `${call.path}?${search}` : call.path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: raw ? (JSON.parse(raw) as object) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const create = await send({ method: 'POST', path: '/', body: { projectName: PROJECT, description: '' } });
  expect(create.status).toBe(200);
  const store = await send({
    method: 'POST',
    project: PROJECT,
    path: '/logstores',
    body: { logstoreName: LOGSTORE },
  });
  expect(store.status).toBe(200);
});

afterAll(async () => {
  await server.close();
});

const P = 'ParameterInvalid';
const L = 'LogStoreInfoInvalid';
const getLogs = (query: Record<string, string>): Call => ({
  method: 'GET',
  project: PROJECT,
  path: `/logstores/${LOGSTORE}`,
  query: { type: 'log', ...query },
});
const getLogsV2 = (body: unknown): Call => ({
  method: 'POST',
  project: PROJECT,
  path: `/logstores/${LOGSTORE}/logs`,
  body,
});
const createLogStore = (body: unknown): Call => ({
  method: 'POST',
  project: PROJECT,
  path: '/logstores',
  body,
});
const positive = (name: string) => `The parameter ${name} must be a positive integer`;

const CASES: [string, Call, string, string][] = [
  // GetLogs: the query string.
  ['GetLogs without from', getLogs({ to: '10' }), P, positive('from')],
  ['GetLogs from not a number', getLogs({ from: 'abc', to: '10' }), P, positive('from')],
  ['GetLogs negative to', getLogs({ from: '1', to: '-5' }), P, positive('to')],
  ['GetLogs to before from', getLogs({ from: '20', to: '10' }), P, 'to : 10 pair is invalid'],
  ['GetLogs negative line', getLogs({ from: '1', to: '10', line: '-1' }), P, 'line : -1 pair is invalid'],
  ['GetLogs bad offset', getLogs({ from: '1', to: '10', offset: 'x' }), P, 'offset : x pair is invalid'],
  [
    'GetLogs bad reverse',
    getLogs({ from: '1', to: '10', reverse: 'maybe' }),
    P,
    'reverse : maybe pair is invalid',
  ],
  [
    'GetLogs: the first bad parameter',
    getLogs({ from: '1', to: '10', line: 'a', offset: 'b' }),
    P,
    'line : a pair is invalid',
  ],
  // GetLogsV2: the JSON body.
  [
    'GetLogsV2 body not JSON',
    getLogsV2('{from:'),
    'PostBodyInvalid',
    'The request body is not valid JSON object.',
  ],
  [
    'GetLogsV2 body an array',
    getLogsV2([1]),
    'PostBodyInvalid',
    'The request body is not valid JSON object.',
  ],
  ['GetLogsV2 fractional from', getLogsV2({ from: 1.5, to: 10 }), P, positive('from')],
  ['GetLogsV2 query not a string', getLogsV2({ from: 1, to: 10, query: 5 }), P, 'query : 5 pair is invalid'],
  [
    'GetLogsV2 reverse a number',
    getLogsV2({ from: 1, to: 10, reverse: 1 }),
    P,
    'reverse : 1 pair is invalid',
  ],
  // Projects.
  [
    'CreateProject bad name',
    { method: 'POST', path: '/', body: { projectName: 'Bad_Name' } },
    P,
    'project name Bad_Name is invalid',
  ],
  ['CreateProject no name', { method: 'POST', path: '/', body: {} }, P, 'project name  is invalid'],
  [
    'CreateProject name not a string',
    { method: 'POST', path: '/', body: { projectName: 5 } },
    P,
    'projectName : 5 pair is invalid',
  ],
  [
    'CreateProject description not a string',
    { method: 'POST', path: '/', body: { projectName: 'ok-name', description: 7 } },
    P,
    'description : 7 pair is invalid',
  ],
  [
    'ListProject negative offset',
    { method: 'GET', path: '/', query: { offset: '-1' } },
    P,
    'offset : -1 pair is invalid',
  ],
  [
    'ListProject size over 500',
    { method: 'GET', path: '/', query: { size: '501' } },
    P,
    'size : 501 pair is invalid',
  ],
  // Logstores.
  ['CreateLogStore no name', createLogStore({}), L, 'logstore name  is invalid'],
  ['CreateLogStore bad name', createLogStore({ logstoreName: '_x' }), L, 'logstore name _x is invalid'],
  [
    'CreateLogStore name not a string',
    createLogStore({ logstoreName: 5 }),
    P,
    'logstoreName : 5 pair is invalid',
  ],
  [
    'CreateLogStore ttl 0',
    createLogStore({ logstoreName: 'ok-store', ttl: 0 }),
    L,
    'ttl must be within range [1, 3650]',
  ],
  [
    'CreateLogStore ttl 3651',
    createLogStore({ logstoreName: 'ok-store', ttl: 3651 }),
    L,
    'ttl must be within range [1, 3650]',
  ],
  [
    'CreateLogStore ttl text',
    createLogStore({ logstoreName: 'ok-store', ttl: 'abc' }),
    L,
    'ttl must be within range [1, 3650]',
  ],
  [
    'CreateLogStore shardCount 257',
    createLogStore({ logstoreName: 'ok-store', shardCount: 257 }),
    L,
    'shardCount must be within range [1, 256]',
  ],
  [
    'CreateLogStore body not JSON',
    createLogStore('nope'),
    'PostBodyInvalid',
    'The request body is not valid JSON object.',
  ],
  [
    'ListLogStores bad size',
    { method: 'GET', project: PROJECT, path: '/logstores', query: { size: 'abc' } },
    P,
    'size : abc pair is invalid',
  ],
  [
    'UpdateLogStore ttl 0',
    { method: 'PUT', project: PROJECT, path: `/logstores/${LOGSTORE}`, body: { ttl: 0 } },
    L,
    'ttl must be within range [1, 3650]',
  ],
];

describe('SLS parameter errors', () => {
  it.each(CASES)('%s', async (_name, call, code, message) => {
    const res = await send(call);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errorCode: code, errorMessage: message });
  });

  it('clamps line above 100 and accepts numbers sent as digit strings in a JSON body', async () => {
    expect((await send(getLogs({ from: '1', to: '10', line: '500' }))).status).toBe(200);
    expect((await send(getLogsV2({ from: '1', to: '10', line: 500, reverse: 'true' }))).status).toBe(200);
  });

  it('ttl and shardCount are integers: a JSON number or decimal digits, never a boolean', async () => {
    // `true` used to pass as 1 day (Number(true)); a digit string is read as for every other integer.
    const bool = await send(createLogStore({ logstoreName: 'bool-store', ttl: true }));
    expect(bool.body).toEqual({ errorCode: L, errorMessage: 'ttl must be within range [1, 3650]' });
    const text = await send(createLogStore({ logstoreName: 'text-store', ttl: '7', shardCount: '3' }));
    expect(text.status).toBe(200);
    const got = await send({ method: 'GET', project: PROJECT, path: '/logstores/text-store' });
    expect(got.body).toMatchObject({ ttl: 7, shardCount: 3 });
    await send({ method: 'DELETE', project: PROJECT, path: '/logstores/text-store' });
  });

  it('parameters are checked before the project and logstore are looked up, as on the RPC gateway', async () => {
    const res = await send({ ...getLogs({ to: '10' }), path: '/logstores/no-such-store' });
    expect(res.body).toEqual({ errorCode: P, errorMessage: positive('from') });
  });

  it('nothing bad was created', async () => {
    const res = await send({ method: 'GET', project: PROJECT, path: '/logstores' });
    expect(res.body).toMatchObject({ logstores: [LOGSTORE] });
  });
});
