/**
 * Every entry of the network error catalog, provoked through the official SDKs: the test fails if an
 * entry has no provoker, or if the code or HTTP status on the wire differs from the catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_ERRORS, type NetworkErrorName } from '../src/products/network-errors.js';
import { defaultResourceGroupId, DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { ecsClient, EcsModels, type EcsClient } from './support/ecs-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const REGION = 'cn-hangzhou';
const NO_VPC = 'vpc-bp1nosuchvpc000000000';

let server: TestServer;
let vpc: VpcClient;
let ecs: EcsClient;
// A VPC with a vSwitch, a security group and an ENI in it; a /29 vSwitch that is full; a spare VPC.
let vpcId: string;
let vswitchId: string;
let groupId: string;
let fullVswitchId: string;
let otherVpcGroupId: string;
let emptyVpcWithGroup: string;
let watchedVpcId: string;

beforeAll(async () => {
  server = await startTestServer();
  vpc = vpcClient(server.endpoint);
  ecs = ecsClient(server.endpoint);
  vpcId = await createVpc('10.0.0.0/16');
  vswitchId = await createVswitch(vpcId, '10.0.1.0/24');
  groupId = await createGroup(vpcId);
  await createEni({ primaryIpAddress: '10.0.1.10' });
  fullVswitchId = await createVswitch(vpcId, '10.0.2.0/29');
  for (let i = 0; i < 4; i++) await createEni({ vSwitchId: fullVswitchId });
  otherVpcGroupId = await createGroup(await createVpc('10.1.0.0/16'));
  emptyVpcWithGroup = await createVpc('10.2.0.0/16');
  await createGroup(emptyVpcWithGroup);
  watchedVpcId = await createVpc('10.3.0.0/16');
  await server.app.store.db.run(
    `INSERT INTO flow_logs (flow_log_id, account_id, region_id, name, description, resource_type, resource_id,
       vpc_id, traffic_type, project_name, logstore_name, status, pending_status, settles_at,
       aggregation_interval, traffic_path, ip_version, log_format, resource_group_id, business_status,
       service_type, created_at)
     VALUES ('fl-bp1catalogwatcher000001', ?, ?, '', '', 'VPC', ?, ?, 'All', 'p', 's', 'Active', NULL, NULL,
       10, 'all', 'IPv4', '', ?, 'Normal', '', ?)`,
    [DEV_ACCOUNT_ID, REGION, watchedVpcId, watchedVpcId, defaultResourceGroupId(DEV_ACCOUNT_ID), Date.now()],
  );
});
afterAll(async () => server.close());

async function createVpc(
  cidrBlock: string,
  extra: Partial<VpcModels.CreateVpcRequest> = {},
): Promise<string> {
  const res = await vpc.createVpc(new VpcModels.CreateVpcRequest({ regionId: REGION, cidrBlock, ...extra }));
  return res.body?.vpcId ?? '';
}

async function createVswitch(
  inVpc: string,
  cidrBlock: string,
  extra: Partial<VpcModels.CreateVSwitchRequest> = {},
): Promise<string> {
  const res = await vpc.createVSwitch(
    new VpcModels.CreateVSwitchRequest({
      regionId: REGION,
      vpcId: inVpc,
      zoneId: 'cn-hangzhou-b',
      cidrBlock,
      ...extra,
    }),
  );
  return res.body?.vSwitchId ?? '';
}

async function createGroup(
  inVpc: string,
  extra: Partial<EcsModels.CreateSecurityGroupRequest> = {},
): Promise<string> {
  const res = await ecs.createSecurityGroup(
    new EcsModels.CreateSecurityGroupRequest({ regionId: REGION, vpcId: inVpc, ...extra }),
  );
  return res.body?.securityGroupId ?? '';
}

async function createEni(
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

type Provoked = { code: string; status: number; host: string };
async function provoke(fn: () => Promise<unknown>): Promise<Provoked> {
  const err = await sdkError(fn);
  return { code: err.code ?? '', status: err.statusCode ?? 0, host: String(err.data?.['HostId']) };
}

const provokers: Record<NetworkErrorName, () => Promise<Provoked>> = {
  InvalidVpcIdNotFound: () =>
    provoke(() => vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId: NO_VPC }))),
  InvalidVSwitchIdNotFound: () =>
    provoke(() =>
      vpc.deleteVSwitch(
        new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: 'vsw-bp1nosuch000000000000' }),
      ),
    ),
  InvalidZoneIdNotFound: () =>
    provoke(() => createVswitch(vpcId, '10.0.3.0/24', { zoneId: 'cn-hangzhou-z' })),
  InvalidSecurityGroupIdNotFound: () =>
    provoke(() => createEni({ securityGroupId: 'sg-bp1nosuch0000000000000' })),
  InvalidSecurityGroupNotFound: () =>
    provoke(() =>
      ecs.deleteSecurityGroup(
        new EcsModels.DeleteSecurityGroupRequest({
          regionId: REGION,
          securityGroupId: 'sg-bp1nosuch0000000000000',
        }),
      ),
    ),
  InvalidEniIdNotFound: () =>
    provoke(() =>
      ecs.deleteNetworkInterface(
        new EcsModels.DeleteNetworkInterfaceRequest({
          regionId: REGION,
          networkInterfaceId: 'eni-bp1nosuch000000000000',
        }),
      ),
    ),
  InvalidResourceGroupNotFound: () =>
    provoke(() => createVpc('10.4.0.0/16', { resourceGroupId: 'rg-acfmnosuchgroup0001' })),
  InvalidVpcCidrBlock: () => provoke(() => createVpc('11.0.0.0/16')),
  InvalidCidrBlockMalformed: () => provoke(() => createVswitch(vpcId, '10.0.3.0/33')),
  InvalidCidrBlockMaskLength: () => provoke(() => createVswitch(vpcId, '10.0.3.0/30')),
  VSwitchCidrNotInVpc: () => provoke(() => createVswitch(vpcId, '10.9.0.0/24')),
  InvalidCidrBlockOverlapped: () => provoke(() => createVswitch(vpcId, '10.0.1.128/25')),
  InvalidVpcNameMalformed: () => provoke(() => createVpc('10.5.0.0/16', { vpcName: 'x'.repeat(129) })),
  InvalidVpcDescriptionMalformed: () => provoke(() => createVpc('10.5.0.0/16', { description: 'http://x' })),
  InvalidVSwitchNameMalformed: () =>
    provoke(() => createVswitch(vpcId, '10.0.4.0/24', { vSwitchName: 'https://x' })),
  InvalidVSwitchDescriptionMalformed: () =>
    provoke(() => createVswitch(vpcId, '10.0.4.0/24', { description: 'd'.repeat(257) })),
  InvalidSecurityGroupNameMalformed: () => provoke(() => createGroup(vpcId, { securityGroupName: 'a' })),
  InvalidDescriptionMalformed: () => provoke(() => createGroup(vpcId, { description: 'x' })),
  DependencyViolationVSwitch: () =>
    provoke(() => vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId }))),
  DependencyViolationSecurityGroup: () =>
    provoke(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId: emptyVpcWithGroup })),
    ),
  DependencyViolationNetworkInterface: () =>
    provoke(() =>
      vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId })),
    ),
  DependencyViolationFlowLog: () =>
    provoke(() => vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId: watchedVpcId }))),
  SecurityGroupInUse: () =>
    provoke(() =>
      ecs.deleteSecurityGroup(
        new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: groupId }),
      ),
    ),
  InvalidOperationVpcMismatch: () => provoke(() => createEni({ securityGroupId: otherVpcGroupId })),
  InvalidParameterConflict: () => provoke(() => createEni({ securityGroupIds: [groupId] })),
  InvalidVSwitchIdIpInvalid: () => provoke(() => createEni({ primaryIpAddress: '10.0.1.255' })),
  InvalidPrivateIpAddressDuplicated: () => provoke(() => createEni({ primaryIpAddress: '10.0.1.10' })),
  InvalidVSwitchIdIpNotEnough: () => provoke(() => createEni({ vSwitchId: fullVswitchId })),
};

const ECS_ENTRIES = new Set<NetworkErrorName>([
  'InvalidSecurityGroupIdNotFound',
  'InvalidSecurityGroupNotFound',
  'InvalidEniIdNotFound',
  'InvalidSecurityGroupNameMalformed',
  'InvalidDescriptionMalformed',
  'SecurityGroupInUse',
  'InvalidOperationVpcMismatch',
  'InvalidParameterConflict',
  'InvalidVSwitchIdIpInvalid',
  'InvalidPrivateIpAddressDuplicated',
  'InvalidVSwitchIdIpNotEnough',
]);

describe('the network error catalog', () => {
  it.each(Object.keys(NETWORK_ERRORS) as NetworkErrorName[])(
    '%s is reachable with its code and status',
    async (name) => {
      const entry = NETWORK_ERRORS[name];
      const got = await provokers[name]();
      expect({ code: got.code, status: got.status }).toEqual({ code: entry.code, status: entry.status });
      expect(got.host).toBe(ECS_ENTRIES.has(name) ? 'ecs.aliyuncs.com' : 'vpc.aliyuncs.com');
    },
  );

  it('has a provoker for every entry and no stale provoker', () => {
    expect(Object.keys(provokers).sort()).toEqual(Object.keys(NETWORK_ERRORS).sort());
  });
});
