/**
 * Unsigned admin endpoints under `/_vpcflow/`, kept apart from the API namespace (as moto's /moto-api
 * and LocalStack's /_localstack). Returns undefined for any other path. Who may call them is decided
 * once, at the entry, by `guardAdmin` (admin-guard.ts): only `health` and `metrics` answer anyone; the
 * rest (exporter bindings, `POST /_vpcflow/flush`, `POST /_vpcflow/reset`) need the operator token, or,
 * without one, a loopback peer, since they are unsigned and a binding decides which account's flow
 * logs an exporter's flows land in.
 */
import type { DataPlane } from '../dataplane/pipeline/data-plane.js';
import { canonicalAddress } from '../dataplane/pipeline/exporter-address.js';
import { collectorSummary, prometheusText } from '../dataplane/pipeline/metrics.js';
import type { Logger } from '../logger.js';
import type { RawResponse } from '../protocol/request.js';
import { ANY, type ExporterBindingRow } from '../store/repos/exporter-binding-repo.js';
import type { Store } from '../store/store.js';
import type { IdentityService } from '../products/identity/identity-service.js';
import { createAccountRoute } from './account-routes.js';
import { VPCFLOW_VERSION } from '../version.js';
import { guardAdmin, isOperator } from './admin-guard.js';

export interface AdminRequest {
  method: string;
  url: string;
  store: Store;
  startedAt: number;
  body?: Buffer | undefined;
  /** The flow collector and pipeline, when `--collector` is set. */
  dataplane?: DataPlane | undefined;
  /** The peer's address (`req.socket.remoteAddress`); without an admin token only loopback peers pass. */
  remoteAddress?: string | undefined;
  logger?: Logger | undefined;
  /** Empties the world and loads the seed files again (POST /_vpcflow/reset). */
  reload?: (() => Promise<ResetSummary>) | undefined;
  /** The request's `Authorization` header (`Bearer <admin token>`). */
  authorization?: string | undefined;
  /** `--admin-token`; undefined = loopback-only. */
  adminToken?: string | undefined;
  /** Accounts and AccessKeys, for `POST /_vpcflow/accounts` (account-routes.ts). */
  identity?: IdentityService | undefined;
}

export interface ResetSummary {
  seedFiles: string[];
}

export async function adminRoute(req: AdminRequest): Promise<RawResponse | undefined> {
  if (!req.url.startsWith('/_vpcflow/')) return undefined;
  const path = req.url.split('?')[0] ?? '';
  const denied = guardAdmin(req.method, path, req);
  if (denied) return denied;
  if (path === '/_vpcflow/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    // A node whose store does not answer is out of service: 503, so a load balancer skips it.
    const reachable = await req.store.db.ping();
    return json(reachable ? 200 : 503, {
      status: reachable ? 'ok' : 'unavailable',
      version: VPCFLOW_VERSION,
      store: req.store.kind,
      // Where the data lives is the operator's business only.
      ...(isOperator(req) ? { storeLocation: req.store.db.location } : {}),
      storeReachable: reachable,
      recordStore: req.store.records.dialect,
      ...(isOperator(req) ? { recordStoreLocation: req.store.records.location } : {}),
      uptimeSeconds: Math.floor((Date.now() - req.startedAt) / 1000),
      ...(req.dataplane ? { collector: collectorSummary(req.dataplane.counters()) } : {}),
    });
  }
  if (path === '/_vpcflow/metrics' && req.method === 'GET') {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      body: req.dataplane ? prometheusText(req.dataplane.counters()) : '',
    };
  }
  if (path === '/_vpcflow/flush' && req.method === 'POST') {
    if (!req.dataplane) return json(409, { error: 'CollectorDisabled', message: 'Start with --collector' });
    return json(200, await req.dataplane.flush());
  }
  if (path === '/_vpcflow/reset' && req.method === 'POST') {
    if (!req.reload) return json(409, { error: 'ResetUnavailable', message: 'This server cannot reset' });
    try {
      return json(200, { reset: true, ...(await req.reload()) });
    } catch (err) {
      // The reset is one transaction: a seed file that fails now leaves the world as it was.
      req.logger?.error('reset failed; nothing changed', { error: String((err as Error).message ?? err) });
      return json(500, { error: 'ResetFailed', message: `${(err as Error).message}; nothing was changed` });
    }
  }
  if (path === '/_vpcflow/exporters') return exporters(req);
  if (path === '/_vpcflow/accounts' && req.method === 'POST' && req.identity) {
    return createAccountRoute(req.identity, req.body);
  }
  return json(404, { error: 'NotFound', message: `No admin endpoint ${req.method} ${path}` });
}

/**
 * Exporter bindings: `PUT` {address, port?, observationDomainId?, accountId, regionId, vpcId} binds an
 * exporter to the VPC it watches; `GET` lists; `DELETE ?address=&port=&observationDomainId=` (or the same
 * fields as a JSON body) unbinds.
 * Omitted port / domain match any.
 */
async function exporters(req: AdminRequest): Promise<RawResponse> {
  const repo = req.store.repos.exporters;
  if (req.method === 'GET') return json(200, { exporters: (await repo.list()).map(toJson) });
  if (req.method === 'PUT') {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(req.body?.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return invalid('the body must be JSON');
    }
    if (typeof input !== 'object' || input === null) return invalid('the body must be a JSON object');
    const { accountId, regionId, vpcId } = input;
    const address = typeof input['address'] === 'string' ? canonicalAddress(input['address']) : undefined;
    if (address === undefined) return invalid('address must be an IP address');
    const port = optionalInt(input['port'], 65535);
    const domain = optionalInt(input['observationDomainId'], 0xffffffff);
    if (port === undefined) return invalid('port must be an integer from 1 to 65535');
    if (domain === undefined) return invalid('observationDomainId must be an integer from 0 to 4294967295');
    if (typeof accountId !== 'string' || typeof regionId !== 'string' || typeof vpcId !== 'string') {
      return invalid('accountId, regionId and vpcId are required strings');
    }
    const vpc = await req.store.repos.network.getVpc(accountId, regionId, vpcId);
    if (vpc === undefined) {
      return json(404, {
        error: 'InvalidVpcId.NotFound',
        message: `No VPC ${vpcId} in ${accountId}/${regionId}`,
      });
    }
    const row: ExporterBindingRow = {
      address,
      port,
      observation_domain_id: domain,
      account_id: accountId,
      region_id: regionId,
      vpc_id: vpcId,
      created_at: Date.now(),
    };
    await repo.put(row);
    req.dataplane?.invalidate();
    return json(200, toJson(row));
  }
  if (req.method === 'DELETE') {
    // The key from the query string or, like PUT, a JSON body ({address, port?, observationDomainId?}).
    const q = new URLSearchParams(req.url.split('?')[1] ?? '');
    let input: Record<string, unknown> = Object.fromEntries(q);
    if (req.body?.length) {
      try {
        input = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return invalid('the body must be JSON');
      }
      if (typeof input !== 'object' || input === null) return invalid('the body must be a JSON object');
    }
    const address = typeof input['address'] === 'string' ? canonicalAddress(input['address']) : undefined;
    const port = optionalInt(input['port'], 65535, true);
    const domain = optionalInt(input['observationDomainId'], 0xffffffff, true);
    if (address === undefined || port === undefined || domain === undefined) {
      return invalid('address (an IP address), and optionally port and observationDomainId, are required');
    }
    const deleted = await repo.delete(address, port, domain);
    req.dataplane?.invalidate();
    return deleted
      ? json(200, { deleted: true })
      : json(404, { error: 'NotFound', message: 'No such binding' });
  }
  return json(405, { error: 'MethodNotAllowed', message: `${req.method} /_vpcflow/exporters` });
}

/** ANY when absent; undefined when invalid. `fromText` accepts decimal strings (query parameters). */
function optionalInt(value: unknown, max: number, fromText = false): number | undefined {
  if (value === undefined || value === null || value === '') return ANY;
  const n = fromText && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) return undefined;
  if (max === 65535 && n === 0) return undefined;
  return n;
}

function toJson(r: ExporterBindingRow): Record<string, unknown> {
  return {
    address: r.address,
    ...(r.port === ANY ? {} : { port: r.port }),
    ...(r.observation_domain_id === ANY ? {} : { observationDomainId: r.observation_domain_id }),
    accountId: r.account_id,
    regionId: r.region_id,
    vpcId: r.vpc_id,
  };
}

function invalid(message: string): RawResponse {
  return json(400, { error: 'InvalidParameter', message });
}

function json(status: number, body: unknown): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(body),
  };
}
