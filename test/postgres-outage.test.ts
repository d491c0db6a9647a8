/**
 * PostgreSQL restarted under load: while it is down every request gets the 503 envelope
 * (ServiceUnavailable on the RPC API; health says unreachable), the node never crashes, and service
 * resumes by itself when the database is back. Runs on its own throwaway cluster, since it stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { sendV1 } from './support/raw-signer.js';
import { startPostgresCluster, type PostgresCluster } from './support/postgres-cluster.js';
import { testConfig } from './support/server.js';

let cluster: PostgresCluster;
let app: App;
let url: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  app = await createApp(testConfig({ databaseUrl: cluster.url }), createLogger('silent'));
  url = (await app.listen()).url;
});
afterAll(async () => {
  await app?.close();
  await cluster?.stop();
});

const describeVpcs = (): ReturnType<typeof sendV1> =>
  sendV1(url, { Action: 'DescribeVpcs', RegionId: 'cn-hangzhou' });

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/_vpcflow/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the database restarted under load', () => {
  it('answers 503 envelopes while it is down and recovers by itself', async () => {
    expect((await describeVpcs()).status).toBe(200);
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: 'ok', store: 'postgres', storeReachable: true },
    });

    // Load while the server goes down and comes back: every answer is a 200 or a 503 envelope.
    let stop = false;
    const seen = new Map<number, number>();
    const codes = new Set<string>();
    const load = (async () => {
      while (!stop) {
        const res = await describeVpcs();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        if (res.status !== 200) codes.add(String(res.json()['Code']));
      }
    })();
    await cluster.restart({ downMs: 1500 });
    stop = true;
    await load;
    // Down again, probed while it is down.
    const restarting = cluster.restart({ downMs: 2000 });
    await new Promise((r) => setTimeout(r, 800));
    const duringOutage = await health();
    const vpcDuringOutage = await describeVpcs();
    await restarting;

    expect([...seen.keys()].every((s) => s === 200 || s === 503)).toBe(true);
    expect([...codes].every((c) => c === 'ServiceUnavailable')).toBe(true);
    expect(duringOutage).toMatchObject({
      status: 503,
      body: { status: 'unavailable', store: 'postgres', storeReachable: false },
    });
    expect(vpcDuringOutage.status).toBe(503);
    expect(vpcDuringOutage.json()).toMatchObject({
      Code: 'ServiceUnavailable',
      Message: 'The request has failed due to a temporary failure of the server.',
    });

    // Back: the very next requests succeed, through fresh connections.
    expect((await describeVpcs()).status).toBe(200);
    expect((await health()).body).toMatchObject({ status: 'ok', storeReachable: true });
    const created = await sendV1(url, {
      Action: 'CreateVpc',
      RegionId: 'cn-hangzhou',
      CidrBlock: '10.0.0.0/16',
    });
    expect(created.status).toBe(200);
  });
});
