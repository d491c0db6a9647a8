/**
 * DescribeFlowLogs exactly as documented, through @alicloud/vpc20160428 7.x over a real socket:
 * every field and type, defaults, every filter, paging, the error codes of the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { defaultResourceGroupId } from '../src/products/identity/identity-service.js';
import { popClient, sdkError, vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { sendV1 } from './support/raw-signer.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeAccount, makeWorld, type World } from './support/world.js';

let server: TestServer;
let client: VpcClient;
let world: World;

beforeAll(async () => {
  server = await startTestServer();
  client = vpcClient(server.endpoint);
  world = await makeWorld(server.app, { enis: 3, logstores: 3 });
});
afterAll(async () => server.close());

async function create(over: Partial<VpcModels.CreateFlowLogRequest> = {}): Promise<string> {
  const res = await client.createFlowLog(
    new VpcModels.CreateFlowLogRequest({
      regionId: world.regionId,
      resourceType: 'NetworkInterface',
      resourceId: world.eniIds[0],
      trafficType: 'All',
      projectName: world.project,
      logStoreName: world.logstores[0],
      ...over,
    }),
  );
  expect(res.body?.success).toBe('true');
  return res.body!.flowLogId!;
}

async function describeIds(req: Partial<VpcModels.DescribeFlowLogsRequest>): Promise<string[]> {
  const res = await client.describeFlowLogs(
    new VpcModels.DescribeFlowLogsRequest({ regionId: world.regionId, pageSize: 50, ...req }),
  );
  return (res.body?.flowLogs?.flowLog ?? []).map((f) => f.flowLogId!);
}

describe('DescribeFlowLogs response', () => {
  it('returns every field with the documented types and defaults, in JSON', async () => {
    const id = await create({ flowLogName: 'myFlowlog', description: 'This is my Flowlog.' });
    expect(id).toMatch(/^fl-bp1[a-z0-9]{18}$/);
    const res = await sendV1(server.url, {
      Action: 'DescribeFlowLogs',
      RegionId: world.regionId,
      FlowLogId: id,
    });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ Success: 'true', TotalCount: '1', PageNumber: '1', PageSize: '20' });
    expect(body).not.toHaveProperty('Code');
    const item = (body['FlowLogs'] as { FlowLog: Record<string, unknown>[] }).FlowLog[0]!;
    expect(item).toEqual({
      Status: 'Active',
      CreationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      FlowLogName: 'myFlowlog',
      TrafficType: 'All',
      ResourceType: 'NetworkInterface',
      Description: 'This is my Flowlog.',
      ProjectName: world.project,
      LogStoreName: world.logstores[0],
      ResourceId: world.eniIds[0],
      RegionId: 'cn-hangzhou',
      FlowLogId: id,
      BusinessStatus: 'Normal',
      AggregationInterval: 10,
      TrafficPath: { TrafficPathList: ['all'] },
      ServiceType: '',
      ResourceGroupId: defaultResourceGroupId(world.accountId),
      Tags: { Tag: [] },
      FlowLogDeliverStatus: 'SUCCESS',
      FlowLogDeliverErrorMessage: '',
      IpVersion: 'IPv4',
      LogFormat: '',
    });
    const sdk = await client.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: world.regionId, flowLogId: id }),
    );
    expect(sdk.body?.totalCount).toBe('1');
    expect(sdk.body?.flowLogs?.flowLog?.[0]?.aggregationInterval).toBe(10);
    expect(sdk.body?.flowLogs?.flowLog?.[0]?.trafficPath?.trafficPathList).toEqual(['all']);
  });

  it('returns an empty list as "FlowLogs":{"FlowLog":[]} for an unknown FlowLogId', async () => {
    const res = await sendV1(server.url, {
      Action: 'DescribeFlowLogs',
      RegionId: world.regionId,
      FlowLogId: 'fl-bp1doesnotexist0000000',
    });
    expect(res.text).toContain('"FlowLogs":{"FlowLog":[]}');
    expect(res.json()).toMatchObject({ TotalCount: '0', Success: 'true' });
  });

  it('renders the same in XML with wrapper and item elements', async () => {
    const id = await create({
      resourceId: world.eniIds[1],
      tag: [new VpcModels.CreateFlowLogRequestTag({ key: 'k', value: 'v' })],
    });
    const res = await sendV1(server.url, {
      Action: 'DescribeFlowLogs',
      RegionId: world.regionId,
      FlowLogId: id,
      Format: 'XML',
    });
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    const doc = new XMLParser({
      isArray: (name) => ['FlowLog', 'Tag', 'TrafficPathList'].includes(name),
    }).parse(res.text) as { DescribeFlowLogsResponse: Record<string, unknown> };
    const root = doc.DescribeFlowLogsResponse;
    expect(root['TotalCount']).toBe(1);
    const item = (root['FlowLogs'] as { FlowLog: Record<string, unknown>[] }).FlowLog[0]!;
    expect(item['FlowLogId']).toBe(id);
    expect(item['TrafficPath']).toEqual({ TrafficPathList: ['all'] });
    expect(item['Tags']).toEqual({ Tag: [{ Key: 'k', Value: 'v' }] });
    const empty = await sendV1(server.url, {
      Action: 'DescribeFlowLogs',
      RegionId: world.regionId,
      FlowLogId: 'fl-none',
      Format: 'XML',
    });
    expect(empty.text).toContain('<FlowLogs></FlowLogs>');
  });
});

describe('DescribeFlowLogs filters', () => {
  let w: World;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    w = await makeWorld(server.app, { enis: 3, logstores: 3 });
    const base = { regionId: w.regionId, projectName: w.project };
    const make = async (name: string, over: Partial<VpcModels.CreateFlowLogRequest>): Promise<void> => {
      const res = await client.createFlowLog(
        new VpcModels.CreateFlowLogRequest({ ...base, flowLogName: name, trafficType: 'All', ...over }),
      );
      ids[name] = res.body!.flowLogId!;
    };
    await make('eni-all', {
      resourceType: 'NetworkInterface',
      resourceId: w.eniIds[0],
      logStoreName: w.logstores[0],
    });
    await make('eni-allow', {
      resourceType: 'NetworkInterface',
      resourceId: w.eniIds[1],
      logStoreName: w.logstores[1],
      trafficType: 'Allow',
      description: 'second',
      tag: [
        new VpcModels.CreateFlowLogRequestTag({ key: 'team', value: 'net' }),
        new VpcModels.CreateFlowLogRequestTag({ key: 'env', value: 'prod' }),
      ],
    });
    await make('vsw', {
      resourceType: 'VSwitch',
      resourceId: w.vswitchId,
      logStoreName: w.logstores[2],
      tag: [new VpcModels.CreateFlowLogRequestTag({ key: 'team', value: 'net' })],
    });
    await make('vpc', {
      resourceType: 'VPC',
      resourceId: w.vpcId,
      logStoreName: w.logstores[0],
      trafficType: 'Drop',
    });
  });

  it.each([
    [{ flowLogName: 'eni-allow' }, ['eni-allow']],
    [{ description: 'second' }, ['eni-allow']],
    [{ resourceType: 'VSwitch' }, ['vsw']],
    [{ resourceId: 'ENI0' }, ['eni-all']],
    [{ trafficType: 'Drop' }, ['vpc']],
    [{ logStoreName: 'store-2' }, ['vsw']],
    [{ status: 'Active' }, ['vpc', 'vsw', 'eni-allow', 'eni-all']],
    [{ status: 'Inactive' }, []],
    [{ tags: [{ key: 'team', value: 'net' }] }, ['vsw', 'eni-allow']],
    [
      {
        tags: [
          { key: 'team', value: 'net' },
          { key: 'env', value: 'prod' },
        ],
      },
      ['eni-allow'],
    ],
    [{ trafficType: 'All', logStoreName: 'store-0' }, ['eni-all']],
    [{ flowLogName: 'ENI-ALL' }, []],
  ] as const)('%j matches %j (newest first)', async (filter, expected) => {
    const req: Record<string, unknown> = { projectName: w.project, ...filter };
    if (req['resourceId'] === 'ENI0') req['resourceId'] = w.eniIds[0];
    if (req['tags']) {
      req['tags'] = (req['tags'] as { key: string; value: string }[]).map(
        (t) => new VpcModels.DescribeFlowLogsRequestTags(t),
      );
    }
    expect(await describeIds(req)).toEqual(expected.map((n) => ids[n]));
  });

  it('an empty Tags.N.Value matches only the empty value; no Value matches the key alone', async () => {
    const x = await makeWorld(server.app);
    const make = async (value: string): Promise<string> =>
      String(
        (
          await sendV1(server.url, {
            Action: 'CreateFlowLog',
            RegionId: x.regionId,
            ResourceType: 'VPC',
            ResourceId: x.vpcId,
            TrafficType: value ? 'Allow' : 'Drop',
            ProjectName: x.project,
            LogStoreName: x.logstores[0]!,
            'Tag.1.Key': 'mark',
            'Tag.1.Value': value,
          })
        ).json()['FlowLogId'],
      );
    const empty = await make('');
    const filled = await make('set');
    const find = async (extra: Record<string, string>): Promise<string[]> => {
      const body = (
        await sendV1(server.url, {
          Action: 'DescribeFlowLogs',
          RegionId: x.regionId,
          VpcId: x.vpcId,
          ...extra,
        })
      ).json();
      return (body['FlowLogs'] as { FlowLog: { FlowLogId: string }[] }).FlowLog.map((f) => f.FlowLogId);
    };
    expect(await find({ 'Tags.1.Key': 'mark', 'Tags.1.Value': '' })).toEqual([empty]);
    expect(await find({ 'Tags.1.Key': 'mark', 'Tags.1.Value': 'set' })).toEqual([filled]);
    expect(await find({ 'Tags.1.Key': 'mark' })).toEqual([filled, empty]);
  });

  it('VpcId matches flow logs on the VPC and on its vSwitches and ENIs', async () => {
    expect(await describeIds({ vpcId: w.vpcId })).toEqual(
      ['vpc', 'vsw', 'eni-allow', 'eni-all'].map((n) => ids[n]),
    );
  });

  it('ResourceGroupId filters by the group; an unknown group matches nothing', async () => {
    expect(
      await describeIds({ projectName: w.project, resourceGroupId: defaultResourceGroupId(w.accountId) }),
    ).toHaveLength(4);
    expect(await describeIds({ projectName: w.project, resourceGroupId: 'rg-acfmnothere000000' })).toEqual(
      [],
    );
  });

  it('pages in a stable order without repeats or gaps; TotalCount counts all matches', async () => {
    const all: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await client.describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({
          regionId: w.regionId,
          vpcId: w.vpcId,
          pageSize: 3,
          pageNumber: page,
        }),
      );
      expect(res.body?.totalCount).toBe('4');
      expect(res.body?.pageSize).toBe('3');
      expect(res.body?.pageNumber).toBe(String(page));
      all.push(...(res.body?.flowLogs?.flowLog ?? []).map((f) => f.flowLogId!));
    }
    expect(all).toEqual(['vpc', 'vsw', 'eni-allow', 'eni-all'].map((n) => ids[n]));
  });

  it('pop-core GET finds the same flow logs', async () => {
    const res = await popClient(server.url).request<{
      TotalCount: string;
      FlowLogs: { FlowLog: { FlowLogId: string }[] };
    }>('DescribeFlowLogs', {
      RegionId: w.regionId,
      VpcId: w.vpcId,
      'Tags.1.Key': 'team',
      'Tags.1.Value': 'net',
    });
    expect(res.TotalCount).toBe('2');
    expect(res.FlowLogs.FlowLog.map((f) => f.FlowLogId)).toEqual([ids['vsw'], ids['eni-allow']]);
  });

  it('another account sees none of them, and its own resource IDs only', async () => {
    const other = await makeAccount(server.app, '9999000011112222');
    const otherClient = vpcClient(server.endpoint, other);
    const res = await otherClient.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId }),
    );
    expect(res.body?.totalCount).toBe('0');
    const err = await sdkError(() =>
      otherClient.describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, vpcId: w.vpcId }),
      ),
    );
    expect(err.code).toBe('InvalidInstanceId');
  });
});

describe('DescribeFlowLogs errors', () => {
  const describeWith = (req: Record<string, unknown>) => () =>
    client.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou', ...req }));

  it.each([
    ['a bad ResourceType', { resourceType: 'Router' }],
    ['a bad TrafficType', { trafficType: 'all' }],
    ['a bad Status', { status: 'Running' }],
    ['a name starting with http://', { flowLogName: 'http://x' }],
    ['a description starting with https://', { description: 'https://x' }],
    ['a name over 128 characters', { flowLogName: 'n'.repeat(129) }],
    ['PageSize 0', { pageSize: 0 }],
    ['PageSize 51', { pageSize: 51 }],
    ['PageNumber 0', { pageNumber: 0 }],
    [
      '21 tag pairs',
      {
        tags: Array.from(
          { length: 21 },
          (_, i) => new VpcModels.DescribeFlowLogsRequestTags({ key: `k${i}`, value: 'v' }),
        ),
      },
    ],
    [
      'a tag key starting with aliyun',
      { tags: [new VpcModels.DescribeFlowLogsRequestTags({ key: 'aliyun-x', value: 'v' })] },
    ],
    [
      'a tag key starting with acs:',
      { tags: [new VpcModels.DescribeFlowLogsRequestTags({ key: 'acs:x', value: 'v' })] },
    ],
    [
      'a tag key over 128 characters',
      { tags: [new VpcModels.DescribeFlowLogsRequestTags({ key: 'k'.repeat(129), value: 'v' })] },
    ],
  ])('ParameterInvalid (400) for %s', async (_what, req) => {
    const err = await sdkError(describeWith(req));
    expect(err.code).toBe('ParameterInvalid');
    expect(err.statusCode).toBe(400);
  });

  it('InvalidInstanceId (400, "Instance does not exist.") for an unknown ResourceId or VpcId', async () => {
    for (const req of [
      { resourceId: 'eni-bp1nothere' },
      { vpcId: 'vpc-bp1nothere' },
      { resourceType: 'VPC', resourceId: world.eniIds[0] },
    ]) {
      const err = await sdkError(describeWith(req));
      expect(err.code).toBe('InvalidInstanceId');
      expect(err.statusCode).toBe(400);
      expect(err.message).toContain('Instance does not exist.');
    }
  });

  it('SourceProjectNotExist and ProjectOrLogstoreNotExist', async () => {
    const a = await sdkError(describeWith({ projectName: 'no-such-project' }));
    expect(a.code).toBe('SourceProjectNotExist');
    expect(a.message).toContain('The Source Project or logstore does not exist.');
    const b = await sdkError(describeWith({ projectName: world.project, logStoreName: 'no-such-store' }));
    expect(b.code).toBe('ProjectOrLogstoreNotExist');
    const c = await sdkError(describeWith({ logStoreName: 'no-such-store' }));
    expect(c.code).toBe('ProjectOrLogstoreNotExist');
  });

  it('Unauthorized when OwnerAccount names another account', async () => {
    const err = await sdkError(() =>
      vpcClient(server.endpoint).describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: 'cn-hangzhou', ownerAccount: '9999999999999999' }),
      ),
    );
    expect(err.code).toBe('Unauthorized');
    expect(err.message).toContain('This api does not support sub user or role.');
  });

  it('MissingRegionId and InvalidRegionId.NotFound', async () => {
    const missing = await sdkError(() => popClient(server.url).request('DescribeFlowLogs', {}));
    expect(missing.code).toBe('MissingRegionId');
    const unknown = await sdkError(describeWith({ regionId: 'cn-nowhere' }));
    expect(unknown.code).toBe('InvalidRegionId.NotFound');
  });
});
