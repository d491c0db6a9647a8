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

/** An ID of the real shape (`vpc-bp1...`), unique per call. */
export const testId = (prefix: string): string => `${prefix}-bp1${randomBytes(9).toString('hex')}`;

/** A VPC with one vSwitch, as stored rows. */
export interface NetworkRows {
  accountId: string;
  regionId: string;
  vpcId: string;
  vswitchId: string;
}

/** Writes a VPC with one vSwitch straight into the store, the way a seed file would. */
export async function insertNetwork(
  app: App,
  opts: { accountId?: string; regionId?: string; vpcCidr?: string; vswitchCidr?: string; name?: string } = {},
): Promise<NetworkRows> {
  const accountId = opts.accountId ?? DEV_ACCOUNT_ID;
  const regionId = opts.regionId ?? 'cn-hangzhou';
  const rg = defaultResourceGroupId(accountId);
  const now = Date.now();
  const net = { accountId, regionId, vpcId: testId('vpc'), vswitchId: testId('vsw') };
  await app.services.identity.ensureAccount(accountId);
  const network = app.store.repos.network;
  await network.insertVpc({
    vpc_id: net.vpcId,
    account_id: accountId,
    region_id: regionId,
    name: opts.name ?? '',
    description: '',
    cidr_block: opts.vpcCidr ?? '10.0.0.0/16',
    status: 'Available',
    resource_group_id: rg,
    is_default: 0,
    created_at: now,
  });
  await network.insertVswitch({
    vswitch_id: net.vswitchId,
    account_id: accountId,
    region_id: regionId,
    vpc_id: net.vpcId,
    zone_id: `${regionId}-b`,
    cidr_block: opts.vswitchCidr ?? '10.0.1.0/24',
    name: opts.name ?? '',
    description: '',
    status: 'Available',
    resource_group_id: rg,
    created_at: now,
  });
  return net;
}

/** Writes an ENI with primary IP `ip` into the network's vSwitch; returns its ID. */
export async function insertEni(
  app: App,
  net: NetworkRows,
  ip: string,
  opts: { instanceId?: string; status?: string } = {},
): Promise<string> {
  const eniId = testId('eni');
  // Through the repository, as the API stores it: no security groups is an empty list.
  await app.store.repos.network.insertNetworkInterface({
    network_interface_id: eniId,
    account_id: net.accountId,
    region_id: net.regionId,
    vpc_id: net.vpcId,
    vswitch_id: net.vswitchId,
    zone_id: `${net.regionId}-b`,
    security_group_ids: '',
    primary_ip: ip,
    mac_address: '00:16:3e:00:00:01',
    name: '',
    description: '',
    status: opts.status ?? 'InUse',
    type: 'Secondary',
    instance_id: opts.instanceId ?? '',
    resource_group_id: defaultResourceGroupId(net.accountId),
    created_at: Date.now(),
  });
  return eniId;
}

export async function makeWorld(
  app: App,
  opts: { accountId?: string; regionId?: string; enis?: number; logstores?: number } = {},
): Promise<World> {
  const net = await insertNetwork(app, { ...opts, name: 'test' });
  const { accountId, regionId, vpcId, vswitchId } = net;
  const now = Date.now();
  const eniIds: string[] = [];
  for (let i = 0; i < (opts.enis ?? 2); i++) {
    eniIds.push(await insertEni(app, net, `10.0.1.${10 + i}`, { status: 'Available' }));
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
