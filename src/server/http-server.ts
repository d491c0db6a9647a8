/**
 * The HTTP front: node:http (no framework; the gateway does its own routing and the benchmark compares
 * against bare node:http). It reads the body under a size limit, routes `/_vpcflow/*` to the admin
 * endpoints, SLS-shaped requests (`x-log-apiversion`, `LOG`/`SLS4` authorization) to the SLS endpoint and
 * everything else to the RPC gateway, and shuts down gracefully.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { ApiError, ERROR_CATALOG, isTemporaryFailure } from '../protocol/errors.js';
import type { Gateway } from '../protocol/gateway.js';
import type { RawRequest, RawResponse } from '../protocol/request.js';
import { parseFormat } from '../protocol/render.js';
import { isSlsRequest } from '../protocol/sls/sls-request.js';
import { renderSlsError, slsError } from '../protocol/sls/sls-errors.js';
import type { Store } from '../store/store.js';
import type { DataPlane } from '../dataplane/pipeline/data-plane.js';
import { adminRoute } from './admin-routes.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  gateway: Gateway<unknown>;
  store: Store;
  logger: Logger;
  /** The SLS endpoint on the same port: requests `isSlsRequest` recognises go here instead of the gateway. */
  sls?: (req: RawRequest) => Promise<RawResponse>;
  /** The flow collector and pipeline, for the data-plane admin endpoints. */
  dataplane?: DataPlane | undefined;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const startedAt = Date.now();
  // Headers (and so a GET query string) may be as large as a body: the gateway's own limits then
  // answer with the wire envelope instead of Node's plain 431.
  const server = createServer(
    { keepAliveTimeout: 5_000, maxHeaderSize: MAX_BODY_BYTES + 64 * 1024 },
    (req, res) => {
      void serve(req, res);
    },
  );
  // Slow or stalled clients cannot hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxHeadersCount = 200;
  // Bytes that are not HTTP at all still get the error envelope, then the connection closes.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const reply = opts.gateway.errorResponse(new ApiError(ERROR_CATALOG.MalformedRequest), 'JSON');
    const body = Buffer.from(reply.body);
    const head = Object.entries({
      ...reply.headers,
      'content-length': String(body.length),
      connection: 'close',
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${reply.status} Bad Request\r\n${head}\r\n`), body]));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const sls = opts.sls && isSlsRequest(req.headers) ? opts.sls : undefined;
    try {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (sls) {
        send(res, await sls({ method: req.method ?? 'GET', url, headers: req.headers, body }));
        return;
      }
      const admin = await adminRoute({
        method: req.method ?? 'GET',
        url,
        store: opts.store,
        startedAt,
        body,
        dataplane: opts.dataplane,
        remoteAddress: req.socket.remoteAddress,
      });
      const reply =
        admin ??
        (await opts.gateway.handle({ method: req.method ?? 'GET', url, headers: req.headers, body }));
      send(res, reply);
    } catch (err) {
      const format = parseFormat(new URLSearchParams(url.split('?')[1] ?? '').get('Format') ?? undefined);
      if (err instanceof BodyTooLarge && sls) {
        const reply = renderSlsError(slsError('PostBodyTooLarge'));
        reply.headers['connection'] = 'close';
        send(res, reply);
        return;
      }
      if (err instanceof BodyTooLarge) {
        const reply = opts.gateway.errorResponse(
          new ApiError(ERROR_CATALOG.RequestBodyTooLarge, { limit: MAX_BODY_BYTES }),
          format,
        );
        // The rest of the body is not read: close the connection after replying.
        reply.headers['connection'] = 'close';
        send(res, reply);
        return;
      }
      if (isTemporaryFailure(err)) {
        // An admin endpoint found the store unreachable: the 503 envelope, as the gateway answers.
        opts.logger.warn('request failed: store unavailable', { error: String(err) });
        if (!res.headersSent)
          send(res, opts.gateway.errorResponse(new ApiError(ERROR_CATALOG.ServiceUnavailable), format));
        return;
      }
      opts.logger.error('request failed outside the gateway', { error: String(err) });
      if (!res.headersSent)
        send(res, opts.gateway.errorResponse(new ApiError(ERROR_CATALOG.InternalError), format));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = opts.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    close: () => closeGracefully(server),
  };
}

function send(res: ServerResponse, reply: RawResponse): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': body.length });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Stops accepting connections, lets in-flight requests finish (up to 10 s), then closes the rest. */
function closeGracefully(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
