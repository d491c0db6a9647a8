/**
 * A ready world for flow-log tests, written straight into the store the way a seed file would:
 * a VPC with a vSwitch and ENIs, and a log project with logstores. IDs are unique per call, so
 * tests in one server never collide.
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.js';
import { DEV_ACCOUNT_ID, defaultResourceGroupId } from '../../src/products/identity/identity-service.js';

export interface World {
  accountId: string;
  regionId: string;
  vpcId: string;
  vswitchId: string;
  eniIds: string[];
  project: string;
  logstores: string[];
}

const id = (prefix: string): string => `${prefix}-bp1${randomBytes(9).toString('hex')}`;

export async function makeWorld(
  app: App,
  opts: { accountId?: string; regionId?: string; enis?: number; logstores?: number } = {},
): Promise<World> {
  const accountId = opts.accountId ?? DEV_ACCOUNT_ID;
  const regionId = opts.regionId ?? 'cn-hangzhou';
  const rg = defaultResourceGroupId(accountId);
  const now = Date.now();
  const vpcId = id('vpc');
  const vswitchId = id('vsw');
  const db = app.store.db;
  await app.services.identity.ensureAccount(accountId);
  await db.run(
    `INSERT INTO vpcs (vpc_id, account_id, region_id, name, description, cidr_block, status, resource_group_id, is_default, created_at)
     VALUES (?, ?, ?, 'test-vpc', '', '10.0.0.0/16', 'Available', ?, 0, ?)`,
    [vpcId, accountId, regionId, rg, now],
  );
  await db.run(
    `INSERT INTO vswitches (vswitch_id, account_id, region_id, vpc_id, zone_id, cidr_block, name, description, status, resource_group_id, created_at)
     VALUES (?, ?, ?, ?, ?, '10.0.1.0/24', 'test-vsw', '', 'Available', ?, ?)`,
    [vswitchId, accountId, regionId, vpcId, `${regionId}-b`, rg, now],
  );
  const eniIds: string[] = [];
  for (let i = 0; i < (opts.enis ?? 2); i++) {
    const eni = id('eni');
    eniIds.push(eni);
    await db.run(
      `INSERT INTO network_interfaces (network_interface_id, account_id, region_id, vpc_id, vswitch_id, zone_id,
         security_group_ids, primary_ip, mac_address, name, description, status, type, instance_id, resource_group_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, '[]', ?, '00:16:3e:00:00:01', '', '', 'Available', 'Secondary', '', ?, ?)`,
      [eni, accountId, regionId, vpcId, vswitchId, `${regionId}-b`, `10.0.1.${10 + i}`, rg, now],
    );
  }
  const project = `proj-${randomBytes(4).toString('hex')}`;
  await app.store.repos.logs.insertProject({
    region_id: regionId,
    project_name: project,
    account_id: accountId,
    description: '',
    created_at: now,
    updated_at: now,
  });
  const logstores: string[] = [];
  for (let i = 0; i < (opts.logstores ?? 2); i++) {
    const name = `store-${i}`;
    logstores.push(name);
    await app.store.repos.logs.insertLogstore({
      region_id: regionId,
      project_name: project,
      logstore_name: name,
      ttl_days: 30,
      shard_count: 2,
      created_at: now,
      updated_at: now,
    });
  }
  return { accountId, regionId, vpcId, vswitchId, eniIds, project, logstores };
}

/** Adds an account with its own AccessKey; returns the credentials. */
export async function makeAccount(
  app: App,
  accountId: string,
  principalType: 'account' | 'ram-user' = 'account',
): Promise<{ accessKeyId: string; accessKeySecret: string }> {
  await app.services.identity.ensureAccount(accountId);
  const accessKeyId = `LTAI5t${randomBytes(9).toString('hex')}`;
  const accessKeySecret = randomBytes(15).toString('hex');
  await app.store.repos.identity.putAccessKey(
    {
      access_key_id: accessKeyId,
      account_id: accountId,
      secret: accessKeySecret,
      status: 'Active',
      principal_type: principalType,
    },
    Date.now(),
  );
  return { accessKeyId, accessKeySecret };
}
