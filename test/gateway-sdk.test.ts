/**
 * The official SDKs, unmodified, over a real socket: every client and signing scheme calls
 * DescribeRegions successfully.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { popClient, vpcClient, vpcClientV6, VpcModels } from './support/clients.js';
import { sendV1 } from './support/raw-signer.js';
import { startTestServer, type TestServer } from './support/server.js';
import { TEST_DB } from './support/test-store.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

function expectRegions(regions: { regionId?: string; localName?: string; regionEndpoint?: string }[]): void {
  const hangzhou = regions.find((r) => r.regionId === 'cn-hangzhou');
  expect(hangzhou).toEqual({
    regionId: 'cn-hangzhou',
    localName: '华东1（杭州）',
    regionEndpoint: 'vpc.aliyuncs.com',
  });
  expect(regions.find((r) => r.regionId === 'eu-central-1')?.regionEndpoint).toBe(
    'vpc.eu-central-1.aliyuncs.com',
  );
  expect(regions.length).toBeGreaterThan(20);
}

describe('DescribeRegions through the official SDKs', () => {
  it('@alicloud/vpc20160428 7.x, default ACS3-HMAC-SHA256 signing', async () => {
    const res = await vpcClient(server.endpoint).describeRegions(new VpcModels.DescribeRegionsRequest({}));
    expect(res.statusCode).toBe(200);
    expect(res.body?.requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(res.headers?.['x-acs-request-id']).toBe(res.body?.requestId);
    expectRegions(res.body?.regions?.region ?? []);
  });

  it('@alicloud/vpc20160428 7.x with signatureAlgorithm v2 (HMAC-SHA1)', async () => {
    const client = vpcClient(server.endpoint, { signatureAlgorithm: 'v2' });
    const res = await client.describeRegions(
      new VpcModels.DescribeRegionsRequest({ acceptLanguage: 'en-US' }),
    );
    expect(res.body?.regions?.region?.find((r) => r.regionId === 'cn-hangzhou')?.localName).toBe(
      'China (Hangzhou)',
    );
  });

  it('@alicloud/vpc20160428 6.x (openapi-client), v3 and v2', async () => {
    for (const algo of [undefined, 'v2'] as const) {
      const client = vpcClientV6(server.endpoint, algo ? { signatureAlgorithm: algo } : {});
      const res = await client.describeRegions(new VpcModels.DescribeRegionsRequest({}));
      expectRegions(res.body?.regions?.region ?? []);
    }
  });

  it('@alicloud/pop-core with GET and with POST (form body)', async () => {
    type Reply = { RequestId: string; Regions: { Region: { RegionId: string; LocalName: string }[] } };
    const pop = popClient(server.url);
    const viaGet = await pop.request<Reply>('DescribeRegions', {});
    const viaPost = await pop.request<Reply>(
      'DescribeRegions',
      { AcceptLanguage: 'en-US' },
      { method: 'POST' },
    );
    expect(viaGet.Regions.Region.find((r) => r.RegionId === 'cn-beijing')?.LocalName).toBe('华北2（北京）');
    expect(viaPost.Regions.Region.find((r) => r.RegionId === 'cn-beijing')?.LocalName).toBe(
      'China (Beijing)',
    );
    expect(viaGet).not.toHaveProperty('Code');
  });

  it('answers XML with the <{Action}Response> root and item elements', async () => {
    const res = await sendV1(server.url, {
      Action: 'DescribeRegions',
      Format: 'xml',
      AcceptLanguage: 'en-US',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=utf-8');
    expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><DescribeRegionsResponse>')).toBe(true);
    const doc = new XMLParser().parse(res.text) as {
      DescribeRegionsResponse: {
        RequestId: string;
        Regions: { Region: { RegionId: string; LocalName: string }[] };
      };
    };
    expect(doc.DescribeRegionsResponse.RequestId).toBe(res.headers.get('x-acs-request-id'));
    expect(doc.DescribeRegionsResponse.Regions.Region).toContainEqual({
      RegionId: 'cn-shanghai',
      LocalName: 'China (Shanghai)',
      RegionEndpoint: 'vpc.aliyuncs.com',
    });
  });

  it('answers JSON with the JSON content type by default', async () => {
    const res = await sendV1(server.url, { Action: 'DescribeRegions' }, { method: 'POST', form: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(res.json()).not.toHaveProperty('Code');
  });

  it('serves the unsigned health endpoint', async () => {
    const res = await fetch(`${server.url}/_vpcflow/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: '0.1.0', store: TEST_DB, storeReachable: true });
    expect(typeof body['uptimeSeconds']).toBe('number');
  });
});
