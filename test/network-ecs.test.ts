/**
 * Security groups and ENIs (Ecs 2014-05-26) through the official SDK over a real socket: create,
 * describe (both paging styles), delete, address allocation and conflicts, dependencies, isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultResourceGroupId, DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { ecsClient, EcsModels, type EcsClient } from './support/ecs-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const REGION = 'cn-hangzhou';

let server: TestServer;
let vpc: VpcClient;
let ecs: EcsClient;
let vpcId: string;
let vswitchId: string;
let groupId: string;

beforeAll(async () => {
  server = await startTestServer();
  vpc = vpcClient(server.endpoint);
  ecs = ecsClient(server.endpoint);
  vpcId = await newVpc('10.0.0.0/16');
  vswitchId = await newVswitch(vpcId, '10.0.1.0/24');
  groupId = await newGroup(vpcId, 'web');
});
afterAll(async () => server.close());

async function newVpc(cidrBlock: string): Promise<string> {
  const res = await vpc.createVpc(new VpcModels.CreateVpcRequest({ regionId: REGION, cidrBlock }));
  return res.body?.vpcId ?? '';
}

async function newVswitch(inVpc: string, cidrBlock: string): Promise<string> {
  const res = await vpc.createVSwitch(
    new VpcModels.CreateVSwitchRequest({
      regionId: REGION,
      vpcId: inVpc,
      zoneId: 'cn-hangzhou-h',
      cidrBlock,
    }),
  );
  return res.body?.vSwitchId ?? '';
}

async function newGroup(inVpc: string, name?: string): Promise<string> {
  const res = await ecs.createSecurityGroup(
    new EcsModels.CreateSecurityGroupRequest({ regionId: REGION, vpcId: inVpc, securityGroupName: name }),
  );
  return res.body?.securityGroupId ?? '';
}

async function newEni(
  fields: Partial<EcsModels.CreateNetworkInterfaceRequest>,
): Promise<EcsModels.CreateNetworkInterfaceResponseBody> {
  const res = await ecs.createNetworkInterface(
    new EcsModels.CreateNetworkInterfaceRequest({
      regionId: REGION,
      vSwitchId: vswitchId,
      securityGroupId: groupId,
      ...fields,
    }),
  );
  return res.body as EcsModels.CreateNetworkInterfaceResponseBody;
}

describe('security groups', () => {
  it('creates, describes and deletes a security group', async () => {
    const res = await ecs.createSecurityGroup(
      new EcsModels.CreateSecurityGroupRequest({
        regionId: REGION,
        vpcId,
        securityGroupName: 'db',
        description: 'database tier',
      }),
    );
    const id = res.body?.securityGroupId ?? '';
    expect(id).toMatch(/^sg-bp1[a-z0-9]{18}$/);
    const described = await ecs.describeSecurityGroups(
      new EcsModels.DescribeSecurityGroupsRequest({ regionId: REGION, securityGroupId: id }),
    );
    expect(described.body?.totalCount).toBe(1);
    expect(described.body?.regionId).toBe(REGION);
    expect(described.body?.securityGroups?.securityGroup?.[0]).toMatchObject({
      securityGroupId: id,
      securityGroupName: 'db',
      description: 'database tier',
      vpcId,
      securityGroupType: 'normal',
      resourceGroupId: defaultResourceGroupId(DEV_ACCOUNT_ID),
      ecsCount: 0,
    });
    await ecs.deleteSecurityGroup(
      new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: id }),
    );
    const gone = await sdkError(() =>
      ecs.deleteSecurityGroup(
        new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: id }),
      ),
    );
    expect([gone.code, gone.statusCode]).toEqual(['InvalidSecurityGroup.NotFound', 404]);
    expect(gone.data?.['HostId']).toBe('ecs.aliyuncs.com');
  });

  it('requires an existing VPC and valid names', async () => {
    const missing = await sdkError(() =>
      ecs.createSecurityGroup(new EcsModels.CreateSecurityGroupRequest({ regionId: REGION })),
    );
    expect([missing.code, missing.statusCode]).toEqual(['MissingVpcId', 400]);
    const unknown = await sdkError(() => newGroup('vpc-bp1nosuchvpc000000000'));
    expect([unknown.code, unknown.statusCode]).toEqual(['InvalidVpcId.NotFound', 404]);
    expect((await sdkError(() => newGroup(vpcId, '1starts-with-digit'))).code).toBe(
      'InvalidSecurityGroupName.Malformed',
    );
    expect(
      (
        await sdkError(() =>
          ecs.createSecurityGroup(
            new EcsModels.CreateSecurityGroupRequest({ regionId: REGION, vpcId, description: 'https://x' }),
          ),
        )
      ).code,
    ).toBe('InvalidDescription.Malformed');
  });

  it('pages with PageNumber/PageSize and with MaxResults/NextToken', async () => {
    const pagedVpc = await newVpc('10.50.0.0/16');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newGroup(pagedVpc, `g${i}`));
    const newestFirst = [...ids].reverse();

    const page2 = await ecs.describeSecurityGroups(
      new EcsModels.DescribeSecurityGroupsRequest({
        regionId: REGION,
        vpcId: pagedVpc,
        pageNumber: 2,
        pageSize: 2,
      }),
    );
    expect(page2.body?.totalCount).toBe(5);
    expect(page2.body?.securityGroups?.securityGroup?.map((g) => g.securityGroupId)).toEqual(
      newestFirst.slice(2, 4),
    );

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await ecs.describeSecurityGroups(
        new EcsModels.DescribeSecurityGroupsRequest({
          regionId: REGION,
          vpcId: pagedVpc,
          maxResults: 2,
          nextToken: token,
        }),
      );
      expect(res.body?.totalCount).toBeUndefined();
      seen.push(...(res.body?.securityGroups?.securityGroup ?? []).map((g) => g.securityGroupId ?? ''));
      token = res.body?.nextToken || undefined;
    } while (token);
    expect(seen).toEqual(newestFirst);

    const byIds = await ecs.describeSecurityGroups(
      new EcsModels.DescribeSecurityGroupsRequest({
        regionId: REGION,
        securityGroupIds: JSON.stringify([ids[1], ids[4]]),
      }),
    );
    expect(byIds.body?.securityGroups?.securityGroup?.map((g) => g.securityGroupId)).toEqual([
      ids[4],
      ids[1],
    ]);
    const badToken = await sdkError(() =>
      ecs.describeSecurityGroups(
        new EcsModels.DescribeSecurityGroupsRequest({ regionId: REGION, nextToken: 'garbage' }),
      ),
    );
    expect(badToken.code).toBe('InvalidParameter');
  });
});

describe('network interfaces', () => {
  it('creates an ENI with the lowest free address and describes it', async () => {
    const body = await newEni({ networkInterfaceName: 'first', description: 'the first one' });
    expect(body.networkInterfaceId).toMatch(/^eni-bp1[a-z0-9]{18}$/);
    expect(body.privateIpAddress).toBe('10.0.1.1');
    expect(body.macAddress).toMatch(/^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(body).toMatchObject({
      status: 'Available',
      type: 'Secondary',
      vpcId,
      vSwitchId: vswitchId,
      zoneId: 'cn-hangzhou-h',
      networkInterfaceName: 'first',
      ownerId: DEV_ACCOUNT_ID,
    });
    expect(body.securityGroupIds?.securityGroupId).toEqual([groupId]);
    expect(body.privateIpSets?.privateIpSet).toEqual([
      expect.objectContaining({ privateIpAddress: '10.0.1.1', primary: true }),
    ]);

    const described = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({
        regionId: REGION,
        networkInterfaceId: [body.networkInterfaceId ?? ''],
      }),
    );
    expect(described.body?.totalCount).toBe(1);
    expect(described.body?.networkInterfaceSets?.networkInterfaceSet?.[0]).toMatchObject({
      networkInterfaceId: body.networkInterfaceId,
      privateIpAddress: '10.0.1.1',
      macAddress: body.macAddress,
      description: 'the first one',
      resourceGroupId: defaultResourceGroupId(DEV_ACCOUNT_ID),
    });
    // The group now holds an ENI.
    const group = await ecs.describeSecurityGroups(
      new EcsModels.DescribeSecurityGroupsRequest({ regionId: REGION, securityGroupId: groupId }),
    );
    expect(group.body?.securityGroups?.securityGroup?.[0]?.ecsCount).toBeGreaterThan(0);
  });

  it('takes a given address inside the usable range, refuses reserved, outside and used ones', async () => {
    const body = await newEni({ primaryIpAddress: '10.0.1.100' });
    expect(body.privateIpAddress).toBe('10.0.1.100');
    const dup = await sdkError(() => newEni({ primaryIpAddress: '10.0.1.100' }));
    expect([dup.code, dup.statusCode]).toEqual(['InvalidPrivateIpAddress.Duplicated', 400]);
    // First address and last three of 10.0.1.0/24 are reserved; 10.0.2.5 is outside; and a malformed one.
    for (const ip of ['10.0.1.0', '10.0.1.253', '10.0.1.254', '10.0.1.255', '10.0.2.5', '10.0.1.300', 'x']) {
      const err = await sdkError(() => newEni({ primaryIpAddress: ip }));
      expect([ip, err.code, err.statusCode]).toEqual([ip, 'InvalidVSwitchId.IpInvalid', 403]);
    }
    expect((await newEni({ primaryIpAddress: '10.0.1.252' })).privateIpAddress).toBe('10.0.1.252');
    // Allocation skips used addresses.
    const next = await newEni({});
    expect(next.privateIpAddress).toBe('10.0.1.2');
  });

  it('runs out of addresses in a small vSwitch', async () => {
    const tiny = await newVswitch(vpcId, '10.0.9.0/29');
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await newEni({ vSwitchId: tiny })).privateIpAddress ?? '');
    expect(got).toEqual(['10.0.9.1', '10.0.9.2', '10.0.9.3', '10.0.9.4']);
    const full = await sdkError(() => newEni({ vSwitchId: tiny }));
    expect([full.code, full.statusCode]).toEqual(['InvalidVSwitchId.IpNotEnough', 403]);
    const described = await vpc.describeVSwitches(
      new VpcModels.DescribeVSwitchesRequest({ regionId: REGION, vSwitchId: tiny }),
    );
    expect(described.body?.vSwitches?.vSwitch?.[0]?.availableIpAddressCount).toBe(0);
  });

  it('checks the vSwitch and the security groups', async () => {
    const noSwitch = await sdkError(() => newEni({ vSwitchId: 'vsw-bp1nosuchswitch0000000' }));
    expect([noSwitch.code, noSwitch.statusCode]).toEqual(['InvalidVSwitchId.NotFound', 404]);
    const noGroup = await sdkError(() => newEni({ securityGroupId: 'sg-bp1nosuchgroup00000000' }));
    expect([noGroup.code, noGroup.statusCode]).toEqual(['InvalidSecurityGroupId.NotFound', 404]);
    const missing = await sdkError(() => newEni({ securityGroupId: undefined }));
    expect(missing.code).toBe('MissingSecurityGroupId');
    const both = await sdkError(() => newEni({ securityGroupIds: [groupId] }));
    expect([both.code, both.statusCode]).toEqual(['InvalidParameter.Conflict', 400]);
    const elsewhere = await newGroup(await newVpc('10.60.0.0/16'), 'elsewhere');
    const mismatch = await sdkError(() => newEni({ securityGroupId: elsewhere }));
    expect([mismatch.code, mismatch.statusCode]).toEqual(['InvalidOperation.VpcMismatch', 403]);
    const second = await newGroup(vpcId, 'second');
    const multi = await newEni({ securityGroupId: undefined, securityGroupIds: [groupId, second] });
    expect(multi.securityGroupIds?.securityGroupId).toEqual([groupId, second]);
    const bySecond = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({ regionId: REGION, securityGroupId: second }),
    );
    expect(
      bySecond.body?.networkInterfaceSets?.networkInterfaceSet?.map((e) => e.networkInterfaceId),
    ).toEqual([multi.networkInterfaceId]);
  });

  it('filters and pages with PageNumber/PageSize and with MaxResults/NextToken', async () => {
    const sw = await newVswitch(vpcId, '10.0.20.0/24');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await newEni({ vSwitchId: sw })).networkInterfaceId ?? '');
    const newestFirst = [...ids].reverse();
    const page = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({
        regionId: REGION,
        vSwitchId: sw,
        pageNumber: 2,
        pageSize: 5,
      }),
    );
    expect(page.body?.totalCount).toBe(12);
    expect(page.body?.pageNumber).toBe(2);
    expect(page.body?.networkInterfaceSets?.networkInterfaceSet?.map((e) => e.networkInterfaceId)).toEqual(
      newestFirst.slice(5, 10),
    );
    // MaxResults below 10 counts as 10.
    const first = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({ regionId: REGION, vSwitchId: sw, maxResults: 3 }),
    );
    expect(first.body?.networkInterfaceSets?.networkInterfaceSet).toHaveLength(10);
    expect(first.body?.nextToken).not.toBe('');
    const rest = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({
        regionId: REGION,
        vSwitchId: sw,
        maxResults: 10,
        nextToken: first.body?.nextToken,
      }),
    );
    expect(rest.body?.nextToken).toBe('');
    expect(
      [
        ...(first.body?.networkInterfaceSets?.networkInterfaceSet ?? []),
        ...(rest.body?.networkInterfaceSets?.networkInterfaceSet ?? []),
      ].map((e) => e.networkInterfaceId),
    ).toEqual(newestFirst);
    const byIp = await ecs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({
        regionId: REGION,
        vpcId,
        primaryIpAddress: '10.0.20.3',
      }),
    );
    expect(byIp.body?.networkInterfaceSets?.networkInterfaceSet?.map((e) => e.networkInterfaceId)).toEqual([
      ids[2],
    ]);
  });

  it('dependencies: a vSwitch with ENIs, a group with ENIs, an ENI watched by a flow log', async () => {
    const sw = await newVswitch(vpcId, '10.0.30.0/24');
    const group = await newGroup(vpcId, 'dep');
    const eni = (await newEni({ vSwitchId: sw, securityGroupId: group })).networkInterfaceId ?? '';

    const swErr = await sdkError(() =>
      vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: sw })),
    );
    expect([swErr.code, swErr.statusCode]).toEqual(['DependencyViolation.NetworkInterface', 400]);
    const sgErr = await sdkError(() =>
      ecs.deleteSecurityGroup(
        new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: group }),
      ),
    );
    expect([sgErr.code, sgErr.statusCode]).toEqual(['DependencyViolation', 403]);
    const vpcErr = await sdkError(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId })),
    );
    expect(vpcErr.code).toBe('DependencyViolation.VSwitch');

    await server.app.store.db.run(
      `INSERT INTO flow_logs (flow_log_id, account_id, region_id, name, description, resource_type, resource_id,
         vpc_id, traffic_type, project_name, logstore_name, status, pending_status, settles_at,
         aggregation_interval, traffic_path, ip_version, log_format, resource_group_id, business_status,
         service_type, created_at)
       VALUES ('fl-bp1eniwatcher0000000001', ?, ?, '', '', 'NetworkInterface', ?, ?, 'All', 'p', 's', 'Active',
         NULL, NULL, 10, 'all', 'IPv4', '', ?, 'Normal', '', ?)`,
      [DEV_ACCOUNT_ID, REGION, eni, vpcId, defaultResourceGroupId(DEV_ACCOUNT_ID), Date.now()],
    );
    const eniErr = await sdkError(() =>
      ecs.deleteNetworkInterface(
        new EcsModels.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }),
      ),
    );
    expect([eniErr.code, eniErr.statusCode]).toEqual(['DependencyViolation.FlowLog', 400]);
    expect(eniErr.data?.['HostId']).toBe('ecs.aliyuncs.com');
    await server.app.store.db.run('DELETE FROM flow_logs WHERE resource_id = ?', [eni]);

    await ecs.deleteNetworkInterface(
      new EcsModels.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }),
    );
    const gone = await sdkError(() =>
      ecs.deleteNetworkInterface(
        new EcsModels.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }),
      ),
    );
    expect([gone.code, gone.statusCode]).toEqual(['InvalidEniId.NotFound', 404]);
    await ecs.deleteSecurityGroup(
      new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: group }),
    );
    await vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: sw }));
  });

  it("another account's ENIs, groups and vSwitches do not exist", async () => {
    const other = '3234567890123456';
    await server.app.services.identity.ensureAccount(other);
    await server.app.store.repos.identity.putAccessKey(
      {
        access_key_id: 'LTAI5tOtherEcsAccount01',
        account_id: other,
        secret: 'other-secret-0002',
        status: 'Active',
        principal_type: 'account',
      },
      Date.now(),
    );
    const theirs = ecsClient(server.endpoint, {
      accessKeyId: 'LTAI5tOtherEcsAccount01',
      accessKeySecret: 'other-secret-0002',
    });
    const eni = (await newEni({})).networkInterfaceId ?? '';
    const listed = await theirs.describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({ regionId: REGION }),
    );
    expect(listed.body?.totalCount).toBe(0);
    const groups = await theirs.describeSecurityGroups(
      new EcsModels.DescribeSecurityGroupsRequest({ regionId: REGION }),
    );
    expect(groups.body?.totalCount).toBe(0);
    expect(
      (
        await sdkError(() =>
          theirs.deleteNetworkInterface(
            new EcsModels.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }),
          ),
        )
      ).code,
    ).toBe('InvalidEniId.NotFound');
    expect(
      (
        await sdkError(() =>
          theirs.createNetworkInterface(
            new EcsModels.CreateNetworkInterfaceRequest({
              regionId: REGION,
              vSwitchId: vswitchId,
              securityGroupId: groupId,
            }),
          ),
        )
      ).code,
    ).toBe('InvalidVSwitchId.NotFound');
    expect(
      (
        await sdkError(() =>
          theirs.createSecurityGroup(new EcsModels.CreateSecurityGroupRequest({ regionId: REGION, vpcId })),
        )
      ).code,
    ).toBe('InvalidVpcId.NotFound');
  });
});

describe('security group ENI counts', () => {
  it('counts the ENIs of every group on a page, in one scope, and not another account’s', async () => {
    const countVpc = await newVpc('10.20.0.0/16');
    const countVswitch = await newVswitch(countVpc, '10.20.1.0/24');
    const [a, b, c] = [
      await newGroup(countVpc, 'count-a'),
      await newGroup(countVpc, 'count-b'),
      await newGroup(countVpc, 'count-c'),
    ];
    const inVsw = { vSwitchId: countVswitch };
    await newEni({ ...inVsw, securityGroupId: a });
    await newEni({ ...inVsw, securityGroupId: a });
    await newEni({ ...inVsw, securityGroupId: undefined, securityGroupIds: [a, b] });
    await newEni({ ...inVsw, securityGroupId: undefined, securityGroupIds: [b] });

    // Another account's ENI that names these groups (the API would refuse it; a row is enough to show
    // the count is scoped to the caller's account and region).
    const other = '4234567890123456';
    await server.app.services.identity.ensureAccount(other);
    await server.app.store.repos.identity.putAccessKey(
      {
        access_key_id: 'LTAI5tOtherCountAccount1',
        account_id: other,
        secret: 'other-secret-0003',
        status: 'Active',
        principal_type: 'account',
      },
      Date.now(),
    );
    const theirVpc = vpcClient(server.endpoint, {
      accessKeyId: 'LTAI5tOtherCountAccount1',
      accessKeySecret: 'other-secret-0003',
    });
    const theirVpcId =
      (
        await theirVpc.createVpc(
          new VpcModels.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.20.0.0/16' }),
        )
      ).body?.vpcId ?? '';
    const theirVswitchId =
      (
        await theirVpc.createVSwitch(
          new VpcModels.CreateVSwitchRequest({
            regionId: REGION,
            vpcId: theirVpcId,
            zoneId: 'cn-hangzhou-h',
            cidrBlock: '10.20.1.0/24',
          }),
        )
      ).body?.vSwitchId ?? '';
    await server.app.store.repos.network.insertNetworkInterface({
      network_interface_id: 'eni-othercount0001',
      account_id: other,
      region_id: REGION,
      vpc_id: theirVpcId,
      vswitch_id: theirVswitchId,
      zone_id: 'cn-hangzhou-h',
      security_group_ids: [a, b, c].join(','),
      primary_ip: '10.20.1.1',
      mac_address: '00:16:3e:00:00:01',
      name: '',
      description: '',
      status: 'Available',
      type: 'Secondary',
      instance_id: '',
      resource_group_id: defaultResourceGroupId(other),
      created_at: Date.now(),
    });

    const counts = async (req: Partial<EcsModels.DescribeSecurityGroupsRequest>) => {
      const res = await ecs.describeSecurityGroups(
        new EcsModels.DescribeSecurityGroupsRequest({ regionId: REGION, ...req }),
      );
      return Object.fromEntries(
        (res.body?.securityGroups?.securityGroup ?? []).map((g) => [g.securityGroupId, g.ecsCount]),
      );
    };
    const expected = { [a]: 3, [b]: 2, [c]: 0 };
    // Page numbers, token paging and an ID list all see the same counts.
    expect(await counts({ vpcId: countVpc, pageSize: 10 })).toEqual(expected);
    expect(await counts({ vpcId: countVpc, maxResults: 10 })).toEqual(expected);
    expect(await counts({ securityGroupIds: JSON.stringify([a, b, c]) })).toEqual(expected);
    // The other account's row does not make an empty group "in use" either.
    await ecs.deleteSecurityGroup(
      new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: c }),
    );
    expect(await counts({ vpcId: countVpc })).toEqual({ [a]: 3, [b]: 2 });
  });
});
