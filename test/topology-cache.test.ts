/** The pipeline's network view, alone: reloaded when its tables change, on invalidate, and on the timer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopologyCache } from '../src/dataplane/pipeline/topology-cache.js';
import { ExporterBindingRepo } from '../src/store/repos/exporter-binding-repo.js';
import { startTestServer, type TestServer } from './support/server.js';
import { insertNetwork } from './support/world.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('TopologyCache', () => {
  it('sees a new exporter binding after the check interval, without a full reload in between', async () => {
    let now = 1_000_000;
    const cache = new TopologyCache(server.app.store, () => now, 60_000);
    await cache.ensureFresh();
    expect(cache.current.bindingFor('192.0.2.77', 4739, 0)).toBeUndefined();
    const net = await insertNetwork(server.app);
    await new ExporterBindingRepo(server.app.store.db).put({
      address: '192.0.2.77',
      port: -1,
      observation_domain_id: -1,
      account_id: net.accountId,
      region_id: net.regionId,
      vpc_id: net.vpcId,
      created_at: Date.now(),
    });
    // Within the check interval the view is kept as is (no store read per batch).
    now += 10;
    await cache.ensureFresh();
    expect(cache.current.bindingFor('192.0.2.77', 4739, 0)).toBeUndefined();
    // After it, the data version changed: reloaded.
    now += 200;
    await cache.ensureFresh();
    expect(cache.current.bindingFor('192.0.2.77', 4739, 0)).toMatchObject({ vpcId: net.vpcId });
  });

  it('invalidate forces a reload at the next check', async () => {
    let now = 2_000_000;
    const cache = new TopologyCache(server.app.store, () => now, 60_000);
    await cache.refresh();
    const before = cache.current;
    now += 1;
    await cache.ensureFresh();
    expect(cache.current).toBe(before);
    cache.invalidate();
    await cache.ensureFresh();
    expect(cache.current).not.toBe(before);
    const reloaded = cache.current;
    now += 60_000;
    await cache.onTick();
    expect(cache.current).not.toBe(reloaded);
  });
});
