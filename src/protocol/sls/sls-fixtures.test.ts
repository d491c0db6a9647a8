// Replays the requests captured from the official clients (fixtures/captured-requests.json, see README.md)
// at their capture time: every one must verify, route to its operation, and fail once tampered with.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { SlsRequestDescription } from './sls-auth-types.js';
import { verifySlsRequest } from './sls-auth.js';
import { matchSlsRoute, parseSlsHost, parseSlsUrl } from './sls-request.js';

interface Fixture {
  name: string;
  client: string;
  signature: string;
  operation: string;
  capturedAt: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/captured-requests.json', import.meta.url), 'utf8'),
) as {
  accessKeyId: string;
  accessKeySecret: string;
  requests: Fixture[];
};
const lookupSecret = (id: string) => (id === fixtures.accessKeyId ? fixtures.accessKeySecret : undefined);

function describeFixture(f: Fixture): SlsRequestDescription {
  const { path, query } = parseSlsUrl(f.request.url);
  return {
    method: f.request.method,
    path,
    query,
    headers: f.request.headers,
    body: Buffer.from(f.request.body, 'utf8'),
  };
}

describe('captured client requests', () => {
  it('cover every served operation for each client/signature', () => {
    const seen = new Set(fixtures.requests.map((f) => `${f.signature} ${f.operation}`));
    for (const sig of ['v1-hmac-sha256', 'v4']) {
      for (const op of [
        'CreateProject',
        'GetProject',
        'ListProject',
        'DeleteProject',
        'GetLogs',
        'GetLogsV2',
      ]) {
        expect(seen.has(`${sig} ${op}`)).toBe(true);
      }
    }
    expect(seen.has('v1-hmac-sha1 GetLogs')).toBe(true);
  });

  for (const f of fixtures.requests) {
    it(`${f.name}: verifies, routes, and rejects tampering`, () => {
      const request = describeFixture(f);
      const now = new Date(f.capturedAt);
      const result = verifySlsRequest(request, { lookupSecret, now });
      expect(result).toMatchObject({ ok: true, version: f.signature === 'v4' ? 'v4' : 'v1' });

      const host = parseSlsHost(f.request.headers['host']);
      expect(host.ok).toBe(true);
      const project = host.ok ? (host.project ?? null) : null;
      expect(matchSlsRoute(request.method, request.path, request.query, project)?.operation).toBe(
        f.operation,
      );

      // Tamper: a changed query value, or a changed body, or a changed path must all be refused.
      const queryKeys = Object.keys(request.query);
      const tampered: SlsRequestDescription =
        queryKeys.length > 0
          ? { ...request, query: { ...request.query, [queryKeys[0] ?? '']: 'tampered' } }
          : request.body.length > 0
            ? { ...request, body: Buffer.concat([request.body, Buffer.from(' ')]) }
            : { ...request, path: `${request.path}x` };
      expect(verifySlsRequest(tampered, { lookupSecret, now }).ok).toBe(false);

      expect(
        verifySlsRequest(request, { lookupSecret, now: new Date(now.getTime() + 16 * 60_000) }),
      ).toMatchObject({
        ok: false,
        failure: { kind: 'request-time-expired' },
      });
    });
  }
});
