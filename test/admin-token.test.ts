/**
 * The operator endpoints under `/_vpcflow/` with and without `--admin-token`, over a real socket:
 * with a token every endpoint but health and metrics needs `Authorization: Bearer <token>` (401
 * without, 403 wrong); health shows where the database is only to the operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/config.js';
import { startTestServer, type TestServer } from './support/server.js';

const TOKEN = 'operator-token-0123456789abcdef';

async function call(
  server: TestServer,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('with --admin-token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ adminToken: TOKEN, collectors: ['127.0.0.1:0'] });
  });
  afterAll(async () => server.close());

  const guarded: [string, string, unknown?][] = [
    ['GET', '/_vpcflow/exporters'],
    ['PUT', '/_vpcflow/exporters', { address: '192.0.2.1', accountId: '1', regionId: 'x', vpcId: 'v' }],
    ['DELETE', '/_vpcflow/exporters?address=192.0.2.1'],
    ['POST', '/_vpcflow/flush'],
    ['GET', '/_vpcflow/no-such-endpoint'],
  ];

  it('answers 401 with WWW-Authenticate without a token, 403 with a wrong one, even from loopback', async () => {
    for (const [method, path, body] of guarded) {
      const none = await call(server, method, path, undefined, body);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.json).toMatchObject({ error: 'Unauthorized', message: expect.stringContaining('Bearer') });
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
      for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, 'Bearer x', `Basic ${TOKEN}`]) {
        const res = await call(server, method, path, wrong, body);
        expect(res.status, `${method} ${path} with ${wrong}`).toBe(wrong.startsWith('Basic') ? 401 : 403);
      }
    }
  });

  it('lets the operator in with the right token', async () => {
    const auth = `Bearer ${TOKEN}`;
    expect((await call(server, 'GET', '/_vpcflow/exporters', auth)).json).toEqual({ exporters: [] });
    expect((await call(server, 'POST', '/_vpcflow/flush', auth)).status).toBe(200);
    // Past the guard, the endpoint's own checks answer (the VPC does not exist).
    const put = await call(server, 'PUT', '/_vpcflow/exporters', auth, {
      address: '192.0.2.1',
      accountId: '1234567890123456',
      regionId: 'cn-hangzhou',
      vpcId: 'vpc-nosuch',
    });
    expect(put.status).toBe(404);
    expect((await call(server, 'GET', '/_vpcflow/no-such-endpoint', auth)).status).toBe(404);
  });

  it('health and metrics stay open; the database location only for the operator', async () => {
    const anyone = await call(server, 'GET', '/_vpcflow/health');
    expect(anyone.status).toBe(200);
    expect(anyone.json).toMatchObject({ status: 'ok' });
    expect(anyone.json).not.toHaveProperty('storeLocation');
    const wrong = await call(server, 'GET', '/_vpcflow/health', 'Bearer nope');
    expect(wrong.json).not.toHaveProperty('storeLocation');
    const operator = await call(server, 'GET', '/_vpcflow/health', `Bearer ${TOKEN}`);
    expect(operator.json).toHaveProperty('storeLocation');
    expect((await fetch(`${server.url}/_vpcflow/metrics`)).status).toBe(200);
  });
});

describe('without --admin-token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('answers loopback peers as before (this test runs on 127.0.0.1), health with the location', async () => {
    expect((await call(server, 'GET', '/_vpcflow/exporters')).status).toBe(200);
    expect((await call(server, 'GET', '/_vpcflow/health')).json).toHaveProperty('storeLocation');
  });
});

describe('configuration', () => {
  it('reads --admin-token or VPCFLOW_ADMIN_TOKEN, the flag winning; refuses short or spaced tokens', () => {
    expect(resolveConfig({}, {}).adminToken).toBeUndefined();
    expect(resolveConfig({}, { VPCFLOW_ADMIN_TOKEN: TOKEN }).adminToken).toBe(TOKEN);
    expect(resolveConfig({ 'admin-token': `${TOKEN}2` }, { VPCFLOW_ADMIN_TOKEN: TOKEN }).adminToken).toBe(
      `${TOKEN}2`,
    );
    expect(() => resolveConfig({ 'admin-token': 'short' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ 'admin-token': 'has a space in it 0123' }, {})).toThrow(/admin-token/);
  });
});
