/**
 * Background work on one node at a time, for nodes sharing one PostgreSQL database: two in-process
 * nodes (each with its own node-local DuckDB record store, `--record-store duckdb`) compete for the `status-records` and
 * `ttl-sweep` leases (src/cluster/leadership.ts). NODATA / SKIPDATA for a window are written once, by
 * the lease holder, from what both nodes' collectors saw; when the holder dies (its database
 * connection gone, no clean release) the other node takes over within the lease time and continues
 * with the next window, never repeating one. The TTL sweep runs on the holder only.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { LeaderLease } from '../src/cluster/leadership.js';
import type { DecodedFlow } from '../src/dataplane/collector/index.js';
import { FlowPipeline } from '../src/dataplane/pipeline/pipeline.js';
import { windowStartOf } from '../src/dataplane/pipeline/window.js';
import { createLogger } from '../src/logger.js';
import { startTtlSweeper } from '../src/products/sls/api/ttl-sweeper.js';
import { recoverInterruptedAppends } from '../src/dataplane/pipeline/delivery.js';
import { journalOwner } from '../src/cluster/node-identity.js';
import { RecordJournalRepo } from '../src/store/repos/record-journal-repo.js';
import type { RecordRow } from '../src/store/records/record-store.js';
import { openStore, type Store } from '../src/store/store.js';
import { spawnServer, type ServerProcess } from './support/process.js';
import { tempDir, testConfig } from './support/server.js';
import { adminQuery, databaseUrl } from './support/test-store.js';
import { makeWorld, type World } from './support/world.js';

const MINUTE = 60_000;
const GRACE = MINUTE;
const SETTLE = 5_000;
const LEASE_MS = 1_000;
const SECRET_KEY = randomBytes(32).toString('hex');
let dbName: string;
let url: string;
let node1: App;
let node2: App;
let world: World;

beforeAll(async () => {
  dbName = `leader_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  url = databaseUrl(dbName);
  // Records per node (`--record-store duckdb`): what each node stored stays apart, so the assertions can
  // tell which node wrote a status record. The shared record store is covered by postgres-multi-node.
  const config = (): ReturnType<typeof testConfig> =>
    testConfig({ databaseUrl: url, secretKey: SECRET_KEY, recordStore: 'duckdb' });
  node1 = await createApp(config(), createLogger('silent'));
  node2 = await createApp(config(), createLogger('silent'));
  world = await makeWorld(node1, { enis: 3, logstores: 2 });
}, 60_000);

afterAll(async () => {
  await node1?.close();
  await node2?.close();
  if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function flow(srcaddr: string, at: number): DecodedFlow {
  return {
    exporterAddress: '127.0.0.1',
    exporterPort: 50000,
    observationDomainId: 0,
    netflowVersion: 10,
    ipVersion: 4,
    srcaddr,
    dstaddr: '8.8.8.8',
    srcport: 40000,
    dstport: 443,
    protocol: 6,
    packets: 3,
    bytes: 300,
    startMs: at,
    endMs: at + 1,
    tcpFlags: 0x10,
    action: 'ACCEPT',
  };
}

/** [eni, window start (s), status] of every status record of the flow log on a node, sorted. */
async function statuses(store: Store, flowLogId: string): Promise<[string, number, string][]> {
  const rows = await store.records.query(
    "SELECT eni_id, start, log_status FROM log_records WHERE flow_log_id = ? AND log_status <> 'OK' ORDER BY start, eni_id",
    [flowLogId],
  );
  return rows.map((r) => [String(r['eni_id']), Number(r['start']), String(r['log_status'])]);
}

describe('status records (NODATA / SKIPDATA) on several nodes', () => {
  it('are written once, by the lease holder, from what every node saw; a successor continues after a crash', async () => {
    const { flowLogId } = await node1.services.flowLogs.create(
      { accountId: world.accountId, regionId: world.regionId },
      {
        resourceType: 'VSwitch',
        resourceId: world.vswitchId,
        trafficType: 'All',
        projectName: world.project,
        logstoreName: world.logstores[0]!,
        aggregationInterval: 1,
        trafficPath: [],
        tags: [],
      },
    );
    const [eni0, eni1, eni2] = world.eniIds as [string, string, string];
    // Node 1 leads through a store of its own, so its "crash" can cut just that connection.
    const crashable = await openStore({
      dataDir: '',
      inMemory: true,
      databaseUrl: url,
      recordStore: 'duckdb',
    });
    const lease1 = await new LeaderLease(crashable, 'status-records', {
      leaseMs: LEASE_MS,
      holder: 'node-1',
    }).start();
    const lease2 = await new LeaderLease(node2.store, 'status-records', {
      leaseMs: LEASE_MS,
      holder: 'node-2',
    }).start();
    try {
      expect(lease1.held()).toBe(true);
      expect(lease2.held()).toBe(false);
      let now = Date.now();
      const clock = (): number => now;
      const shared = (leadership: LeaderLease) => ({ leadership, settleMs: SETTLE });
      const p1 = new FlowPipeline({
        store: node1.store,
        flushGraceMs: GRACE,
        now: clock,
        shared: shared(lease1),
      });
      const p2 = new FlowPipeline({
        store: node2.store,
        flushGraceMs: GRACE,
        now: clock,
        shared: shared(lease2),
      });
      await p1.init();
      await p2.init();

      // Window W: ENI 0 talks to node 2's collector only, ENI 1 to node 1's; ENI 2 is idle.
      const w = windowStartOf(now, MINUTE);
      p2.ingest([flow('10.0.1.10', now)]);
      p1.ingest([flow('10.0.1.11', now)]);
      // Just before the holder may close W (end + grace + settle) nothing is written...
      now = w + MINUTE + GRACE + SETTLE - 1;
      await p2.tick();
      await p1.tick();
      expect(await statuses(node1.store, flowLogId)).toEqual([]);
      // ...then node 2 publishes (it is not the holder) and node 1 writes NODATA for ENI 2 only.
      now = w + MINUTE + GRACE + SETTLE;
      await p2.tick();
      await p1.tick();
      const ws = w / 1000;
      expect(await statuses(node1.store, flowLogId)).toEqual([[eni2, ws, 'NODATA']]);
      expect(await statuses(node2.store, flowLogId)).toEqual([]);
      // Each node still delivered its own traffic.
      const ok = async (store: Store): Promise<unknown[]> =>
        (
          await store.records.query(
            "SELECT eni_id FROM log_records WHERE flow_log_id = ? AND log_status = 'OK'",
            [flowLogId],
          )
        ).map((r) => r['eni_id']);
      expect(await ok(node1.store)).toEqual([eni1]);
      expect(await ok(node2.store)).toEqual([eni0]);

      // Node 2's collector drops flows in window W+2 (queue overflow: every ENI); W+1 was idle.
      now = w + 2 * MINUTE + 1_000;
      p2.noteDropped(5);
      now = w + 3 * MINUTE + GRACE + SETTLE;
      await p2.tick();
      await p1.tick();
      await p1.tick(); // a second pass adds nothing
      await p2.tick();
      const w1 = ws + 60;
      const w2 = ws + 120;
      expect(await statuses(node1.store, flowLogId)).toEqual([
        [eni2, ws, 'NODATA'],
        ...[eni0, eni1, eni2].sort().map((e) => [e, w1, 'NODATA']),
        ...[eni0, eni1, eni2].sort().map((e) => [e, w2, 'SKIPDATA']),
      ]);
      expect(await statuses(node2.store, flowLogId)).toEqual([]);

      // Node 1 dies: its connection is gone, it never gives the lease up. It stops counting itself the
      // holder within the lease time; node 2 takes over once the lease has expired.
      await crashable.db.close();
      await until('node 1 to stop leading', () => !lease1.held(), LEASE_MS + 1_000);
      await until('node 2 to take over', () => lease2.held(), 3 * LEASE_MS + 2_000);
      // Node 1, were it still running, would write nothing now.
      now = w + 4 * MINUTE + GRACE + SETTLE;
      await p1.tick();
      expect((await statuses(node1.store, flowLogId)).length).toBe(7);
      // Node 2 continues with W+3, where node 1 stopped, and repeats none of node 1's windows.
      await p2.tick();
      const w3 = ws + 180;
      expect(await statuses(node2.store, flowLogId)).toEqual(
        [eni0, eni1, eni2].sort().map((e) => [e, w3, 'NODATA']),
      );
    } finally {
      await lease2.stop();
      await lease1.stop();
      await crashable.close().catch(() => undefined);
    }
  });
});

describe('TTL sweep on several nodes', () => {
  it('runs on the lease holder only; after a clean stop the other node takes over at once', async () => {
    const old = Math.floor(Date.now() / 1000) - 40 * 86_400; // past the logstore's 30-day TTL
    const row: RecordRow = {
      region_id: world.regionId,
      project_name: world.project,
      logstore_name: world.logstores[1]!,
      flow_log_id: 'fl-ttl',
      time: old,
      topic: 'flow_log',
      source: '',
      version: 1,
      vswitch_id: world.vswitchId,
      vm_id: '',
      vpc_id: world.vpcId,
      account_id: world.accountId,
      eni_id: world.eniIds[0]!,
      region: world.regionId,
      srcaddr: '10.0.1.10',
      srcport: 1,
      dstaddr: '8.8.8.8',
      dstport: 2,
      protocol: 6,
      direction: 'out',
      packets: 1,
      bytes: 1,
      start: old,
      end: old + 60,
      log_status: 'OK',
      action: 'ACCEPT',
      tcp_flags: 0,
    };
    // Node-local record stores stand in for one shared store: each node can only sweep its own, so
    // which records are gone tells which node swept.
    await node1.store.records.append([row]);
    await node2.store.records.append([row]);
    const count = async (app: App): Promise<number> =>
      (await app.store.records.query("SELECT * FROM log_records WHERE flow_log_id = 'fl-ttl'", [])).length;
    const lease1 = await new LeaderLease(node1.store, 'ttl-sweep', {
      leaseMs: LEASE_MS,
      holder: 'node-1',
    }).start();
    const lease2 = await new LeaderLease(node2.store, 'ttl-sweep', {
      leaseMs: LEASE_MS,
      holder: 'node-2',
    }).start();
    const s1 = startTtlSweeper(node1.store, { intervalMs: 50, leadership: lease1 });
    const s2 = startTtlSweeper(node2.store, { intervalMs: 50, leadership: lease2 });
    try {
      await until('the holder to sweep', async () => (await count(node1)) === 0);
      // Many sweep turns later, the other node has still swept nothing.
      await new Promise((r) => setTimeout(r, 500));
      expect(await count(node2)).toBe(1);
      await s1.stop();
      await lease1.stop();
      await until('node 2 to take over and sweep', async () => (await count(node2)) === 0, LEASE_MS + 2_000);
    } finally {
      await s1.stop();
      await s2.stop();
      await lease1.stop();
      await lease2.stop();
    }
  });
});

describe('the lease between processes', () => {
  it('a `vpcflow serve --collector` that is killed -9 is replaced by another within the lease time', async () => {
    const args = ['--port', '0', '--in-memory', '--database-url', url, '--collector', '127.0.0.1:0'];
    const env = { VPCFLOW_SECRET_KEY: SECRET_KEY };
    const procs: ServerProcess[] = [];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    /** The pid in the live status-records lease's holder (`host:pid:id`), if any. */
    const holderPid = async (): Promise<number | undefined> => {
      const { rows } = await client.query<{ holder: string }>(
        `SELECT holder FROM background_leases WHERE name = 'status-records'
         AND expires_at >= (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT`,
      );
      return rows[0] ? Number(rows[0].holder.split(':')[1]) : undefined;
    };
    try {
      procs.push(await spawnServer([...args, '--leader-lease-ms', '1000'], env, 90_000));
      await until('the first node to lead', async () => (await holderPid()) === procs[0]!.proc.pid);
      procs.push(await spawnServer([...args, '--leader-lease-ms', '1000'], env, 90_000));
      // The second node waits while the first renews.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await holderPid()).toBe(procs[0]!.proc.pid);
      const leading = async (p: ServerProcess): Promise<string | undefined> =>
        /^vpcflow_pipeline_status_records_leader (\d)$/m.exec(
          await (await fetch(`${p.url}/_vpcflow/metrics`)).text(),
        )?.[1];
      expect(await leading(procs[0]!)).toBe('1');
      expect(await leading(procs[1]!)).toBe('0');
      procs[0]!.proc.kill('SIGKILL');
      await procs[0]!.exited;
      // Within the lease time plus one attempt (a third of it); the wait allows for a loaded machine.
      await until(
        'the second node to take over',
        async () => (await holderPid()) === procs[1]!.proc.pid,
        30_000,
      );
      expect(await leading(procs[1]!)).toBe('1');
      // A clean stop hands the lease over at once: nobody holds it afterwards.
      procs[1]!.proc.kill('SIGTERM');
      await procs[1]!.exited;
      expect(await holderPid()).toBeUndefined();
    } finally {
      for (const p of procs)
        if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
      await client.end();
    }
  }, 240_000);
});

describe('the record journal on several nodes', () => {
  it("a starting node settles only its own interrupted deliveries, never another node's batch in flight", async () => {
    const dir = tempDir();
    const a = journalOwner(node1.store, { dataDir: dir, inMemory: false });
    // Kept in the data directory: the node restarting on it is the same owner.
    expect(journalOwner(node1.store, { dataDir: dir, inMemory: false })).toBe(a);
    expect(a).toMatch(/^node:[0-9a-f-]{36}$/);
    const b = journalOwner(node2.store, { dataDir: tempDir(), inMemory: false });
    expect(b).not.toBe(a);
    const skipped: RecordRow = {
      region_id: world.regionId,
      project_name: world.project,
      logstore_name: world.logstores[1]!,
      flow_log_id: 'fl-journal',
      time: 1_700_000_000,
      topic: 'flow_log',
      source: '',
      version: 1,
      vswitch_id: world.vswitchId,
      vm_id: '',
      vpc_id: world.vpcId,
      account_id: world.accountId,
      eni_id: world.eniIds[1]!,
      region: world.regionId,
      srcaddr: '-',
      srcport: null,
      dstaddr: '-',
      dstport: null,
      protocol: null,
      direction: '-',
      packets: null,
      bytes: null,
      start: 1_700_000_000,
      end: 1_700_000_060,
      log_status: 'SKIPDATA',
      action: '-',
      tcp_flags: null,
    };
    // Node 2 has journaled a batch whose append has not committed yet (in flight, or node 2 crashed).
    await new RecordJournalRepo(node2.store.db, b).add('batch-of-node-2', [skipped], Date.now());
    const count = async (store: Store): Promise<number> =>
      (await store.records.query("SELECT * FROM log_records WHERE flow_log_id = 'fl-journal'", [])).length;
    // Node 1 starts: not its entry, whatever its own record store says about the batch.
    expect(await recoverInterruptedAppends(node1.store, undefined, a)).toBe(0);
    expect(await count(node1.store)).toBe(0);
    expect(await new RecordJournalRepo(node2.store.db, b).all()).toHaveLength(1);
    // Node 2 restarts after a crash: its batch never committed, so its SKIPDATA stands for it, once.
    expect(await recoverInterruptedAppends(node2.store, undefined, b)).toBe(1);
    expect(await count(node2.store)).toBe(1);
    expect(await recoverInterruptedAppends(node2.store, undefined, b)).toBe(0);
    expect((await count(node1.store)) + (await count(node2.store))).toBe(1);
  });
});
