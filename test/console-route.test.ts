// `/console/` on the API port: the built files, unsigned, with a strict CSP; nothing outside the build
// directory; `config.json` offers the development AccessKey only while this server accepts it.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { startTestServer, testConfig, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.close());

/** A request with the path exactly as written (fetch would normalise `..`). */
function raw(
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/console/', () => {
  it('serves the page, its script and stylesheet with security headers', async () => {
    const page = await raw('GET', '/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<script type="module" src="app.js">');
    const script = await raw('GET', '/console/app.js');
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    const css = await raw('GET', '/console/app.css');
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const head = await raw('HEAD', '/console/app.js');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('redirects /console to /console/ and answers other methods 405', async () => {
    const bare = await raw('GET', '/console');
    expect([bare.status, bare.headers['location']]).toEqual([301, '/console/']);
    const post = await raw('POST', '/console/');
    expect([post.status, post.headers['allow']]).toEqual([405, 'GET, HEAD']);
  });

  it('serves nothing outside the build directory and no unknown file types', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/..%2f..%2fpackage.json',
      '/console/nope.js',
      '/console/index.html%00.js',
      '/console/%E0%A4%A',
    ]) {
      expect((await raw('GET', path)).status, path).toBe(404);
    }
  });

  it('leaves the RPC and SLS endpoints as they were', async () => {
    const rpc = await raw('GET', '/?Action=DescribeRegions');
    expect(rpc.status).toBe(400);
    expect(rpc.body).toContain('"Code"');
  });

  it('offers the development AccessKey only while the server accepts it', async () => {
    const dev = JSON.parse((await raw('GET', '/console/config.json')).body) as unknown;
    expect(dev).toEqual({
      developmentKey: { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: DEV_ACCESS_KEY_SECRET },
    });
    const own = await startTestServer({
      identity: {
        ...testConfig().identity,
        accessKeyId: 'LTAI5tOwnKey0001',
        accessKeySecret: 'own-secret-0001',
      },
    });
    try {
      const res = await fetch(`${own.url}/console/config.json`);
      expect(await res.json()).toEqual({});
    } finally {
      await own.close();
    }
  });
});
