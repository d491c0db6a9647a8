/**
 * The HTTP front: node:http (no framework; the gateway does its own routing and the benchmark compares
 * against bare node:http). It reads the body under a size limit, routes `/_vpcflow/*` to the admin
 * endpoints, SLS-shaped requests (`x-log-apiversion`, `LOG`/`SLS4` authorization) to the SLS endpoint and
 * everything else to the RPC gateway, and shuts down gracefully.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../logger.js';
import { ApiError, ERROR_CATALOG, isTemporaryFailure } from '../protocol/errors.js';
import type { Gateway } from '../protocol/gateway.js';
import type { RawRequest, RawResponse } from '../protocol/request.js';
import { parseFormat } from '../protocol/render.js';
import { isSlsRequest } from '../protocol/sls/sls-request.js';
import { renderSlsError, slsError } from '../protocol/sls/sls-errors.js';
import type { Store } from '../store/store.js';
import type { DataPlane } from '../dataplane/pipeline/data-plane.js';
import { adminRoute, type ResetSummary } from './admin-routes.js';
import { serveConsole } from './console-route.js';
import { logHttpRequest } from './request-log.js';
import { ConnectionLimits } from './connection-limits.js';
import type { IdentityService } from '../products/identity/identity-service.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  host: string;
  port: number;
  gateway: Gateway<unknown>;
  store: Store;
  logger: Logger;
  /** The SLS endpoint on the same port: requests `isSlsRequest` recognises go here instead of the gateway. */
  sls?: (req: RawRequest) => Promise<RawResponse>;
  /** Accounts, for the operator's `POST /_vpcflow/accounts`. */
  identity?: IdentityService | undefined;
  /** The flow collector and pipeline, for the data-plane admin endpoints. */
  dataplane?: DataPlane | undefined;
  /** POST /_vpcflow/reset: back to the seed files. */
  reload?: (() => Promise<ResetSummary>) | undefined;
  /** `--admin-token`: the operator endpoints then require `Authorization: Bearer <token>`. */
  adminToken?: string | undefined;
  /** Timeouts and connection caps; DEFAULT_HTTP_LIMITS when omitted. */
  limits?: HttpLimits | undefined;
}

export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxRequestsPerSocket: number;
  maxConnectionsPerIp: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1_000,
  maxConnectionsPerIp: 256,
};

/**
 * How often Node checks the header and request timeouts. Its default (30 s) let a slow-header client
 * hold a socket up to 30 s past `headersTimeout`; checking twice a second enforces them within 0.5 s.
 */
const TIMEOUT_CHECK_MS = 500;

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const startedAt = Date.now();
  const limits = opts.limits ?? DEFAULT_HTTP_LIMITS;
  // Headers (and so a GET query string) may be as large as a body: the gateway's own limits then
  // answer with the wire envelope instead of Node's plain 431.
  const server = createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: MAX_BODY_BYTES + 64 * 1024,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    (req, res) => {
      void serve(req, res);
    },
  );
  server.maxHeadersCount = 200;
  const connections = new ConnectionLimits({
    maxConnectionsPerIp: limits.maxConnectionsPerIp,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    refuse: (socket) =>
      writeRaw(
        socket,
        opts.gateway.errorResponse(
          new ApiError(ERROR_CATALOG.TooManyConnections, { limit: limits.maxConnectionsPerIp }),
          'JSON',
        ),
        'Too Many Requests',
      ),
  });
  server.on('connection', (socket: Socket) => connections.accept(socket));
  // Bytes that are not HTTP at all, and requests whose headers or body did not arrive in time, still get
  // the error envelope, then the connection closes.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET' || connections.isRefused(socket as Socket)) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      const limit = limits.headersTimeoutMs;
      const reply = opts.gateway.errorResponse(new ApiError(ERROR_CATALOG.RequestTimeout, { limit }), 'JSON');
      writeRaw(socket as Socket, reply, 'Request Timeout');
      return;
    }
    const reply = opts.gateway.errorResponse(new ApiError(ERROR_CATALOG.MalformedRequest), 'JSON');
    writeRaw(socket as Socket, reply, 'Bad Request');
  });

  // The console's sign-in page asks whether the development AccessKey still works (console-route.ts).
  const lookupAccessKey = async (id: string) => opts.identity?.lookupAccessKey(id);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A connection over the per-address cap was answered and is closing: its requests are not served.
    if (connections.isRefused(req.socket)) {
      res.destroy();
      return;
    }
    const last = connections.lastRequest(req.socket);
    const send = (r: ServerResponse, reply: RawResponse): void => {
      if (last) reply.headers['connection'] = 'close';
      sendReply(r, reply);
    };
    const url = req.url ?? '/';
    const sls = opts.sls && isSlsRequest(req.headers) ? opts.sls : undefined;
    const facts = {
      method: req.method ?? 'GET',
      url,
      host: req.headers.host,
      remoteAddress: req.socket.remoteAddress,
      startedMs: performance.now(),
    };
    try {
      if (!sls && (await serveConsole({ method: req.method ?? 'GET', url, lookupAccessKey }, res))) return;
      const body = await readBody(req, MAX_BODY_BYTES);
      if (sls) {
        const reply = await sls({
          method: req.method ?? 'GET',
          url,
          headers: req.headers,
          body,
          remoteAddress: req.socket.remoteAddress,
          signal: abandonedSignal(res),
        });
        logHttpRequest(opts.logger, 'sls request', facts, reply);
        send(res, reply);
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
        logger: opts.logger,
        reload: opts.reload,
        authorization: req.headers.authorization,
        adminToken: opts.adminToken,
        identity: opts.identity,
      });
      if (admin) logHttpRequest(opts.logger, 'admin request', facts, admin);
      const reply =
        admin ??
        (await opts.gateway.handle({
          method: req.method ?? 'GET',
          url,
          headers: req.headers,
          body,
          remoteAddress: req.socket.remoteAddress,
        }));
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

/** A whole HTTP response written straight to the socket (outside a request), then the socket closes. */
function writeRaw(socket: Socket, reply: RawResponse, statusText: string): void {
  const body = Buffer.from(reply.body);
  const head = Object.entries({
    ...reply.headers,
    'content-length': String(body.length),
    connection: 'close',
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${reply.status} ${statusText}\r\n${head}\r\n`), body]));
  // A client that keeps sending would keep a half-closed socket open: close it once the reply is out.
  socket.once('finish', () => socket.destroy());
}

function sendReply(res: ServerResponse, reply: RawResponse): void {
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

/** Aborts when the response closes before it was written in full: the client went away. */
function abandonedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
