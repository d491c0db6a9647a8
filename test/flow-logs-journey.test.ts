/**
 * One user's whole journey through the official SDKs only: a seed file provides the log project,
 * Vpc 7.x and Ecs clients build the network, flow logs go on each level of it, the dependency rules
 * hold, and everything is torn down again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { popClient, sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { ecsClient, EcsModels, type EcsClient } from './support/ecs-client.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const REGION = 'cn-shanghai';
let server: TestServer;
let vpc: VpcClient;
let ecs: EcsClient;

beforeAll(async () => {
  const dir = tempDir();
  const seed = join(dir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({
      accounts: [
        {
          id: '1234567890123456',
          logProjects: [{ region: REGION, name: 'journey-project', logstores: ['eni-logs', 'vpc-logs'] }],
        },
      ],
    }),
  );
  server = await startTestServer({ seedFiles: [seed] });
  vpc = vpcClient(server.endpoint);
  ecs = ecsClient(server.endpoint);
});
afterAll(async () => server.close());

describe('a flow-log journey through the SDKs', () => {
  it('builds a network, watches it at every level, respects dependencies, and tears it all down', async () => {
    const vpcId = (
      await vpc.createVpc(
        new VpcModels.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.8.0.0/16', vpcName: 'journey' }),
      )
    ).body!.vpcId!;
    expect(vpcId).toMatch(/^vpc-uf6[a-z0-9]+$/);
    const vswitchId = (
      await vpc.createVSwitch(
        new VpcModels.CreateVSwitchRequest({
          regionId: REGION,
          vpcId,
          zoneId: `${REGION}-b`,
          cidrBlock: '10.8.1.0/24',
        }),
      )
    ).body!.vSwitchId!;
    const sgId = (
      await ecs.createSecurityGroup(new EcsModels.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))
    ).body!.securityGroupId!;
    const eni = (
      await ecs.createNetworkInterface(
        new EcsModels.CreateNetworkInterfaceRequest({
          regionId: REGION,
          vSwitchId: vswitchId,
          securityGroupId: sgId,
        }),
      )
    ).body!;
    expect(eni.privateIpAddress).toMatch(/^10\.8\.1\.\d+$/);

    const create = async (resourceType: string, resourceId: string, logStoreName: string): Promise<string> =>
      (
        await vpc.createFlowLog(
          new VpcModels.CreateFlowLogRequest({
            regionId: REGION,
            resourceType,
            resourceId,
            trafficType: 'All',
            projectName: 'journey-project',
            logStoreName,
          }),
        )
      ).body!.flowLogId!;
    const onEni = await create('NetworkInterface', eni.networkInterfaceId!, 'eni-logs');
    const onVsw = await create('VSwitch', vswitchId, 'eni-logs');
    const onVpc = await create('VPC', vpcId, 'vpc-logs');
    expect(onVpc).toMatch(/^fl-uf6[a-z0-9]{18}$/);

    const byVpc = await vpc.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, vpcId }),
    );
    expect(byVpc.body?.totalCount).toBe('3');
    expect(byVpc.body?.flowLogs?.flowLog?.map((f) => f.flowLogId)).toEqual(
      expect.arrayContaining([onEni, onVsw, onVpc]),
    );
    // pop-core sees the same world, and the ENI filter finds only the ENI's own flow log.
    const byEni = await popClient(server.url).request<{ FlowLogs: { FlowLog: { FlowLogId: string }[] } }>(
      'DescribeFlowLogs',
      { RegionId: REGION, ResourceId: eni.networkInterfaceId },
      { method: 'POST' },
    );
    expect(byEni.FlowLogs.FlowLog.map((f) => f.FlowLogId)).toEqual([onEni]);

    // Nothing a flow log watches can be deleted, and nothing is half-deleted.
    const eniBlocked = await sdkError(() =>
      ecs.deleteNetworkInterface(
        new EcsModels.DeleteNetworkInterfaceRequest({
          regionId: REGION,
          networkInterfaceId: eni.networkInterfaceId,
        }),
      ),
    );
    expect(eniBlocked.code).toBe('DependencyViolation.FlowLog');
    const vpcBlocked = await sdkError(() =>
      vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId })),
    );
    expect(vpcBlocked.code).toBe('DependencyViolation.VSwitch');
    expect(
      (await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcId }))).body
        ?.totalCount,
    ).toBe(1);

    for (const flowLogId of [onEni, onVsw, onVpc]) {
      await vpc.deleteFlowLog(new VpcModels.DeleteFlowLogRequest({ regionId: REGION, flowLogId }));
    }
    await ecs.deleteNetworkInterface(
      new EcsModels.DeleteNetworkInterfaceRequest({
        regionId: REGION,
        networkInterfaceId: eni.networkInterfaceId,
      }),
    );
    await ecs.deleteSecurityGroup(
      new EcsModels.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: sgId }),
    );
    await vpc.deleteVSwitch(new VpcModels.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswitchId }));
    await vpc.deleteVpc(new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId }));
    expect(
      (await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: REGION, vpcId }))).body
        ?.totalCount,
    ).toBe(0);
    const gone = await sdkError(() =>
      vpc.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, vpcId })),
    );
    expect(gone.code).toBe('InvalidInstanceId');
  });
});
