/**
 * VPCs and vSwitches (Vpc 2016-04-28) through the official SDK over a real socket: create, describe,
 * delete, paging, CIDR and zone rules, dependencies, and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultResourceGroupId, DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { popClient, sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { startTestServer, type TestServer } from './support/server.js';

const REGION = 'cn-hangzhou';
const ID_SHAPE = (prefix: string): RegExp => new RegExp(`^${prefix}-bp1[a-z0-9]{18}$`);

let server: TestServer;
let vpc: VpcClient;
beforeAll(async () => {
  server = await startTestServer();
  vpc = vpcClient(server.endpoint);
});
afterAll(async () => server.close());

async function createVpc(fields: Partial<VpcModels.CreateVpcRequest> = {}): Promise<string> {
  const res = await vpc.createVpc(new VpcModels.CreateVpcRequest({ regionId: REGION, ...fields }));
  return res.body?.vpcId ?? '';
}

async function createVswitch(vpcId: string, cidrBlock: string, zoneId = 'cn-hangzhou-b'): Promise<string> {
  const res = await vpc.createVSwitch(
    new VpcModels.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId, cidrBlock }),
  );
  return res.body?.vSwitchId ?? '';
}

async function insertFlowLog(resourceType: string, resourceId: string, vpcId: string): Promise<void> {
  await server.app.store.db.run(
    `INSERT INTO flow_logs (flow_log_id, account_id, region_id, name, description, resource_type, resource_id,
       vpc_id, traffic_type, project_name, logstore_name, status, pending_status, settles_at,
       aggregation_interval, traffic_path, ip_version, log_format, resource_group_id, business_status,
       service_type, created_at)
     VALUES (?, ?, ?, '', '', ?, ?, ?, 'All', 'p', 's', 'Inactive', NULL, NULL, 10, 'all', 'IPv4', '', ?, 'Normal', '', ?)`,
    [
      `fl-bp1${Math.random().toString(36).slice(2, 20).padEnd(18, '0')}`,
      DEV_ACCOUNT_ID,
      REGION,
      resourceType,
      resourceId,
      vpcId,
      defaultResourceGroupId(DEV_ACCOUNT_ID),
      Date.now(),
    ],
  );
}

describe('CreateVpc / DescribeVpcs / DeleteVpc', () => {
  it('creates a VPC with the real ID shapes and describes every field', async () => {
    const res = await vpc.createVpc(
      new VpcModels.CreateVpcRequest({
        regionId: REGION,
        cidrBlock: '10.1.0.0/16',
        vpcName: 'prod',
        description: 'production network',
      }),
    );
    const vpcId = res.body?.vpcId ?? '';
    expect(vpcId).toMatch(ID_SHAPE('vpc'));
    expect(res.body?.VRouterId).toMatch(ID_SHAPE('vrt'));
    expect(res.body?.routeTableId).toMatch(ID_SHAPE('vtb'));
    expect(res.body?.resourceGroupId).toBe(defaultResourceGroupId(DEV_ACCOUNT_ID));

    const vswitchId = await createVswitch(vpcId, '10.1.1.0/24');
    await server.app.store.repos.tags.put(
      { accountId: DEV_ACCOUNT_ID, regionId: REGION },
      'VPC',
      vpcId,
      'env',
      'prod',
    );
    const described = await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcId }));
    expect(described.body?.totalCount).toBe(1);
    const item = described.body?.vpcs?.vpc?.[0];
    expect(item).toMatchObject({
      vpcId,
      regionId: REGION,
      status: 'Available',
      vpcName: 'prod',
      description: 'production network',
      cidrBlock: '10.1.0.0/16',
      isDefault: false,
      VRouterId: res.body?.VRouterId,
      resourceGroupId: defaultResourceGroupId(DEV_ACCOUNT_ID),
      ownerId: Number(DEV_ACCOUNT_ID),
    });
    expect(item?.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(item?.vSwitchIds?.vSwitchId).toEqual([vswitchId]);
    expect(item?.routerTableIds?.routerTableIds).toEqual([res.body?.routeTableId]);
    expect(item?.tags?.tag).toEqual([expect.objectContaining({ key: 'env', value: 'prod' })]);
  });

  it('defaults the CIDR block to 172.16.0.0/12 and accepts a declared resource group', async () => {
    await server.app.store.repos.identity.putResourceGroup({
      account_id: DEV_ACCOUNT_ID,
      resource_group_id: 'rg-acfmtestgroup00001',
      name: 'test',
      display_name: 'test',
      is_default: 0,
      created_at: Date.now(),
    });
    const res = await vpc.createVpc(
      new VpcModels.CreateVpcRequest({ regionId: REGION, resourceGroupId: 'rg-acfmtestgroup00001' }),
    );
    expect(res.body?.resourceGroupId).toBe('rg-acfmtestgroup00001');
    const described = await vpc.describeVpcs(
      new VpcModels.DescribeVpcsRequest({ regionId: REGION, resourceGroupId: 'rg-acfmtestgroup00001' }),
    );
    expect(described.body?.vpcs?.vpc?.map((v) => [v.vpcId, v.cidrBlock])).toEqual([
      [res.body?.vpcId, '172.16.0.0/12'],
    ]);
  });

  it('refuses CIDR blocks that are not private, misaligned, or out of the mask range', async () => {
    for (const cidrBlock of [
      '8.8.0.0/16',
      '10.0.0.1/16',
      '10.0.0.0/29',
      '172.0.0.0/8',
      'nonsense',
      '192.168.0.0/15',
    ]) {
      const err = await sdkError(() => createVpc({ cidrBlock }));
      expect([cidrBlock, err.code, err.statusCode]).toEqual([cidrBlock, 'InvalidParameter', 400]);
      expect(err.message).toContain('Specified CIDR block is not valid');
    }
    // Subnets of the private blocks, mask 8 to 28.
    for (const cidrBlock of ['10.0.0.0/8', '192.168.10.0/24', '172.31.255.240/28']) {
      expect(await createVpc({ cidrBlock })).toMatch(ID_SHAPE('vpc'));
    }
  });

  it('refuses bad names and descriptions, and an unknown resource group', async () => {
    expect((await sdkError(() => createVpc({ vpcName: 'http://x' }))).code).toBe('InvalidVpcName.Malformed');
    expect((await sdkError(() => createVpc({ description: 'x'.repeat(257) }))).code).toBe(
      'InvalidVpcDiscription.Malformed',
    );
    const err = await sdkError(() => createVpc({ resourceGroupId: 'rg-acfmnosuchgroup0001' }));
    expect([err.code, err.statusCode]).toEqual(['InvalidResourceGroup.NotFound', 404]);
  });

  it('filters by comma-separated IDs, name and tag, and pages newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await createVpc({ vpcName: 'paged', cidrBlock: `192.168.${i}.0/24` }));
    const byIds = await vpc.describeVpcs(
      new VpcModels.DescribeVpcsRequest({
        regionId: REGION,
        vpcId: `${ids[0]},${ids[3]}, vpc-bp1nosuchvpc000000000`,
      }),
    );
    expect(byIds.body?.vpcs?.vpc?.map((v) => v.vpcId).sort()).toEqual([ids[0], ids[3]].sort());

    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await vpc.describeVpcs(
        new VpcModels.DescribeVpcsRequest({
          regionId: REGION,
          vpcName: 'paged',
          pageNumber: page,
          pageSize: 2,
        }),
      );
      expect(res.body?.totalCount).toBe(5);
      expect(res.body?.pageNumber).toBe(page);
      expect(res.body?.pageSize).toBe(2);
      seen.push(...(res.body?.vpcs?.vpc ?? []).map((v) => v.vpcId ?? ''));
    }
    expect(seen).toEqual([...ids].reverse());

    await server.app.store.repos.tags.put(
      { accountId: DEV_ACCOUNT_ID, regionId: REGION },
      'VPC',
      ids[2] ?? '',
      'team',
      'b',
    );
    const byTag = await vpc.describeVpcs(
      new VpcModels.DescribeVpcsRequest({
        regionId: REGION,
        tag: [new VpcModels.DescribeVpcsRequestTag({ key: 'team', value: 'b' })],
      }),
    );
    expect(byTag.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual([ids[2]]);

    const empty = await vpc.describeVpcs(
      new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcName: 'no-such-name' }),
    );
    expect(empty.body?.totalCount).toBe(0);
    expect(empty.body?.vpcs?.vpc).toEqual([]);

    const tooBig = await sdkError(() =>
      vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, pageSize: 51 })),
    );
    expect(tooBig.code).toBe('InvalidParameter');
  });

  it('deletes a VPC, then it is gone; unknown IDs get InvalidVpcId.NotFound', async () => {
    const vpcId = await createVpc({ cidrBlock: '10.9.0.0/16' });
    await server.app.store.repos.tags.put(
      { accountId: DEV_ACCOUNT_ID, regionId: REGION },
      'VPC',
      vpcId,
      'k',
      'v',
    );
    await vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId }));
    expect(await server.app.store.repos.tags.count(vpcId)).toBe(0);
    const res = await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcId }));
    expect(res.body?.vpcs?.vpc).toEqual([]);
    const again = await sdkError(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId })),
    );
    expect([again.code, again.statusCode]).toEqual(['InvalidVpcId.NotFound', 404]);
    expect(again.data?.['HostId']).toBe('vpc.aliyuncs.com');
  });

  it('refuses to delete a VPC with vSwitches or watched by a flow log, and deletes nothing', async () => {
    const vpcId = await createVpc({ cidrBlock: '10.10.0.0/16' });
    const vswitchId = await createVswitch(vpcId, '10.10.1.0/24');
    const withVswitch = await sdkError(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId })),
    );
    expect([withVswitch.code, withVswitch.statusCode]).toEqual(['DependencyViolation.VSwitch', 400]);
    expect((await server.app.store.repos.network.getVpc(DEV_ACCOUNT_ID, REGION, vpcId))?.vpc_id).toBe(vpcId);

    await vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId }));
    await insertFlowLog('VPC', vpcId, vpcId);
    const watched = await sdkError(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId })),
    );
    expect([watched.code, watched.statusCode]).toEqual(['DependencyViolation.FlowLog', 400]);
    await server.app.store.db.run('DELETE FROM flow_logs WHERE resource_id = ?', [vpcId]);
    await vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId }));
  });
});

describe('CreateVSwitch / DescribeVSwitches / DeleteVSwitch', () => {
  let vpcId: string;
  beforeAll(async () => {
    vpcId = await createVpc({ cidrBlock: '10.20.0.0/16', vpcName: 'switches' });
  });

  it('creates a vSwitch and describes it with AvailableIpAddressCount', async () => {
    const res = await vpc.createVSwitch(
      new VpcModels.CreateVSwitchRequest({
        regionId: REGION,
        vpcId,
        zoneId: 'cn-hangzhou-k',
        cidrBlock: '10.20.1.0/24',
        vSwitchName: 'web',
        description: 'web tier',
      }),
    );
    const vswitchId = res.body?.vSwitchId ?? '';
    expect(vswitchId).toMatch(ID_SHAPE('vsw'));
    const described = await vpc.describeVSwitches(
      new VpcModels.DescribeVSwitchesRequest({ regionId: REGION, vSwitchId: vswitchId }),
    );
    expect(described.body?.totalCount).toBe(1);
    expect(described.body?.vSwitches?.vSwitch?.[0]).toMatchObject({
      vSwitchId: vswitchId,
      vpcId,
      status: 'Available',
      cidrBlock: '10.20.1.0/24',
      zoneId: 'cn-hangzhou-k',
      // 256 addresses minus the first and the last three.
      availableIpAddressCount: 252,
      vSwitchName: 'web',
      description: 'web tier',
      isDefault: false,
      resourceGroupId: defaultResourceGroupId(DEV_ACCOUNT_ID),
    });
  });

  it('refuses a zone outside the region with InvalidZoneId.NotFound', async () => {
    for (const zoneId of ['cn-hangzhou-a', 'cn-shanghai-b', 'nowhere']) {
      const err = await sdkError(() => createVswitch(vpcId, '10.20.2.0/24', zoneId));
      expect([zoneId, err.code, err.statusCode]).toEqual([zoneId, 'InvalidZoneId.NotFound', 404]);
    }
  });

  it('refuses CIDR blocks outside the VPC, overlapping, malformed or of a bad mask', async () => {
    await createVswitch(vpcId, '10.20.8.0/22');
    const outside = await sdkError(() => createVswitch(vpcId, '10.21.0.0/24'));
    expect([outside.code, outside.statusCode]).toEqual(['InvalidParameter', 400]);
    expect(outside.message).toContain('Specified CIDR block is not valid in VPC.');
    for (const cidr of ['10.20.9.0/24', '10.20.8.0/21', '10.20.11.128/25']) {
      const err = await sdkError(() => createVswitch(vpcId, cidr));
      expect([cidr, err.code]).toEqual([cidr, 'InvalidCidrBlock.Overlapped']);
    }
    expect((await sdkError(() => createVswitch(vpcId, '10.20.3.1/24'))).code).toBe(
      'InvalidCidrBlock.Malformed',
    );
    expect((await sdkError(() => createVswitch(vpcId, '10.20.0.0/15'))).code).toBe(
      'InvalidCirdrBlock.MaskLength',
    );
    expect((await sdkError(() => createVswitch(vpcId, '10.20.3.0/30'))).code).toBe(
      'InvalidCirdrBlock.MaskLength',
    );
    // A /29 is the smallest allowed; the adjacent block is free.
    expect(await createVswitch(vpcId, '10.20.12.0/29')).toMatch(ID_SHAPE('vsw'));
    const missing = await sdkError(() => createVswitch('vpc-bp1nosuchvpc000000000', '10.20.4.0/24'));
    expect([missing.code, missing.statusCode]).toEqual(['InvalidVpcId.NotFound', 404]);
  });

  it('filters by VPC and zone and pages', async () => {
    const other = await createVpc({ cidrBlock: '10.30.0.0/16' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(await createVswitch(other, `10.30.${i}.0/24`, i === 1 ? 'cn-hangzhou-c' : 'cn-hangzhou-b'));
    const all = await vpc.describeVSwitches(
      new VpcModels.DescribeVSwitchesRequest({ regionId: REGION, vpcId: other, pageSize: 2 }),
    );
    expect(all.body?.totalCount).toBe(3);
    expect(all.body?.vSwitches?.vSwitch?.map((v) => v.vSwitchId)).toEqual([ids[2], ids[1]]);
    const page2 = await vpc.describeVSwitches(
      new VpcModels.DescribeVSwitchesRequest({ regionId: REGION, vpcId: other, pageSize: 2, pageNumber: 2 }),
    );
    expect(page2.body?.vSwitches?.vSwitch?.map((v) => v.vSwitchId)).toEqual([ids[0]]);
    const zoneC = await vpc.describeVSwitches(
      new VpcModels.DescribeVSwitchesRequest({ regionId: REGION, vpcId: other, zoneId: 'cn-hangzhou-c' }),
    );
    expect(zoneC.body?.vSwitches?.vSwitch?.map((v) => v.vSwitchId)).toEqual([ids[1]]);
  });

  it('deletes a vSwitch unless a flow log watches it; unknown IDs get InvalidVSwitchId.NotFound', async () => {
    const vswitchId = await createVswitch(vpcId, '10.20.20.0/24');
    await insertFlowLog('VSwitch', vswitchId, vpcId);
    const watched = await sdkError(() =>
      vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId })),
    );
    expect(watched.code).toBe('DependencyViolation.FlowLog');
    await server.app.store.db.run('DELETE FROM flow_logs WHERE resource_id = ?', [vswitchId]);
    await vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId }));
    const gone = await sdkError(() =>
      vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId })),
    );
    expect([gone.code, gone.statusCode]).toEqual(['InvalidVSwitchId.NotFound', 404]);
  });
});

describe('tenant isolation', () => {
  it("another account's or another region's resources do not exist", async () => {
    const other = '2234567890123456';
    await server.app.services.identity.ensureAccount(other);
    await server.app.store.repos.identity.putAccessKey(
      {
        access_key_id: 'LTAI5tOtherVpcAccount01',
        account_id: other,
        secret: 'other-secret-0001',
        status: 'Active',
        principal_type: 'account',
      },
      Date.now(),
    );
    const theirs = vpcClient(server.endpoint, {
      accessKeyId: 'LTAI5tOtherVpcAccount01',
      accessKeySecret: 'other-secret-0001',
    });
    const vpcId = await createVpc({ cidrBlock: '10.40.0.0/16' });
    const vswitchId = await createVswitch(vpcId, '10.40.1.0/24');

    const listed = await theirs.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcId }));
    expect(listed.body?.totalCount).toBe(0);
    expect(
      (await sdkError(() => theirs.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId }))))
        .code,
    ).toBe('InvalidVpcId.NotFound');
    expect(
      (
        await sdkError(() =>
          theirs.createVSwitch(
            new VpcModels.CreateVSwitchRequest({
              regionId: REGION,
              vpcId,
              zoneId: 'cn-hangzhou-b',
              cidrBlock: '10.40.2.0/24',
            }),
          ),
        )
      ).code,
    ).toBe('InvalidVpcId.NotFound');
    expect(
      (
        await sdkError(() =>
          theirs.deleteVSwitch(
            new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId }),
          ),
        )
      ).code,
    ).toBe('InvalidVSwitchId.NotFound');
    // Same account, other region.
    const shanghai = await vpc.describeVpcs(
      new VpcModels.DescribeVpcsRequest({ regionId: 'cn-shanghai', vpcId }),
    );
    expect(shanghai.body?.totalCount).toBe(0);
    expect(
      (
        await sdkError(() =>
          vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: 'cn-shanghai', vpcId })),
        )
      ).code,
    ).toBe('InvalidVpcId.NotFound');
  });

  it('works through pop-core (v1 signing) too', async () => {
    type Reply = { VpcId: string };
    const created = await popClient(server.url).request<Reply>(
      'CreateVpc',
      { RegionId: 'cn-beijing', CidrBlock: '192.168.0.0/16' },
      { method: 'POST' },
    );
    expect(created.VpcId).toMatch(/^vpc-2ze[a-z0-9]{18}$/);
  });
});
