/**
 * The web console's static files under `/console/`, unsigned, from `dist/console` (written by
 * `npm run build`, see scripts/build-console.ts). The console is just another API client: it signs every RPC
 * and SLS request in the browser, so nothing here knows about sessions or keys, except `config.json`, which
 * tells the sign-in page whether the well-known development AccessKey works on this server (it is published
 * in the README; a server started with its own key never hands it out).
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../products/identity/identity-service.js';

/** src/server and dist/server are both two levels below the package root. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** Same-origin only: scripts and styles from the bundle, requests to this server, no framing. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export interface ConsoleRequest {
  method: string;
  url: string;
  /** The key behind an AccessKeyId, secret unsealed (IdentityService.lookupAccessKey). */
  lookupAccessKey: (accessKeyId: string) => Promise<{ secret: string; active: boolean } | undefined>;
  /** Where the built files are; CONSOLE_DIR unless a test says otherwise. */
  dir?: string;
}

/** Answers `/console` and everything under it; returns false for any other path. */
export async function serveConsole(req: ConsoleRequest, res: ServerResponse): Promise<boolean> {
  const path = req.url.split('?')[0] ?? '';
  if (path !== '/console' && !path.startsWith('/console/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, req.method, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', { allow: 'GET, HEAD' });
    return true;
  }
  if (path === '/console') {
    reply(res, req.method, 301, 'text/plain; charset=utf-8', '', { location: '/console/' });
    return true;
  }
  if (path === '/console/config.json') {
    const key = await req.lookupAccessKey(DEV_ACCESS_KEY_ID);
    const dev = key?.active === true && key.secret === DEV_ACCESS_KEY_SECRET;
    const body = JSON.stringify(
      dev
        ? { developmentKey: { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: DEV_ACCESS_KEY_SECRET } }
        : {},
    );
    reply(res, req.method, 200, TYPES['.json']!, body);
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice('/console/'.length)) || 'index.html';
  } catch {
    relative = '';
  }
  const dir = req.dir ?? CONSOLE_DIR;
  const file = normalize(join(dir, relative));
  const type = TYPES[extname(file)];
  if (
    relative === '' ||
    relative.includes('\0') ||
    !file.startsWith(dir.endsWith(sep) ? dir : dir + sep) ||
    !type
  ) {
    reply(res, req.method, 404, 'text/plain; charset=utf-8', 'Not Found\n');
    return true;
  }
  try {
    reply(res, req.method, 200, type, await readFile(file));
  } catch {
    const missing = relative === 'index.html';
    reply(
      res,
      req.method,
      404,
      'text/plain; charset=utf-8',
      missing ? 'The console is not built: run `npm run build`.\n' : 'Not Found\n',
    );
  }
  return true;
}

function reply(
  res: ServerResponse,
  method: string,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'content-type': type,
    'content-length': bytes.length,
  });
  res.end(method === 'HEAD' ? undefined : bytes);
}
