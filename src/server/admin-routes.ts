/**
 * Unsigned admin endpoints under `/_vpcflow/`, kept apart from the API namespace (as moto's /moto-api
 * and LocalStack's /_localstack). Returns undefined for any other path.
 */
import type { RawResponse } from '../protocol/request.js';
import type { Store } from '../store/store.js';
import { VPCFLOW_VERSION } from '../version.js';

export interface AdminRequest {
  method: string;
  url: string;
  store: Store;
  startedAt: number;
}

export async function adminRoute(req: AdminRequest): Promise<RawResponse | undefined> {
  if (!req.url.startsWith('/_vpcflow/')) return undefined;
  const path = req.url.split('?')[0];
  if (path === '/_vpcflow/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    return json(200, {
      status: 'ok',
      version: VPCFLOW_VERSION,
      store: req.store.kind,
      storeLocation: req.store.db.location,
      uptimeSeconds: Math.floor((Date.now() - req.startedAt) / 1000),
    });
  }
  return json(404, { error: 'NotFound', message: `No admin endpoint ${req.method} ${path}` });
}

function json(status: number, body: unknown): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(body),
  };
}
