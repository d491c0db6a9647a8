/**
 * The flow-log lifecycle through the official SDKs: asynchronous statuses, wrong-state errors,
 * validation, delivery status, concurrency, restarts, the Terraform request sequence, tags and
 * resource groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultResourceGroupId } from '../src/products/identity/identity-service.js';
import { popClient, sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { sendV1 } from './support/raw-signer.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

// Long enough that a transient status is still showing when the next request checks it, even on a
// loaded CI machine; tests that only need a transition done fast-forward it (see waitFor).
const TRANSITION_MS = 2000;
let server: TestServer;
let client: VpcClient;
let world: World;

beforeAll(async () => {
  server = await startTestServer({ transitionMs: TRANSITION_MS });
  client = vpcClient(server.endpoint);
  world = await makeWorld(server.app, { enis: 3, logstores: 3 });
});
afterAll(async () => server.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function createReq(
  over: Partial<VpcModels.CreateFlowLogRequest> = {},
  w: World = world,
): VpcModels.CreateFlowLogRequest {
  return new VpcModels.CreateFlowLogRequest({
    regionId: w.regionId,
    resourceType: 'NetworkInterface',
    resourceId: w.eniIds[0],
    trafficType: 'All',
    projectName: w.project,
    logStoreName: w.logstores[0],
    ...over,
  });
}

async function statusOf(id: string, c: VpcClient = client): Promise<string | undefined> {
  const res = await c.describeFlowLogs(
    new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou', flowLogId: id }),
  );
  return res.body?.flowLogs?.flowLog?.[0]?.status;
}

/** Makes the flow log's pending state change due now, as if its transition time had passed. */
async function fastForward(id: string): Promise<void> {
  await server.app.store.db.run(
    'UPDATE flow_logs SET settles_at = 1 WHERE flow_log_id = ? AND settles_at IS NOT NULL',
    [id],
  );
}

/**
 * Polls DescribeFlowLogs until the flow log shows `status` (undefined: gone). By default the pending
 * change is fast-forwarded first; `{ realTime: true }` waits for the transition time to pass.
 */
async function waitFor(
  id: string,
  status: string | undefined,
  opts: { realTime?: boolean } = {},
): Promise<void> {
  if (!opts.realTime) await fastForward(id);
  const deadline = Date.now() + 15_000;
  while ((await statusOf(id)) !== status) {
    if (Date.now() > deadline) throw new Error(`flow log ${id} never reached ${status}`);
    await sleep(50);
  }
}

// The transient states are those the operation descriptions name, e.g.
// https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-deactiveflowlog
describe('the status model (VPC API reference)', () => {
  it('moves Activating → Active → Deactivating → Inactive → Activating → Active → Modifying → Active → Deleting → gone', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    expect(await statusOf(id)).toBe('Activating');
    await waitFor(id, 'Active', { realTime: true });

    await client.deactiveFlowLog(
      new VpcModels.DeactiveFlowLogRequest({ regionId: w.regionId, flowLogId: id }),
    );
    expect(await statusOf(id)).toBe('Deactivating');
    await waitFor(id, 'Inactive', { realTime: true });

    await client.activeFlowLog(new VpcModels.ActiveFlowLogRequest({ regionId: w.regionId, flowLogId: id }));
    expect(await statusOf(id)).toBe('Activating');
    await waitFor(id, 'Active', { realTime: true });

    await client.modifyFlowLogAttribute(
      new VpcModels.ModifyFlowLogAttributeRequest({
        regionId: w.regionId,
        flowLogId: id,
        flowLogName: 'renamed',
        aggregationInterval: 1,
      }),
    );
    expect(await statusOf(id)).toBe('Modifying');
    await waitFor(id, 'Active', { realTime: true });

    const del = await client.deleteFlowLog(
      new VpcModels.DeleteFlowLogRequest({ regionId: w.regionId, flowLogId: id }),
    );
    expect(del.body?.success).toBe('true');
    expect(await statusOf(id)).toBe('Deleting');
    await waitFor(id, undefined, { realTime: true });
  });

  it('modify of an Inactive flow log returns it to Inactive', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    await waitFor(id, 'Active');
    await client.deactiveFlowLog(
      new VpcModels.DeactiveFlowLogRequest({ regionId: w.regionId, flowLogId: id }),
    );
    await waitFor(id, 'Inactive');
    await client.modifyFlowLogAttribute(
      new VpcModels.ModifyFlowLogAttributeRequest({ regionId: w.regionId, flowLogId: id, description: 'd' }),
    );
    expect(await statusOf(id)).toBe('Modifying');
    await waitFor(id, 'Inactive');
  });

  it('refuses operations the current status does not allow with InvalidStatus', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    const scope = { regionId: w.regionId, flowLogId: id };
    // During Activating nothing may start.
    for (const call of [
      () => client.deactiveFlowLog(new VpcModels.DeactiveFlowLogRequest(scope)),
      () =>
        client.modifyFlowLogAttribute(
          new VpcModels.ModifyFlowLogAttributeRequest({ ...scope, flowLogName: 'x' }),
        ),
      () => client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest(scope)),
    ]) {
      const err = await sdkError(call);
      expect(err.code).toBe('InvalidStatus');
      expect(err.statusCode).toBe(400);
    }
    await waitFor(id, 'Active');
    expect((await sdkError(() => client.activeFlowLog(new VpcModels.ActiveFlowLogRequest(scope)))).code).toBe(
      'InvalidStatus',
    );
    await client.deactiveFlowLog(new VpcModels.DeactiveFlowLogRequest(scope));
    await waitFor(id, 'Inactive');
    expect(
      (await sdkError(() => client.deactiveFlowLog(new VpcModels.DeactiveFlowLogRequest(scope)))).code,
    ).toBe('InvalidStatus');
  });

  it('an unknown flow log gets InvalidInstanceId on every operation', async () => {
    const scope = { regionId: 'cn-hangzhou', flowLogId: 'fl-bp1nosuchflowlog000000' };
    for (const call of [
      () => client.activeFlowLog(new VpcModels.ActiveFlowLogRequest(scope)),
      () => client.deactiveFlowLog(new VpcModels.DeactiveFlowLogRequest(scope)),
      () => client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest(scope)),
      () =>
        client.modifyFlowLogAttribute(
          new VpcModels.ModifyFlowLogAttributeRequest({ ...scope, description: 'x' }),
        ),
    ]) {
      expect((await sdkError(call)).code).toBe('InvalidInstanceId');
    }
  });

  it('concurrent requests on one flow log: exactly one wins, the others get InvalidStatus', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    await waitFor(id, 'Active');
    const scope = { regionId: w.regionId, flowLogId: id };
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => client.deactiveFlowLog(new VpcModels.DeactiveFlowLogRequest(scope))),
      ...Array.from({ length: 4 }, (_, i) =>
        client.modifyFlowLogAttribute(
          new VpcModels.ModifyFlowLogAttributeRequest({ ...scope, flowLogName: `n${i}` }),
        ),
      ),
      ...Array.from({ length: 4 }, () => client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest(scope))),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('InvalidStatus');
    }
    expect(['Deactivating', 'Modifying', 'Deleting']).toContain(await statusOf(id));
  });
});

describe('CreateFlowLog validation', () => {
  it.each([
    ['AggregationInterval 3', { aggregationInterval: 3 }, 'ParameterInvalid'],
    ['a bad TrafficPath', { trafficPath: ['all', 'everywhere'] }, 'ParameterInvalid'],
    ['a bad ResourceType', { resourceType: 'Eni' }, 'ParameterInvalid'],
    ['a bad TrafficType', { trafficType: 'ALL' }, 'ParameterInvalid'],
    ['a bad IpVersion', { ipVersion: 'IPv5' }, 'ParameterInvalid'],
    ['a name starting with https://', { flowLogName: 'https://x' }, 'ParameterInvalid'],
    ['a description over 256 characters', { description: 'd'.repeat(257) }, 'ParameterInvalid'],
    ['an upper-case project name', { projectName: 'Proj' }, 'ParameterInvalid'],
    [
      '21 tags',
      {
        tag: Array.from(
          { length: 21 },
          (_, i) => new VpcModels.CreateFlowLogRequestTag({ key: `k${i}`, value: '' }),
        ),
      },
      'ParameterInvalid',
    ],
    [
      'a tag key starting with acs:',
      { tag: [new VpcModels.CreateFlowLogRequestTag({ key: 'acs:k', value: '' })] },
      'ParameterInvalid',
    ],
    ['no ResourceId', { resourceId: undefined }, 'MissingResourceId'],
    ['no TrafficType', { trafficType: undefined }, 'MissingTrafficType'],
    ['an unknown ENI', { resourceId: 'eni-bp1nothere' }, 'InvalidInstanceId'],
    [
      'a VPC ID given as an ENI',
      { resourceType: 'NetworkInterface', resourceId: 'VPC' },
      'InvalidInstanceId',
    ],
    ['an unknown logstore', { logStoreName: 'nope-store' }, 'ProjectOrLogstoreNotExist'],
    ['an unknown project', { projectName: 'nope-project' }, 'ProjectOrLogstoreNotExist'],
    [
      'an unknown resource group',
      { resourceGroupId: 'rg-acfmnothere00000' },
      'InvalidResourceGroupId.NotFound',
    ],
  ])('%s → %s', async (_what, over, code) => {
    const req = createReq(over as Partial<VpcModels.CreateFlowLogRequest>);
    if (req.resourceId === 'VPC') req.resourceId = world.vpcId;
    const err = await sdkError(() => client.createFlowLog(req));
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(400);
  });

  it('refuses a second flow log with the same resource, traffic type and logstore', async () => {
    const w = await makeWorld(server.app);
    await client.createFlowLog(createReq({}, w));
    const err = await sdkError(() => client.createFlowLog(createReq({}, w)));
    expect(err.code).toBe('ResourceAlreadyExist.FlowLog');
    // A different traffic type or logstore is a different flow log.
    await client.createFlowLog(createReq({ trafficType: 'Drop' }, w));
    await client.createFlowLog(createReq({ logStoreName: w.logstores[1] }, w));
  });

  it('a failed create changes nothing', async () => {
    const w = await makeWorld(server.app);
    await sdkError(() =>
      client.createFlowLog(
        createReq(
          {
            resourceGroupId: 'rg-acfmnothere00000',
            tag: [new VpcModels.CreateFlowLogRequestTag({ key: 'a', value: 'b' })],
          },
          w,
        ),
      ),
    );
    const res = await client.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, projectName: w.project }),
    );
    expect(res.body?.totalCount).toBe('0');
  });

  it('every field accepted on create comes back on describe', async () => {
    const w = await makeWorld(server.app);
    const res = await client.createFlowLog(
      createReq(
        {
          resourceType: 'VSwitch',
          resourceId: w.vswitchId,
          trafficType: 'Allow',
          flowLogName: 'full',
          description: 'all the fields',
          aggregationInterval: 5,
          trafficPath: ['all', 'internetGateway'],
          ipVersion: 'IPv4',
          logFormat: '${srcaddr} ${dstaddr}',
          resourceGroupId: defaultResourceGroupId(w.accountId),
          tag: [new VpcModels.CreateFlowLogRequestTag({ key: 'owner', value: 'net-team' })],
        },
        w,
      ),
    );
    expect(res.body?.resourceGroupId).toBe(defaultResourceGroupId(w.accountId));
    await waitFor(res.body!.flowLogId!, 'Active');
    const got = (
      await client.describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, flowLogId: res.body!.flowLogId }),
      )
    ).body!.flowLogs!.flowLog![0]!;
    expect(got).toMatchObject({
      resourceType: 'VSwitch',
      resourceId: w.vswitchId,
      trafficType: 'Allow',
      flowLogName: 'full',
      description: 'all the fields',
      aggregationInterval: 5,
      trafficPath: { trafficPathList: ['all', 'internetGateway'] },
      ipVersion: 'IPv4',
      logFormat: '${srcaddr} ${dstaddr}',
      resourceGroupId: defaultResourceGroupId(w.accountId),
      tags: { tag: [{ key: 'owner', value: 'net-team' }] },
      projectName: w.project,
      logStoreName: w.logstores[0],
      regionId: 'cn-hangzhou',
      businessStatus: 'Normal',
      status: 'Active',
    });
  });
});

describe('delivery status', () => {
  it('is SUCCESS while the target exists, FAILED with UnavaliableTarget or ProjectNotExist when it disappears', async () => {
    const w = await makeWorld(server.app);
    const a = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    const b = (await client.createFlowLog(createReq({ logStoreName: w.logstores[1] }, w))).body!.flowLogId!;
    const delivery = async (id: string): Promise<[string?, string?]> => {
      const f = (
        await client.describeFlowLogs(
          new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, flowLogId: id }),
        )
      ).body!.flowLogs!.flowLog![0]!;
      return [f.flowLogDeliverStatus, f.flowLogDeliverErrorMessage];
    };
    expect(await delivery(a)).toEqual(['SUCCESS', '']);
    await server.app.store.repos.logs.deleteLogstore(w.regionId, w.project, w.logstores[0]!);
    expect(await delivery(a)).toEqual(['FAILED', 'UnavaliableTarget']);
    expect(await delivery(b)).toEqual(['SUCCESS', '']);
    await server.app.store.repos.logs.deleteProject(w.regionId, w.project);
    expect(await delivery(b)).toEqual(['FAILED', 'ProjectNotExist']);
  });
});

// As terraform-provider-alicloud drives it (alicloud/resource_alicloud_vpc_flow_log.go, over tea-rpc).
describe('what Terraform sends, v1 POST with the form body', () => {
  it('create, poll until Active, modify, tag, untag, move group, deactivate, activate, delete, poll until gone', async () => {
    const w = await makeWorld(server.app);
    const rg = 'rg-acfmterraform0001';
    await server.app.store.repos.identity.putResourceGroup({
      account_id: w.accountId,
      resource_group_id: rg,
      name: 'tf',
      display_name: 'tf',
      is_default: 0,
      created_at: Date.now(),
    });
    const call = async (action: string, params: Record<string, string>): Promise<Record<string, unknown>> => {
      const res = await sendV1(
        server.url,
        { Action: action, Format: 'json', ...params },
        { method: 'POST', form: true, commonInQuery: true },
      );
      const body = res.json();
      expect(res.status, `${action}: ${res.text}`).toBe(200);
      return body;
    };
    const poll = async (
      id: string,
      until: (items: Record<string, unknown>[]) => boolean,
    ): Promise<Record<string, unknown>[]> => {
      for (let i = 0; i < 100; i++) {
        await fastForward(id);
        const body = await call('DescribeFlowLogs', { RegionId: w.regionId, FlowLogId: id });
        const items = (body['FlowLogs'] as { FlowLog: Record<string, unknown>[] }).FlowLog;
        if (until(items)) return items;
        await sleep(50);
      }
      throw new Error('poll timed out');
    };
    const created = await call('CreateFlowLog', {
      RegionId: w.regionId,
      ProjectName: w.project,
      ResourceId: w.vpcId,
      LogStoreName: w.logstores[1]!,
      TrafficType: 'All',
      ResourceType: 'VPC',
      FlowLogName: 'tf-flowlog',
      Description: 'made by terraform',
      AggregationInterval: '5',
      'TrafficPath.1': 'all',
      IpVersion: 'IPv4',
      'Tag.1.Key': 'Created',
      'Tag.1.Value': 'TF',
    });
    expect(created).toMatchObject({ Success: 'true', ResourceGroupId: defaultResourceGroupId(w.accountId) });
    const id = String(created['FlowLogId']);
    let [item] = await poll(id, (items) => items[0]?.['Status'] === 'Active');
    expect(item).toMatchObject({
      AggregationInterval: 5,
      IpVersion: 'IPv4',
      BusinessStatus: 'Normal',
      TrafficPath: { TrafficPathList: ['all'] },
    });

    await call('ModifyFlowLogAttribute', {
      RegionId: w.regionId,
      FlowLogId: id,
      FlowLogName: 'tf-renamed',
      AggregationInterval: '1',
    });
    await poll(id, (items) => items[0]?.['Status'] === 'Active');
    await call('UnTagResources', {
      RegionId: w.regionId,
      ResourceType: 'FLOWLOG',
      'ResourceId.1': id,
      'TagKey.1': 'Created',
    });
    await call('TagResources', {
      RegionId: w.regionId,
      ResourceType: 'FLOWLOG',
      'ResourceId.1': id,
      'Tag.1.Key': 'For',
      'Tag.1.Value': 'Test',
    });
    await call('MoveResourceGroup', {
      RegionId: w.regionId,
      ResourceId: id,
      NewResourceGroupId: rg,
      ResourceType: 'FLOWLOG',
    });
    [item] = await poll(id, () => true);
    expect(item).toMatchObject({
      FlowLogName: 'tf-renamed',
      AggregationInterval: 1,
      ResourceGroupId: rg,
      Tags: { Tag: [{ Key: 'For', Value: 'Test' }] },
    });

    await call('DeactiveFlowLog', { RegionId: w.regionId, FlowLogId: id });
    await poll(id, (items) => items[0]?.['Status'] === 'Inactive');
    await call('ActiveFlowLog', { RegionId: w.regionId, FlowLogId: id });
    await poll(id, (items) => items[0]?.['Status'] === 'Active');
    await call('DeleteFlowLog', { RegionId: w.regionId, FlowLogId: id });
    await poll(id, (items) => items.length === 0);
  });
});

describe('tags', () => {
  it('TagResources, ListTagResources, UnTagResources on flow logs, VPCs and vSwitches (type case-insensitive)', async () => {
    const w = await makeWorld(server.app);
    const fl = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    await client.tagResources(
      new VpcModels.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'flowlog',
        resourceId: [fl],
        tag: [
          new VpcModels.TagResourcesRequestTag({ key: 'a', value: '1' }),
          new VpcModels.TagResourcesRequestTag({ key: 'b', value: '' }),
        ],
      }),
    );
    await client.tagResources(
      new VpcModels.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'VPC',
        resourceId: [w.vpcId],
        tag: [new VpcModels.TagResourcesRequestTag({ key: 'a', value: '1' })],
      }),
    );
    await client.tagResources(
      new VpcModels.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'VSwitch',
        resourceId: [w.vswitchId],
        tag: [new VpcModels.TagResourcesRequestTag({ key: 'a', value: '2' })],
      }),
    );
    const list = await client.listTagResources(
      new VpcModels.ListTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
      }),
    );
    expect(list.body?.tagResources?.tagResource).toEqual([
      { resourceId: fl, resourceType: 'FLOWLOG', tagKey: 'a', tagValue: '1' },
      { resourceId: fl, resourceType: 'FLOWLOG', tagKey: 'b', tagValue: '' },
    ]);
    expect(list.body?.nextToken).toBe('');
    const byTag = await client.listTagResources(
      new VpcModels.ListTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'vpc',
        tag: [new VpcModels.ListTagResourcesRequestTag({ key: 'a', value: '1' })],
      }),
    );
    expect(byTag.body?.tagResources?.tagResource?.map((t) => t.resourceId)).toContain(w.vpcId);
    await client.unTagResources(
      new VpcModels.UnTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
        tagKey: ['a'],
      }),
    );
    const after = await client.listTagResources(
      new VpcModels.ListTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
      }),
    );
    expect(after.body?.tagResources?.tagResource?.map((t) => t.tagKey)).toEqual(['b']);
    await client.unTagResources(
      new VpcModels.UnTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
        all: true,
      }),
    );
    const none = await client.listTagResources(
      new VpcModels.ListTagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
      }),
    );
    expect(none.body?.tagResources?.tagResource).toEqual([]);
  });

  it('pages ListTagResources with MaxResults and NextToken', async () => {
    const w = await makeWorld(server.app);
    const fl = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    const tags = Array.from(
      { length: 5 },
      (_, i) => new VpcModels.TagResourcesRequestTag({ key: `k${i}`, value: `${i}` }),
    );
    await client.tagResources(
      new VpcModels.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
        tag: tags,
      }),
    );
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.listTagResources(
        new VpcModels.ListTagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: [fl],
          maxResults: 2,
          nextToken: token,
        }),
      );
      seen.push(...(page.body?.tagResources?.tagResource ?? []).map((t) => t.tagKey!));
      token = page.body?.nextToken || undefined;
    } while (token);
    expect(seen).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  it('errors: unknown resource, more than 20 tags, bad key, neither ResourceId nor Tag', async () => {
    const w = await makeWorld(server.app);
    const fl = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    const tag = (key: string) => new VpcModels.TagResourcesRequestTag({ key, value: 'v' });
    const missing = await sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: ['fl-bp1nothere'],
          tag: [tag('a')],
        }),
      ),
    );
    expect(missing.code).toBe('InvalidResourceId.NotFound');
    await client.tagResources(
      new VpcModels.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'FLOWLOG',
        resourceId: [fl],
        tag: Array.from({ length: 15 }, (_, i) => tag(`a${i}`)),
      }),
    );
    const quota = await sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: [fl],
          tag: Array.from({ length: 6 }, (_, i) => tag(`b${i}`)),
        }),
      ),
    );
    expect(quota.code).toBe('QuotaExceeded.TagNum');
    const badKey = await sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: [fl],
          tag: [tag('aliyun:x')],
        }),
      ),
    );
    expect(badKey.code).toBe('ParameterInvalid');
    const badType = await sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'EIP',
          resourceId: [fl],
          tag: [tag('a')],
        }),
      ),
    );
    expect(badType.code).toBe('ParameterInvalid');
    const neither = await sdkError(() =>
      client.listTagResources(
        new VpcModels.ListTagResourcesRequest({ regionId: w.regionId, resourceType: 'FLOWLOG' }),
      ),
    );
    expect(neither.code).toBe('MissingParameter');
    const noKeys = await sdkError(() =>
      client.unTagResources(
        new VpcModels.UnTagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: [fl],
        }),
      ),
    );
    expect(noKeys.code).toBe('MissingTagKey.1');
    // A deleted flow log takes its tags with it.
    await waitFor(fl, 'Active');
    await client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest({ regionId: w.regionId, flowLogId: fl }));
    await waitFor(fl, undefined);
    expect(await server.app.store.repos.tags.count(fl)).toBe(0);
  });
});

describe('resource groups and the flow-log service', () => {
  it('MoveResourceGroup for FlowLog and Vpc, case-insensitive; unknown group or resource refused', async () => {
    const w = await makeWorld(server.app);
    const rg = 'rg-acfmmovetarget001';
    await server.app.store.repos.identity.putResourceGroup({
      account_id: w.accountId,
      resource_group_id: rg,
      name: 'm',
      display_name: 'm',
      is_default: 0,
      created_at: Date.now(),
    });
    const fl = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    await client.moveResourceGroup(
      new VpcModels.MoveResourceGroupRequest({
        regionId: w.regionId,
        resourceId: fl,
        newResourceGroupId: rg,
        resourceType: 'flowlog',
      }),
    );
    await client.moveResourceGroup(
      new VpcModels.MoveResourceGroupRequest({
        regionId: w.regionId,
        resourceId: w.vpcId,
        newResourceGroupId: rg,
        resourceType: 'VPC',
      }),
    );
    const res = await client.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, resourceGroupId: rg }),
    );
    expect(res.body?.flowLogs?.flowLog?.map((f) => f.flowLogId)).toEqual([fl]);
    const badGroup = await sdkError(() =>
      client.moveResourceGroup(
        new VpcModels.MoveResourceGroupRequest({
          regionId: w.regionId,
          resourceId: fl,
          newResourceGroupId: 'rg-nope',
          resourceType: 'FlowLog',
        }),
      ),
    );
    expect(badGroup.code).toBe('InvalidResourceGroupId.NotFound');
    const badResource = await sdkError(() =>
      client.moveResourceGroup(
        new VpcModels.MoveResourceGroupRequest({
          regionId: w.regionId,
          resourceId: 'fl-nope',
          newResourceGroupId: rg,
          resourceType: 'FlowLog',
        }),
      ),
    );
    expect(badResource.code).toBe('InvalidInstanceId');
  });

  it('GetFlowLogServiceStatus is false until OpenFlowLogService', async () => {
    const get = () =>
      client.getFlowLogServiceStatus(
        new VpcModels.GetFlowLogServiceStatusRequest({ regionId: 'cn-hangzhou' }),
      );
    expect((await get()).body?.enabled).toBe(false);
    const open = await popClient(server.url).request<{ Code: string; Message: string }>(
      'OpenFlowLogService',
      { RegionId: 'cn-hangzhou' },
    );
    expect(open).toMatchObject({ Code: '200', Message: 'successful' });
    expect((await get()).body?.enabled).toBe(true);
  });
});

describe('restarts', () => {
  it('a transition in progress when the process stops completes after restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ inMemory: false, dataDir, transitionMs: 60_000 });
    const w = await makeWorld(first.app);
    const id = (await vpcClient(first.endpoint).createFlowLog(createReq({}, w))).body!.flowLogId!;
    // Make the transition due while the server is down.
    await first.app.store.db.run('UPDATE flow_logs SET settles_at = ? WHERE flow_log_id = ?', [
      Date.now() - 1,
      id,
    ]);
    await first.app.store.db.close();
    const second = await startTestServer({ inMemory: false, dataDir, transitionMs: 60_000 });
    try {
      const row = await second.app.store.repos.flowLogs.get(w.accountId, w.regionId, id);
      expect(row?.status).toBe('Active');
      expect(await statusOf(id, vpcClient(second.endpoint))).toBe('Active');
    } finally {
      await second.close();
      await first.app.server?.close();
    }
  });
});

describe('a deletion that has come due', () => {
  it('no longer blocks deleting the resource or creating the same flow log again', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({ resourceId: w.eniIds[1] }, w))).body!.flowLogId!;
    await fastForward(id);
    await client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest({ regionId: w.regionId, flowLogId: id }));
    await fastForward(id);
    // No DescribeFlowLogs in between: the create and the delete must settle by themselves.
    const again = await client.createFlowLog(createReq({ resourceId: w.eniIds[1] }, w));
    expect(again.body?.flowLogId).toMatch(/^fl-/);
    await fastForward(again.body!.flowLogId!);
    await client.deleteFlowLog(
      new VpcModels.DeleteFlowLogRequest({ regionId: w.regionId, flowLogId: again.body!.flowLogId }),
    );
    await fastForward(again.body!.flowLogId!);
    const res = await sendV1(server.url, {
      Action: 'DeleteNetworkInterface',
      Version: '2014-05-26',
      RegionId: w.regionId,
      NetworkInterfaceId: w.eniIds[1]!,
    });
    expect(res.status, res.text).toBe(200);
  });

  it('is applied before any write: a flow log whose deletion came due can no longer be tagged or moved', async () => {
    const w = await makeWorld(server.app);
    const id = (await client.createFlowLog(createReq({}, w))).body!.flowLogId!;
    await fastForward(id);
    await client.deleteFlowLog(new VpcModels.DeleteFlowLogRequest({ regionId: w.regionId, flowLogId: id }));
    await fastForward(id);
    const tagged = await sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: [id],
          tag: [new VpcModels.TagResourcesRequestTag({ key: 'k', value: 'v' })],
        }),
      ),
    );
    expect(tagged.code).toBe('InvalidResourceId.NotFound');
    const moved = await sdkError(() =>
      client.moveResourceGroup(
        new VpcModels.MoveResourceGroupRequest({
          regionId: w.regionId,
          resourceId: id,
          newResourceGroupId: defaultResourceGroupId(w.accountId),
          resourceType: 'FlowLog',
        }),
      ),
    );
    expect(moved.code).toBe('InvalidInstanceId');
  });
});
