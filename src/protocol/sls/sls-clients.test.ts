// Drives the official SLS clients against a capture server on 127.0.0.1 and checks that the verifiers accept
// exactly what they send (and reject tampered copies). Also proves src/sls-host-resolution.ts: every request
// here goes to `{project}.127.0.0.1:PORT` or `{project}.localhost:PORT`, which only resolve through it.
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import type * as SlsTypes from '@alicloud/sls20201230';
import type * as OpenApiTypes from '@alicloud/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { installSlsHostResolution } from '../../../test/support/sls-host.js';
import type { SlsRequestDescription } from './sls-auth-types.js';
import { authFailureToSlsError, verifySlsRequest } from './sls-auth.js';
import { parseSlsHost, parseSlsUrl, matchSlsRoute } from './sls-request.js';

const require = createRequire(import.meta.url);

// The SDKs are CommonJS with `exports.default = Client`; `require` gives the same object under Node and vitest
// (an ESM default import would be the module object under Node but the class under vitest's interop).
const $Sls = require('@alicloud/sls20201230') as typeof SlsTypes;
const $OpenApi = require('@alicloud/openapi-core') as typeof OpenApiTypes;
// TypeScript (NodeNext) types `default` of a CommonJS module as module.exports, so the class type is one level down.
const SlsClient = $Sls.default as unknown as typeof SlsTypes.default.default;
type SlsClient = InstanceType<typeof SlsClient>;

// `@alicloud/log` ships no types; this is the part of its surface used here.
interface LogClient {
  getLogs(
    project: string,
    logstore: string,
    from: Date,
    to: Date,
    data?: Record<string, unknown>,
  ): Promise<unknown>;
  createProject(project: string, data: { description?: string }): Promise<unknown>;
  getProject(project: string): Promise<unknown>;
  listLogStore(project: string, data?: Record<string, unknown>): Promise<unknown>;
  createLogStore(project: string, logstore: string, data?: Record<string, unknown>): Promise<unknown>;
}
const LogClientCtor = require('@alicloud/log') as new (config: Record<string, unknown>) => LogClient;

const AK = 'LTAI5tVpcFlowTestKey01';
const SECRET = 'vpcflow-test-secret-0123456789abcd';
const lookupSecret = (id: string) => (id === AK ? SECRET : undefined);

interface Captured {
  request: SlsRequestDescription;
  host: string;
  url: string;
}

let server: http.Server;
let port = 0;
let uninstall: () => void;
const captured: Captured[] = [];
let nextResponse: { status: number; headers: Record<string, string>; body: string } = {
  status: 200,
  headers: {},
  body: '',
};

function describeRequest(req: http.IncomingMessage, body: Buffer): SlsRequestDescription {
  const { path, query } = parseSlsUrl(req.url ?? '/');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path, query, headers, body };
}

async function capture(call: () => Promise<unknown>): Promise<Captured> {
  captured.length = 0;
  try {
    await call();
  } catch {
    // The response only has to be good enough to end the call; what matters is the request.
  }
  expect(captured).toHaveLength(1);
  return captured[0] as Captured;
}

function sls(extra: Record<string, unknown> = {}): SlsClient {
  return new SlsClient(
    new $OpenApi.$OpenApiUtil.Config({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
      ...extra,
    }),
  );
}

beforeAll(async () => {
  uninstall = installSlsHostResolution();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        request: describeRequest(req, Buffer.concat(chunks)),
        host: req.headers.host ?? '',
        url: req.url ?? '',
      });
      res.writeHead(nextResponse.status, nextResponse.headers);
      res.end(nextResponse.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  uninstall();
});

function expectAccepted(c: Captured, version: 'v1' | 'v4') {
  const result = verifySlsRequest(c.request, { lookupSecret });
  expect(result).toMatchObject({ ok: true, version, accessKeyId: AK });
}

function expectRejected(request: SlsRequestDescription, kind: string, now?: Date) {
  const result = verifySlsRequest(request, { lookupSecret, ...(now ? { now } : {}) });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.failure.kind).toBe(kind);
}

const getLogsRequest = () =>
  new $Sls.GetLogsRequest({
    from: 1700000000,
    to: 1700003600,
    query: 'srcaddr: 10.1.2.3 and action: REJECT | select count(*) as c, sum(bytes) as b',
    line: 100,
    offset: 0,
    reverse: true,
    topic: '',
  });

describe('@alicloud/sls20201230 v1 (hmac-sha256)', () => {
  it('GetLogs is accepted, routed, and the project comes from the Host', async () => {
    nextResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    const c = await capture(() => sls().getLogs('flow-proj', 'flow-store', getLogsRequest()));
    expect(c.request.headers['x-log-signaturemethod']).toBe('hmac-sha256');
    expect(c.request.headers['authorization']).toMatch(/^LOG LTAI5tVpcFlowTestKey01:/);
    expect(c.request.query['query']).toContain('count(*)');
    expect(c.request.query['type']).toBe('log');
    expectAccepted(c, 'v1');
    const host = parseSlsHost(c.host);
    expect(host).toMatchObject({ ok: true, project: 'flow-proj', endpoint: '127.0.0.1' });
    expect(matchSlsRoute(c.request.method, c.request.path, c.request.query, 'flow-proj')).toMatchObject({
      operation: 'GetLogs',
      params: { logstore: 'flow-store' },
    });
  });

  it('CreateProject (JSON body, bare endpoint host) is accepted', async () => {
    nextResponse = { status: 200, headers: {}, body: '' };
    const c = await capture(() =>
      sls().createProject(
        new $Sls.CreateProjectRequest({ projectName: 'flow-proj', description: 'VPC flow logs' }),
      ),
    );
    expect(c.host).toBe(`127.0.0.1:${port}`);
    expect(c.request.headers['content-md5']).toMatch(/^[0-9A-F]{32}$/);
    expectAccepted(c, 'v1');
    expect(matchSlsRoute(c.request.method, c.request.path, c.request.query, null)?.operation).toBe(
      'CreateProject',
    );
  });

  it('GetLogsV2 (POST body) is accepted', async () => {
    nextResponse = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"data":[],"meta":{"progress":"Complete","count":0}}',
    };
    const c = await capture(() =>
      sls().getLogsV2(
        'flow-proj',
        'flow-store',
        new $Sls.GetLogsV2Request({ from: 1700000000, to: 1700003600, query: '* | select *', line: 10 }),
      ),
    );
    expectAccepted(c, 'v1');
    expect(matchSlsRoute(c.request.method, c.request.path, c.request.query, 'flow-proj')?.operation).toBe(
      'GetLogsV2',
    );
  });

  it('rejects a tampered query value, a tampered body, a wrong secret, an unknown AK and a skewed date', async () => {
    nextResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    const get = await capture(() => sls().getLogs('flow-proj', 'flow-store', getLogsRequest()));
    expectRejected({ ...get.request, query: { ...get.request.query, query: '*' } }, 'signature-mismatch');
    expectRejected({ ...get.request, path: '/logstores/other-store' }, 'signature-mismatch');

    nextResponse = { status: 200, headers: {}, body: '' };
    const post = await capture(() =>
      sls().createLogStore(
        'flow-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'flow-store', ttl: 7, shardCount: 2 }),
      ),
    );
    expectAccepted(post, 'v1');
    const tampered = Buffer.from(post.request.body.toString('utf8').replace('"ttl":7', '"ttl":9'));
    expectRejected({ ...post.request, body: tampered }, 'content-md5-mismatch');

    const wrongSecret = verifySlsRequest(get.request, { lookupSecret: () => 'not-the-secret' });
    expect(wrongSecret.ok).toBe(false);
    if (!wrongSecret.ok && wrongSecret.failure.kind === 'signature-mismatch') {
      // The server's string to sign is available for logs and follows the documented layout.
      expect(wrongSecret.failure.stringToSign).toMatch(/^GET\n\n\n\w{3}, .+ GMT\nx-log-apiversion:0\.6\.0\n/);
      expect(wrongSecret.failure.stringToSign).toContain('/logstores/flow-store?from=1700000000&line=100');
      const error = authFailureToSlsError(wrongSecret.failure);
      expect(error.errorCode).toBe('SignatureNotMatch');
      expect(error.httpStatus).toBe(401);
    } else {
      expect.fail('expected signature-mismatch');
    }

    const unknown = verifySlsRequest(get.request, { lookupSecret: () => undefined });
    expect(unknown).toMatchObject({ ok: false, failure: { kind: 'unknown-access-key', accessKeyId: AK } });

    const skewed = new Date(Date.parse(get.request.headers['date'] ?? '') + 16 * 60 * 1000);
    expectRejected(get.request, 'request-time-expired', skewed);
    const error = authFailureToSlsError({
      kind: 'request-time-expired',
      requestTime: new Date(0),
      serverTime: skewed,
    });
    expect(error.errorCode).toBe('RequestTimeExpired');
  });
});

describe('@alicloud/sls20201230 v4 (SLS4-HMAC-SHA256, cn-hangzhou)', () => {
  const v4 = () => sls({ signatureVersion: 'v4', regionId: 'cn-hangzhou' });

  it('GetLogs and CreateLogStore are accepted', async () => {
    nextResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    const get = await capture(() => v4().getLogs('flow-proj', 'flow-store', getLogsRequest()));
    expect(get.request.headers['authorization']).toMatch(
      /^SLS4-HMAC-SHA256 Credential=LTAI5tVpcFlowTestKey01\/\d{8}\/cn-hangzhou\/sls\/aliyun_v4_request,Signature=[0-9a-f]{64}$/,
    );
    expect(get.request.headers['x-log-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expectAccepted(get, 'v4');

    nextResponse = { status: 200, headers: {}, body: '' };
    const post = await capture(() =>
      v4().createLogStore(
        'flow-proj',
        new $Sls.CreateLogStoreRequest({ logstoreName: 'flow-store', ttl: 7, shardCount: 2 }),
      ),
    );
    expectAccepted(post, 'v4');

    expectRejected(
      { ...get.request, query: { ...get.request.query, from: '1700000001' } },
      'signature-mismatch',
    );
    expectRejected({ ...post.request, body: Buffer.from('{"logstoreName":"x"}') }, 'content-sha256-mismatch');
    expect(verifySlsRequest(get.request, { lookupSecret: () => 'wrong' })).toMatchObject({
      ok: false,
      failure: { kind: 'signature-mismatch', version: 'v4' },
    });
    expect(verifySlsRequest(get.request, { lookupSecret: () => undefined })).toMatchObject({
      ok: false,
      failure: { kind: 'unknown-access-key' },
    });
    const skewed = new Date(Date.now() - 20 * 60 * 1000);
    expectRejected(get.request, 'request-time-expired', skewed);
  });
});

describe('@alicloud/log (hmac-sha1)', () => {
  it('GetLogs, CreateProject, ListLogStore are accepted through {project}.localhost', async () => {
    const client = new LogClientCtor({
      accessKeyId: AK,
      accessKeySecret: SECRET,
      endpoint: `localhost:${port}`,
    });
    nextResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    const get = await capture(() =>
      client.getLogs('flow-proj', 'flow-store', new Date(1700000000000), new Date(1700003600000), {
        query: 'dstport: 443 | select srcaddr, count(*) as c group by srcaddr',
        line: 10,
      }),
    );
    expect(get.request.headers['x-log-signaturemethod']).toBe('hmac-sha1');
    expect(parseSlsHost(get.host)).toMatchObject({ ok: true, project: 'flow-proj', endpoint: 'localhost' });
    expectAccepted(get, 'v1');
    expectRejected({ ...get.request, query: { ...get.request.query, line: '11' } }, 'signature-mismatch');

    nextResponse = { status: 200, headers: {}, body: '' };
    const create = await capture(() => client.createProject('flow-proj', { description: 'd' }));
    expect(create.url).toBe('/?');
    expectAccepted(create, 'v1');

    const list = await capture(() => client.listLogStore('flow-proj'));
    expect(list.request.query).toEqual({ logstoreName: '', offset: '', size: '' });
    expectAccepted(list, 'v1');
  });
});
