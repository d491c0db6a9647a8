/**
 * Every entry of the flow-log error catalog, provoked through the official Vpc SDK over a real socket,
 * with its Code and HTTP status. The test fails if an entry has no provoker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_LOG_ERRORS } from '../src/products/vpc/flow-logs/flow-log-errors.js';
import { sdkError, vpcClient, VpcModels, type SdkError, type VpcClient } from './support/clients.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

let server: TestServer;
let client: VpcClient;
let w: World;
let activating: string;

beforeAll(async () => {
  server = await startTestServer({ transitionMs: 60_000 });
  client = vpcClient(server.endpoint);
  w = await makeWorld(server.app);
  activating = (await client.createFlowLog(create({}))).body!.flowLogId!;
});
afterAll(async () => server.close());

function create(over: Partial<VpcModels.CreateFlowLogRequest>): VpcModels.CreateFlowLogRequest {
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

const tag = (key: string): VpcModels.TagResourcesRequestTag =>
  new VpcModels.TagResourcesRequestTag({ key, value: 'v' });

const provokers: Record<keyof typeof FLOW_LOG_ERRORS, () => Promise<SdkError>> = {
  ParameterInvalid: () => sdkError(() => client.createFlowLog(create({ aggregationInterval: 2 }))),
  InvalidInstanceId: () => sdkError(() => client.createFlowLog(create({ resourceId: 'eni-bp1none' }))),
  SourceProjectNotExist: () =>
    sdkError(() =>
      client.describeFlowLogs(
        new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, projectName: 'none-such' }),
      ),
    ),
  ProjectOrLogstoreNotExist: () =>
    sdkError(() => client.createFlowLog(create({ logStoreName: 'none-such' }))),
  Unauthorized: () =>
    sdkError(() =>
      client.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId, ownerId: 1 })),
    ),
  InvalidStatus: () =>
    sdkError(() =>
      client.deactiveFlowLog(
        new VpcModels.DeactiveFlowLogRequest({ regionId: w.regionId, flowLogId: activating }),
      ),
    ),
  FlowLogAlreadyExists: () => sdkError(() => client.createFlowLog(create({}))),
  ResourceGroupNotFound: () =>
    sdkError(() => client.createFlowLog(create({ trafficType: 'Drop', resourceGroupId: 'rg-none' }))),
  TagResourceNotFound: () =>
    sdkError(() =>
      client.tagResources(
        new VpcModels.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'FLOWLOG',
          resourceId: ['fl-none'],
          tag: [tag('a')],
        }),
      ),
    ),
  TagQuotaExceeded: () =>
    sdkError(() =>
      client
        .tagResources(
          new VpcModels.TagResourcesRequest({
            regionId: w.regionId,
            resourceType: 'VPC',
            resourceId: [w.vpcId],
            tag: Array.from({ length: 20 }, (_, i) => tag(`k${i}`)),
          }),
        )
        .then(() =>
          client.tagResources(
            new VpcModels.TagResourcesRequest({
              regionId: w.regionId,
              resourceType: 'VPC',
              resourceId: [w.vpcId],
              tag: [tag('one-more')],
            }),
          ),
        ),
    ),
  MissingResourceIdOrTag: () =>
    sdkError(() =>
      client.listTagResources(
        new VpcModels.ListTagResourcesRequest({ regionId: w.regionId, resourceType: 'VPC' }),
      ),
    ),
};

describe('the flow-log error catalog', () => {
  it.each(Object.keys(FLOW_LOG_ERRORS) as (keyof typeof FLOW_LOG_ERRORS)[])(
    '%s is reachable with its code and status',
    async (name) => {
      const entry = FLOW_LOG_ERRORS[name];
      const err = await provokers[name]();
      expect(err.code).toBe(entry.code);
      expect(err.statusCode).toBe(entry.status);
      expect(err.message).toContain(entry.message.replace(/\{\w+\}.*$/, ''));
    },
  );
});
