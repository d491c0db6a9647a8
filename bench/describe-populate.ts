/**
 * Writes N flow logs straight into a vpcflow store (SQLite, or PostgreSQL for the multi-node rows), spread over several accounts, regions,
 * VPCs (each with vSwitches and ENIs) and tags, with the AccessKeys the load generator signs with.
 */
import { randomBytes } from 'node:crypto';
import { openStore, reposOver } from '../src/store/store.js';
import { FLOW_LOG_COLUMNS } from '../src/store/repos/flow-log-repo.js';
import { placeholders, type SqlExecutor } from '../src/store/sql-db.js';
import { defaultResourceGroupId } from '../src/products/identity/identity-service.js';
import { IdentityService } from '../src/products/identity/identity-service.js';
import { newFlowLogId } from '../src/products/vpc/flow-logs/flow-log-service.js';

export const ACCOUNTS = ['1000000000000001', '1000000000000002', '1000000000000003', '1000000000000004'];
export const REGIONS = ['cn-hangzhou', 'cn-beijing', 'cn-shanghai'];
export const VPCS_PER_SCOPE = 5;
export const ENIS_PER_VPC = 20;
/** Carried by every flow log: the tag whose cold pages bench:describe measures. */
export const SHARED_TAG = { Key: 'fleet', Value: 'all' };

const TAG_COLUMNS = [
  'resource_id',
  'tag_key',
  'tag_value',
  'account_id',
  'region_id',
  'resource_type',
  'resource_created_at',
];

export interface Population {
  accounts: { accountId: string; accessKeyId: string; secret: string }[];
  /** Per account and region: VPC IDs, ENI IDs, some flow-log IDs. */
  scopes: { accountId: string; regionId: string; vpcIds: string[]; eniIds: string[]; flowLogIds: string[] }[];
}

const rid = (prefix: string): string => `${prefix}-bp1${randomBytes(9).toString('hex')}`;

/** Into the SQLite store of `dataDir`, or into the PostgreSQL database `databaseUrl` when given. */
export async function populate(dataDir: string, total: number, databaseUrl?: string): Promise<Population> {
  const store = await openStore({ dataDir, inMemory: databaseUrl !== undefined, databaseUrl });
  const identity = new IdentityService(store);
  const population: Population = { accounts: [], scopes: [] };
  const now = Date.now();
  for (const accountId of ACCOUNTS) {
    const accessKeyId = `LTAI5tBench${accountId.slice(-4)}`;
    const secret = `bench-secret-${accountId}`;
    await identity.ensureAccount(accountId);
    await store.repos.identity.putAccessKey(
      {
        access_key_id: accessKeyId,
        account_id: accountId,
        secret,
        status: 'Active',
        principal_type: 'account',
      },
      Date.now(),
    );
    population.accounts.push({ accountId, accessKeyId, secret });
  }
  const perScope = Math.ceil(total / (ACCOUNTS.length * REGIONS.length));
  let created = 0;
  await store.db.transaction(async (tx) => {
    const repos = { ...reposOver(tx), sql: tx };
    for (const accountId of ACCOUNTS) {
      const rg = defaultResourceGroupId(accountId);
      for (const regionId of REGIONS) {
        const scope = {
          accountId,
          regionId,
          vpcIds: [] as string[],
          eniIds: [] as string[],
          flowLogIds: [] as string[],
        };
        const project = `bench-${accountId.slice(-4)}`;
        await repos.logs.insertProject({
          region_id: regionId,
          project_name: project,
          account_id: accountId,
          description: '',
          created_at: now,
          updated_at: now,
        });
        for (const store of ['store-a', 'store-b', 'store-c']) {
          await repos.logs.insertLogstore({
            region_id: regionId,
            project_name: project,
            logstore_name: store,
            ttl_days: 30,
            shard_count: 2,
            created_at: now,
            updated_at: now,
          });
        }
        const targets: { type: 'VPC' | 'VSwitch' | 'NetworkInterface'; id: string; vpcId: string }[] = [];
        for (let v = 0; v < VPCS_PER_SCOPE; v++) {
          const vpcId = rid('vpc');
          const vswId = rid('vsw');
          scope.vpcIds.push(vpcId);
          await insertNetwork(repos, { accountId, regionId, vpcId, vswId, rg, now, v });
          targets.push({ type: 'VPC', id: vpcId, vpcId }, { type: 'VSwitch', id: vswId, vpcId });
          for (let e = 0; e < ENIS_PER_VPC; e++) {
            const eniId = rid('eni');
            scope.eniIds.push(eniId);
            await insertEni(repos, {
              accountId,
              regionId,
              vpcId,
              vswId,
              eniId,
              rg,
              now,
              ip: `10.${v}.1.${10 + e}`,
            });
            targets.push({ type: 'NetworkInterface', id: eniId, vpcId });
          }
        }
        const flowLogs: unknown[][] = [];
        const tags: unknown[][] = [];
        for (let i = 0; i < perScope && created < total; i++, created++) {
          const target = targets[i % targets.length]!;
          const id = newFlowLogId(regionId);
          const createdAt = now - i * 1000;
          if (i % 50 === 0) scope.flowLogIds.push(id);
          flowLogs.push([
            id,
            accountId,
            regionId,
            `flowlog-${i % 100}`,
            i % 3 === 0 ? 'tier web' : 'tier db',
            target.type,
            target.id,
            target.vpcId,
            ['All', 'Allow', 'Drop'][i % 3]!,
            project,
            ['store-a', 'store-b', 'store-c'][Math.floor(i / targets.length) % 3]!,
            i % 10 === 0 ? 'Inactive' : 'Active',
            null,
            null,
            [1, 5, 10][i % 3]!,
            '["all"]',
            'IPv4',
            '',
            rg,
            'Normal',
            '',
            createdAt,
          ]);
          const tag = (key: string, value: string): number =>
            tags.push([id, key, value, accountId, regionId, 'FLOWLOG', createdAt]);
          tag(SHARED_TAG.Key, SHARED_TAG.Value);
          if (i % 4 === 0) tag('team', `t${i % 8}`);
          if (i % 7 === 0) tag('env', i % 2 ? 'prod' : 'dev');
        }
        await bulkInsert(tx, 'flow_logs', FLOW_LOG_COLUMNS, flowLogs);
        await bulkInsert(tx, 'tags', TAG_COLUMNS, tags);
        population.scopes.push(scope);
      }
    }
  });
  // PostgreSQL: planner statistics for the bulk-loaded tables before the first request, and the
  // visibility map, without which no index-only scan skips the table until autovacuum comes by.
  // SQLite stays without statistics, as vpcflow never runs ANALYZE on it.
  if (databaseUrl !== undefined) await store.db.run('VACUUM ANALYZE');
  await store.close();
  return population;
}

/** Many rows per INSERT statement: a million flow logs load in seconds, not one round trip each. */
async function bulkInsert(
  db: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  const perStatement = Math.floor(20_000 / columns.length);
  const row = `(${placeholders(columns.length)})`;
  for (let at = 0; at < rows.length; at += perStatement) {
    const chunk = rows.slice(at, at + perStatement);
    await db.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`,
      chunk.flat(),
    );
  }
}

type TxRepos = ReturnType<typeof reposOver> & { sql: SqlExecutor };

async function insertNetwork(
  repos: TxRepos,
  x: {
    accountId: string;
    regionId: string;
    vpcId: string;
    vswId: string;
    rg: string;
    now: number;
    v: number;
  },
): Promise<void> {
  const db = repos.sql;
  await db.run(
    `INSERT INTO vpcs (vpc_id, account_id, region_id, name, description, cidr_block, status, resource_group_id, is_default, created_at)
     VALUES (?, ?, ?, ?, '', ?, 'Available', ?, 0, ?)`,
    [x.vpcId, x.accountId, x.regionId, `vpc-${x.v}`, `10.${x.v}.0.0/16`, x.rg, x.now],
  );
  await db.run(
    `INSERT INTO vswitches (vswitch_id, account_id, region_id, vpc_id, zone_id, cidr_block, name, description, status, resource_group_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, '', '', 'Available', ?, ?)`,
    [x.vswId, x.accountId, x.regionId, x.vpcId, `${x.regionId}-b`, `10.${x.v}.1.0/24`, x.rg, x.now],
  );
}

async function insertEni(
  repos: TxRepos,
  x: {
    accountId: string;
    regionId: string;
    vpcId: string;
    vswId: string;
    eniId: string;
    rg: string;
    now: number;
    ip: string;
  },
): Promise<void> {
  const db = repos.sql;
  await db.run(
    `INSERT INTO network_interfaces (network_interface_id, account_id, region_id, vpc_id, vswitch_id, zone_id,
       security_group_ids, primary_ip, mac_address, name, description, status, type, instance_id, resource_group_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, '[]', ?, '00:16:3e:00:00:01', '', '', 'Available', 'Secondary', '', ?, ?)`,
    [x.eniId, x.accountId, x.regionId, x.vpcId, x.vswId, `${x.regionId}-b`, x.ip, x.rg, x.now],
  );
}
