/**
 * DescribeFlowLogs paging with tag and column filters: every page size gives the matches once each, in
 * the newest-first order of the unfiltered listing (ties by FlowLogId), whether a page is read from the
 * newest or the oldest end and whether the tag came with CreateFlowLog or later with TagResources
 * (src/store/repos/flow-log-repo.ts, migration 24).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendV1 } from './support/raw-signer.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

let server: TestServer;
let w: World;
/** Every flow log of the world, newest first as the unfiltered listing gives them. */
let newestFirst: string[] = [];
const tagsOf = new Map<string, Record<string, string>>();
const trafficOf = new Map<string, string>();

async function call(params: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await sendV1(server.url, { RegionId: w.regionId, ...params });
  expect(res.status).toBe(200);
  return res.json();
}

async function page(
  filter: Record<string, string>,
  size: number,
  number: number,
): Promise<{ total: number; ids: string[] }> {
  const body = await call({
    Action: 'DescribeFlowLogs',
    ...filter,
    PageSize: String(size),
    PageNumber: String(number),
  });
  const items = (body['FlowLogs'] as { FlowLog: { FlowLogId: string }[] }).FlowLog;
  return { total: Number(body['TotalCount']), ids: items.map((f) => f.FlowLogId) };
}

beforeAll(async () => {
  server = await startTestServer();
  w = await makeWorld(server.app, { enis: 3, logstores: 1 });
  const traffic = ['All', 'Allow', 'Drop'];
  for (let i = 0; i < 8; i++) {
    const tags: Record<string, string> = {};
    if (i % 2 === 0) tags['team'] = i % 4 === 0 ? 'a' : 'b';
    if (i % 3 === 0) tags['env'] = 'dev';
    const atCreate = i < 4 ? Object.entries(tags) : [];
    const body = await call({
      Action: 'CreateFlowLog',
      ResourceType: 'NetworkInterface',
      ResourceId: w.eniIds[i % 3]!,
      TrafficType: traffic[Math.floor(i / 3)]!,
      ProjectName: w.project,
      LogStoreName: w.logstores[0]!,
      ...Object.fromEntries(
        atCreate.flatMap(([k, v], n) => [
          [`Tag.${n + 1}.Key`, k],
          [`Tag.${n + 1}.Value`, v],
        ]),
      ),
    });
    const id = String(body['FlowLogId']);
    tagsOf.set(id, tags);
    trafficOf.set(id, traffic[Math.floor(i / 3)]!);
    // The later half gets its tags afterwards, as TagResources.
    if (i >= 4 && Object.keys(tags).length > 0) {
      await call({
        Action: 'TagResources',
        ResourceType: 'FLOWLOG',
        'ResourceId.1': id,
        ...Object.fromEntries(
          Object.entries(tags).flatMap(([k, v], n) => [
            [`Tag.${n + 1}.Key`, k],
            [`Tag.${n + 1}.Value`, v],
          ]),
        ),
      });
    }
  }
  newestFirst = (await page({}, 50, 1)).ids;
  expect(newestFirst).toHaveLength(8);
});
afterAll(async () => server.close());

describe('DescribeFlowLogs pages', () => {
  const cases: [string, Record<string, string>, (id: string) => boolean][] = [
    ['one tag', { 'Tags.1.Key': 'team', 'Tags.1.Value': 'a' }, (id) => tagsOf.get(id)!['team'] === 'a'],
    ['a tag key alone', { 'Tags.1.Key': 'team' }, (id) => tagsOf.get(id)!['team'] !== undefined],
    [
      'two tags',
      { 'Tags.1.Key': 'env', 'Tags.1.Value': 'dev', 'Tags.2.Key': 'team' },
      (id) => tagsOf.get(id)!['env'] === 'dev' && tagsOf.get(id)!['team'] !== undefined,
    ],
    [
      'a tag and a column',
      { 'Tags.1.Key': 'team', TrafficType: 'All' },
      (id) => tagsOf.get(id)!['team'] !== undefined && trafficOf.get(id) === 'All',
    ],
    ['a column', { TrafficType: 'Allow' }, (id) => trafficOf.get(id) === 'Allow'],
    ['no filter', {}, () => true],
  ];

  it.each(cases)('%s: every page size walks the matches once, newest first', async (_, filter, matches) => {
    const expected = newestFirst.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 50]) {
      const seen: string[] = [];
      for (let n = 1; n <= Math.ceil(expected.length / size); n++) {
        const p = await page(filter, size, n);
        expect(p.total).toBe(expected.length);
        seen.push(...p.ids);
      }
      expect(seen).toEqual(expected);
      const past = await page(filter, size, Math.ceil(expected.length / size) + 1);
      expect(past).toEqual({ total: expected.length, ids: [] });
    }
  });
});
