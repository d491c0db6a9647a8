/**
 * Every gateway error, provoked through a real client or a raw signed request, with Code, HTTP status
 * and envelope asserted; and the catalog check: each entry is reachable and renders in JSON and XML.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { ApiError, ERROR_CATALOG, type GatewayErrorName } from '../src/protocol/errors.js';
import { Gateway } from '../src/protocol/gateway.js';
import { NonceCache } from '../src/protocol/nonce-cache.js';
import { StoreUnavailableError } from '../src/store/sql-db.js';
import { OperationRegistry, operationsFor } from '../src/protocol/operation.js';
import { DEFAULT_LIMITS } from '../src/protocol/request.js';
import { regionExists } from '../src/products/regions/region-catalog.js';
import { createLogger } from '../src/logger.js';
import { popClient, sdkError, vpcClient, VpcModels } from './support/clients.js';
import { isoSeconds, sendV1, sendV3 } from './support/raw-signer.js';
import { startTestServer, type TestServer } from './support/server.js';
import { assume, ramRole, ramUser, type Creds } from './support/identity.js';
import { tokenHash } from '../src/products/ram/ram-ids.js';

let server: TestServer;
/** A second server with tiny transport limits and flow control, for the entries about those. */
let tight: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  tight = await startTestServer({
    throttleRps: 2,
    headersTimeoutMs: 1000,
    requestTimeoutMs: 1000,
    maxConnectionsPerIp: 2,
  });
  await server.app.store.repos.identity.putAccessKey(
    {
      access_key_id: 'LTAI5tDisabledKey0000001',
      account_id: '1234567890123456',
      secret: 'disabled-secret',
      status: 'Inactive',
      principal_type: 'account',
    },
    Date.now(),
  );
});
afterAll(async () => {
  await server.close();
  await tight.close();
});

type Reply = { status: number; headers: Headers; text: string; json: () => Record<string, unknown> };

function expectEnvelope(res: Reply, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
  const body = res.json();
  expect(body['Code']).toBe(code);
  expect(body['RequestId']).toMatch(/^[0-9A-F-]{36}$/);
  expect(body['RequestId']).toBe(res.headers.get('x-acs-request-id'));
  expect(body['HostId']).toBe('vpc.aliyuncs.com');
  expect(typeof body['Message']).toBe('string');
  expect(String(body['Message'])).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

// A test-only product on an in-process gateway, for a required parameter and a handler that crashes.
const defineTestOp = operationsFor<null>();
const TEST_PRODUCT = { code: 'Test', version: '2000-01-01', endpoint: 'test.aliyuncs.com' };
function testGateway(): Gateway<null> {
  const registry = new OperationRegistry<null>().register(
    defineTestOp({
      product: TEST_PRODUCT,
      action: 'Needs',
      params: { Thing: { type: 'string', required: true }, Size: { type: 'integer', min: 1, max: 5 } },
      invalidParameter: ERROR_CATALOG.ParameterInvalid,
      handle: async () => ({}),
    }),
    defineTestOp({
      product: TEST_PRODUCT,
      action: 'Crash',
      params: {},
      handle: async () => {
        throw new Error('secret internal detail');
      },
    }),
    defineTestOp({
      product: TEST_PRODUCT,
      action: 'StoreDown',
      params: {},
      handle: async () => {
        // What the PostgreSQL store throws when the connection is refused or lost (the real outage is
        // provoked in test/postgres-outage.test.ts).
        throw new StoreUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      },
    }),
  );
  return new Gateway<null>({
    registry,
    services: null,
    auth: {
      lookupAccessKey: (id) => server.app.services.identity.lookupAccessKey(id),
      nonces: new NonceCache(900_000, 1000),
      skewMs: 900_000,
      now: Date.now,
    },
    limits: DEFAULT_LIMITS,
    regionExists,
    defaultHost: 'test.aliyuncs.com',
    logger: createLogger('silent'),
  });
}

/** Signs a v1 GET for the in-process gateway by sending it through sendV1's signer against a capture. */
async function inProcess(
  gateway: Gateway<null>,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  // Build the signed URL with the same raw signer, but deliver it in process.
  let captured = '';
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL) => {
    captured = String(input);
    return new Response('{}');
  }) as typeof fetch;
  try {
    await sendV1('http://in-process', { Version: TEST_PRODUCT.version, ...params });
  } finally {
    globalThis.fetch = realFetch;
  }
  const url = new URL(captured);
  const res = await gateway.handle({
    method: 'GET',
    url: `/${url.search}`,
    headers: {},
    body: Buffer.alloc(0),
  });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> };
}

// Each catalog entry and one way to provoke it: the test below fails if an entry has no provoker.
const provokers: Record<GatewayErrorName, () => Promise<{ status: number; code: string }>> = {
  MissingParameter: async () => code(await inProcess(testGateway(), { Action: 'Needs' })),
  InvalidParameter: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions', AcceptLanguage: 'fr-FR' })),
  ParameterInvalid: async () =>
    code(await inProcess(testGateway(), { Action: 'Needs', Thing: 'x', Size: '9' })),
  InvalidActionNotFound: async () => viaRaw(await sendV1(server.url, { Action: 'DescribeNothing' })),
  InvalidVersion: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions', Version: '2099-01-01' })),
  RequestBodyTooLarge: async () => viaRaw(await postRaw('x'.repeat(1024 * 1024 + 10))),
  TooManyParameters: async () =>
    viaRaw(await postRaw(Array.from({ length: 1001 }, (_, i) => `P${i}=1`).join('&'))),
  MalformedRequest: async () => viaRaw(await rawTcp('GARBAGE / NOT-HTTP\r\n\r\n')),
  ParameterValueTooLong: async () =>
    viaRaw(await postRaw(`Action=DescribeRegions&Big=${'y'.repeat(65 * 1024)}`)),
  InvalidAccessKeyIdNotFound: async () =>
    viaRaw(
      await sendV1(server.url, { Action: 'DescribeRegions' }, { accessKeyId: 'LTAI5tNoSuchKey000000000' }),
    ),
  InvalidAccessKeyIdInactive: async () =>
    viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions' },
        { accessKeyId: 'LTAI5tDisabledKey0000001', secret: 'disabled-secret' },
      ),
    ),
  SignatureDoesNotMatchV1: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions' }, { secret: 'wrong' })),
  SignatureDoesNotMatchV3: async () =>
    viaRaw(await sendV3(server.url, {}, { action: 'DescribeRegions', secret: 'wrong' })),
  IncompleteSignature: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions' }, { omit: ['Signature'] })),
  SignatureNonceUsed: async () => {
    await sendV1(server.url, { Action: 'DescribeRegions' }, { nonce: 'catalog-nonce' });
    return viaRaw(await sendV1(server.url, { Action: 'DescribeRegions' }, { nonce: 'catalog-nonce' }));
  },
  InvalidTimeStampExpired: async () =>
    viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions' },
        { timestamp: isoSeconds(Date.now() - 16 * 60_000) },
      ),
    ),
  InvalidTimeStampFormat: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions' }, { timestamp: '2026-13-01 00:00:00' })),
  InvalidRegionIdNotFound: async () =>
    viaRaw(await sendV1(server.url, { Action: 'DescribeRegions', RegionId: 'cn-atlantis' })),
  ServiceUnavailable: async () => code(await inProcess(testGateway(), { Action: 'StoreDown' })),
  InternalError: async () => code(await inProcess(testGateway(), { Action: 'Crash' })),
  // ClientToken and DryRun (their behaviour in full: test/safe-retries.test.ts).
  IdempotentParameterMismatch: async () => {
    await sendV1(server.url, { Action: 'CreateVpc', RegionId: 'cn-hangzhou', ClientToken: 'catalog-token' });
    return viaRaw(
      await sendV1(server.url, {
        Action: 'CreateVpc',
        RegionId: 'cn-hangzhou',
        ClientToken: 'catalog-token',
        VpcName: 'changed',
      }),
    );
  },
  InvalidClientTokenValueNotSupported: async () =>
    viaRaw(
      await sendV1(server.url, { Action: 'CreateVpc', RegionId: 'cn-hangzhou', ClientToken: 't'.repeat(65) }),
    ),
  DryRunOperation: async () =>
    viaRaw(await sendV1(server.url, { Action: 'CreateVpc', RegionId: 'cn-hangzhou', DryRun: 'true' })),
  // Headers that never finish: answered and closed once --headers-timeout-ms has passed.
  RequestTimeout: async () => viaRaw(await rawTcp('GET / HTTP/1.1\r\nHost: x\r\n', tight.port)),
  // A third connection from one address with --max-connections-per-ip 2.
  TooManyConnections: async () => {
    const held = await Promise.all([openSocket(tight.port), openSocket(tight.port)]);
    try {
      return viaRaw(await rawTcp('GET / HTTP/1.1\r\nHost: x\r\n\r\n', tight.port));
    } finally {
      for (const s of held) s.destroy();
    }
  },
  // Requests in a row (one connection at a time, under the cap of 2) with --throttle-rps 2: the third
  // in the same second is refused. (A reply of 429 means the server has not yet seen the sockets of
  // the previous provoker close; the loop just goes on.)
  ThrottlingUser: async () => {
    for (let i = 0; i < 10; i++) {
      const reply = await sendV1(tight.url, { Action: 'DescribeRegions' });
      if (reply.status !== 400) continue;
      expect(reply.headers.get('x-acs-retry-after')).toMatch(/^\d+$/);
      return viaRaw(reply);
    }
    throw new Error('never throttled');
  },
  ForbiddenRam: async () => {
    const user = await ramUser(server.endpoint, 'catalog-no-policy');
    return viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions' },
        { accessKeyId: user.accessKeyId, secret: user.accessKeySecret },
      ),
    );
  },
  Unauthorized: async () => viaRaw(await sendV1(server.url, { Action: 'DescribeRegions', OwnerId: '42' })),
  MissingSecurityToken: async () => {
    const s = await catalogSession();
    return viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions' },
        { accessKeyId: s.accessKeyId, secret: s.accessKeySecret },
      ),
    );
  },
  InvalidSecurityTokenMismatch: async () => {
    const s = await catalogSession();
    return viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions', SecurityToken: 'CAISwrong' },
        { accessKeyId: s.accessKeyId, secret: s.accessKeySecret },
      ),
    );
  },
  InvalidSecurityTokenExpired: async () => {
    // A session whose expiry has passed, written as AssumeRole writes one.
    const app = server.app;
    await app.store.repos.ram.insertSession({
      access_key_id: 'STS.CatalogExpired000000000',
      account_id: '1234567890123456',
      secret: app.services.identity.secrets.seal('expired-secret'),
      token_hash: tokenHash('CAISexpired'),
      role_id: '1000000000000000001',
      role_name: 'gone',
      session_name: 'old',
      session_policy: null,
      created_at: Date.now() - 7200_000,
      expires_at: Date.now() - 3600_000,
    });
    return viaRaw(
      await sendV1(
        server.url,
        { Action: 'DescribeRegions', SecurityToken: 'CAISexpired' },
        { accessKeyId: 'STS.CatalogExpired000000000', secret: 'expired-secret' },
      ),
    );
  },
};

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

let session: Creds | undefined;
async function catalogSession(): Promise<Creds> {
  session ??= await assume(
    server.endpoint,
    await ramRole(server.endpoint, 'catalog-role', '1234567890123456'),
  );
  return session;
}

function viaRaw(res: Reply): { status: number; code: string } {
  return { status: res.status, code: String(res.json()['Code']) };
}
function code(res: { status: number; body: Record<string, unknown> }): { status: number; code: string } {
  return { status: res.status, code: String(res.body['Code']) };
}
/** Writes raw bytes to the server's socket and parses the HTTP reply by hand. */
function rawTcp(bytes: string, port = server.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', text = ''] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      const headers = new Headers();
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers.set(line.slice(0, i), line.slice(i + 1).trim());
      }
      resolve({ status, headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
    });
  });
}

async function postRaw(body: string): Promise<Reply> {
  const res = await fetch(`${server.url}/`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

describe('the error catalog', () => {
  it.each(Object.keys(ERROR_CATALOG) as GatewayErrorName[])(
    '%s is reachable with its status',
    async (name) => {
      const entry = ERROR_CATALOG[name];
      const got = await provokers[name]();
      expect(got.status).toBe(entry.status);
      expect(got.code).toMatch(new RegExp(`^${entry.code.replace(/\./g, '\\.').replace(/\{\w+\}/g, '.+')}$`));
    },
  );

  it('renders every entry in JSON and XML', () => {
    const gateway = testGateway();
    const parser = new XMLParser();
    for (const entry of Object.values(ERROR_CATALOG)) {
      const apiErr = new ApiError(entry, {
        name: 'Thing',
        limit: 1,
        stringToSign: 'GET&%2F&x',
        detail: 'why',
      });
      const json = gateway.errorResponse(apiErr, 'JSON', 'vpc.aliyuncs.com', 'ID');
      expect(json.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(JSON.parse(json.body)).toMatchObject({
        RequestId: 'ID',
        HostId: 'vpc.aliyuncs.com',
        Code: apiErr.code,
      });
      const xml = gateway.errorResponse(apiErr, 'XML', 'vpc.aliyuncs.com', 'ID');
      expect(xml.headers['content-type']).toBe('text/xml;charset=utf-8');
      expect((parser.parse(xml.body) as { Error: Record<string, unknown> }).Error).toMatchObject({
        RequestId: 'ID',
        HostId: 'vpc.aliyuncs.com',
        Code: apiErr.code,
        Message: apiErr.message,
      });
    }
  });
});

describe('gateway errors through the official SDKs', () => {
  it('unknown AccessKeyId: InvalidAccessKeyId.NotFound, 404 (v3 and pop-core)', async () => {
    const client = vpcClient(server.endpoint, { accessKeyId: 'LTAI5tNoSuchKey000000000' });
    const err = await sdkError(() => client.describeRegions(new VpcModels.DescribeRegionsRequest({})));
    expect(err.code).toBe('InvalidAccessKeyId.NotFound');
    expect(err.statusCode).toBe(404);
    const popErr = await sdkError(() =>
      popClient(server.url, { accessKeyId: 'nope-nope-nope' }).request('DescribeRegions', {}),
    );
    expect(popErr.code).toBe('InvalidAccessKeyId.NotFound');
  });

  it('wrong secret: SignatureDoesNotMatch, 400, with the server string to sign', async () => {
    const v3 = await sdkError(() =>
      vpcClient(server.endpoint, { accessKeySecret: 'wrong' }).describeRegions(
        new VpcModels.DescribeRegionsRequest({}),
      ),
    );
    expect(v3.code).toBe('SignatureDoesNotMatch');
    expect(v3.statusCode).toBe(400);
    expect(v3.message).toMatch(/server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]/);
    const v1 = await sdkError(() =>
      vpcClient(server.endpoint, { accessKeySecret: 'wrong', signatureAlgorithm: 'v2' }).describeRegions(
        new VpcModels.DescribeRegionsRequest({}),
      ),
    );
    expect(v1.code).toBe('SignatureDoesNotMatch');
    expect(v1.message).toContain('server string to sign is:POST&%2F&AccessKeyId%3D');
    const pop = await sdkError(() =>
      popClient(server.url, { accessKeySecret: 'wrong' }).request('DescribeRegions', {}),
    );
    expect(pop.code).toBe('SignatureDoesNotMatch');
  });

  it('unknown action: InvalidAction.NotFound, 404', async () => {
    const err = await sdkError(() => popClient(server.url).request('DescribeEverything', {}));
    expect(err.code).toBe('InvalidAction.NotFound');
    expect(err.data?.['HostId']).toBe('vpc.aliyuncs.com');
  });

  it('unsupported version: InvalidVersion, 400', async () => {
    const err = await sdkError(() =>
      popClient(server.url, { apiVersion: '2099-01-01' }).request('DescribeRegions', {}),
    );
    expect(err.code).toBe('InvalidVersion');
  });

  it('invalid value: InvalidParameter, 400, naming the parameter', async () => {
    const err = await sdkError(() =>
      vpcClient(server.endpoint).describeRegions(
        new VpcModels.DescribeRegionsRequest({ acceptLanguage: 'fr-FR' }),
      ),
    );
    expect(err.code).toBe('InvalidParameter');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('The specified parameter "AcceptLanguage" is not valid.');
  });
});

describe('gateway errors by raw requests', () => {
  it('missing AccessKeyId: InvalidAccessKeyId.NotFound, 404', async () => {
    const res = await sendV1(server.url, { Action: 'DescribeRegions' }, { omit: ['AccessKeyId'] });
    expectEnvelope(res, 404, 'InvalidAccessKeyId.NotFound');
  });

  it('malformed or unsupported v3 Authorization: IncompleteSignature', async () => {
    const a = await sendV3(
      server.url,
      {},
      { action: 'DescribeRegions', authorization: 'ACS3-HMAC-SHA256 Credential=x' },
    );
    expectEnvelope(a, 400, 'IncompleteSignature');
    const b = await sendV1(server.url, { Action: 'DescribeRegions', SignatureMethod: 'HMAC-MD5' });
    expectEnvelope(b, 400, 'IncompleteSignature');
  });

  it('v3: a body that does not match x-acs-content-sha256 fails the signature', async () => {
    const res = await sendV3(
      server.url,
      {},
      {
        action: 'DescribeRegions',
        body: 'AcceptLanguage=en-US',
        contentType: 'application/x-www-form-urlencoded',
        contentSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    );
    expectEnvelope(res, 400, 'SignatureDoesNotMatch');
  });

  it('v3 signed correctly, with a reused nonce, and with an old date', async () => {
    const ok = await sendV3(
      server.url,
      { AcceptLanguage: 'en-US' },
      { action: 'DescribeRegions', nonce: 'v3-nonce-1' },
    );
    expect(ok.status).toBe(200);
    const again = await sendV3(
      server.url,
      { AcceptLanguage: 'en-US' },
      { action: 'DescribeRegions', nonce: 'v3-nonce-1' },
    );
    expectEnvelope(again, 400, 'SignatureNonceUsed');
    const old = await sendV3(
      server.url,
      {},
      { action: 'DescribeRegions', date: isoSeconds(Date.now() + 20 * 60_000) },
    );
    expectEnvelope(old, 400, 'InvalidTimeStamp.Expired');
    const bad = await sendV3(server.url, {}, { action: 'DescribeRegions', date: 'yesterday' });
    expectEnvelope(bad, 400, 'InvalidTimeStamp.Format');
  });

  it('timestamps that do not exist are InvalidTimeStamp.Format, never a 500', async () => {
    for (const timestamp of [
      '2026-13-01T00:00:00Z',
      '2026-01-01T25:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-02-31T00:00:00Z',
    ]) {
      const v1 = await sendV1(server.url, { Action: 'DescribeRegions' }, { timestamp });
      expectEnvelope(v1, 400, 'InvalidTimeStamp.Format');
      const v3 = await sendV3(server.url, {}, { action: 'DescribeRegions', date: timestamp });
      expectEnvelope(v3, 400, 'InvalidTimeStamp.Format');
    }
  });

  it('v3: the date, nonce, body hash and action must be signed, or the request is IncompleteSignature', async () => {
    const all = [
      'host',
      'x-acs-action',
      'x-acs-version',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-content-sha256',
    ];
    for (const missing of [
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-action',
      'x-acs-version',
      'x-acs-content-sha256',
    ]) {
      const res = await sendV3(
        server.url,
        {},
        { action: 'DescribeRegions', signedHeaders: all.filter((h) => h !== missing) },
      );
      const body = expectEnvelope(res, 400, 'IncompleteSignature');
      expect(String(body['Message'])).toContain(`SignedHeaders must include ${missing}.`);
    }
    const onlyHost = await sendV3(server.url, {}, { action: 'DescribeRegions', signedHeaders: ['host'] });
    expectEnvelope(onlyHost, 400, 'IncompleteSignature');
  });

  it('a bad signature does not use up the nonce', async () => {
    const bad = await sendV1(
      server.url,
      { Action: 'DescribeRegions' },
      { nonce: 'keep-me', secret: 'wrong' },
    );
    expectEnvelope(bad, 400, 'SignatureDoesNotMatch');
    const good = await sendV1(server.url, { Action: 'DescribeRegions' }, { nonce: 'keep-me' });
    expect(good.status).toBe(200);
  });

  it('missing Action or Version: the MissingParameter family', async () => {
    expectEnvelope(await sendV1(server.url, {}, {}), 400, 'MissingAction');
    expectEnvelope(
      await sendV1(server.url, { Action: 'DescribeRegions' }, { omit: ['Version'] }),
      400,
      'MissingVersion',
    );
    expectEnvelope(
      await sendV1(server.url, { Action: 'DescribeRegions' }, { omit: ['Timestamp'] }),
      400,
      'MissingTimestamp',
    );
    expectEnvelope(
      await sendV1(server.url, { Action: 'DescribeRegions' }, { omit: ['SignatureNonce'] }),
      400,
      'MissingSignatureNonce',
    );
  });

  it('other paths and methods: InvalidAction.NotFound in the envelope, never HTML', async () => {
    for (const [path, method] of [
      ['/index.html', 'GET'],
      ['/', 'PUT'],
      ['/', 'DELETE'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      const text = await res.text();
      expect(res.status).toBe(404);
      expect(JSON.parse(text)).toMatchObject({ Code: 'InvalidAction.NotFound' });
    }
  });

  it('errors in XML use <Error> and text/xml;charset=utf-8', async () => {
    const res = await sendV1(server.url, { Action: 'DescribeRegions', Format: 'XML' }, { secret: 'wrong' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    const doc = new XMLParser().parse(res.text) as { Error: Record<string, string> };
    expect(doc.Error.Code).toBe('SignatureDoesNotMatch');
    expect(doc.Error.RequestId).toBe(res.headers.get('x-acs-request-id'));
  });

  it('a body over 1 MiB gets 413 in the envelope and the server stays up', async () => {
    const res = await postRaw('x'.repeat(2 * 1024 * 1024));
    expectEnvelope(res, 413, 'InvalidParameter.BodyTooLarge');
    const after = await sendV1(server.url, { Action: 'DescribeRegions' });
    expect(after.status).toBe(200);
  });

  it('bytes that are not HTTP get the envelope, and a long GET query reaches the parameter limits', async () => {
    const garbage = await rawTcp('GARBAGE / NOT-HTTP\r\n\r\n');
    expectEnvelope(garbage, 400, 'InvalidParameter.MalformedRequest');
    const long = await sendV1(server.url, { Action: 'DescribeRegions', Big: 'z'.repeat(70 * 1024) });
    expectEnvelope(long, 400, 'InvalidParameter.ValueTooLong');
  });

  it('an internal error is a 500 envelope without internals', async () => {
    const res = await inProcess(testGateway(), { Action: 'Crash' });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ Code: 'InternalError', HostId: 'test.aliyuncs.com' });
    expect(JSON.stringify(res.body)).not.toContain('secret internal detail');
  });
});
