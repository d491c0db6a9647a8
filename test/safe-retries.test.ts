/**
 * ClientToken idempotency and DryRun through the official clients over a real socket: for every
 * operation that takes ClientToken, a retry with the same token answers like the first time and does
 * nothing else (also after a restart, also when the two arrive together), a changed retry is refused;
 * for every operation that takes DryRun, a passing dry run answers DryRunOperation and a failing one
 * its real error, with the store unchanged either way.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { ConfigError, resolveConfig } from '../src/config.js';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { createSecurityGroup } from '../src/products/ecs/security-groups/security-group-service.js';
import { popClient, sdkError, vpcClient, VpcModels } from './support/clients.js';
import { ecsClient, EcsModels } from './support/ecs-client.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { insertEni, insertNetwork, makeAccount, makeWorld } from './support/world.js';

const REGION = 'cn-hangzhou';
type Wire = Record<string, string>;
type Body = Record<string, unknown>;
type Via = 'sdk' | 'pop-core';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const unique = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;
const token = (): string => `tok-${randomBytes(12).toString('hex')}`;

async function countRows(app: App, table: string, column: string, value: string): Promise<number> {
  const row = await app.store.db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`,
    [value],
  );
  return Number(row?.n ?? 0);
}

/** A VPC with no vSwitch, written into the store; returns its ID. */
async function emptyVpc(app: App): Promise<string> {
  const net = await insertNetwork(app);
  await app.store.db.run('DELETE FROM vswitches WHERE vswitch_id = ?', [net.vswitchId]);
  return net.vpcId;
}

/** One request of an operation under test, prepared on a server. */
interface Prepared {
  /** Wire parameters, without ClientToken. */
  params: Wire;
  /** The same request with one parameter changed. */
  changed: Wire;
  /** How many of the resources the request makes (or, for a delete, leaves) exist. */
  count(app: App): Promise<number>;
  expected: number;
}

interface TokenCase {
  action: string;
  apiVersion: string;
  prepare(app: App): Promise<Prepared>;
  /** Sends through the product's official Tea SDK; returns the body as a map (wire names). */
  sdk(endpoint: string, p: Wire): Promise<Body>;
}

const tokenCases: TokenCase[] = [
  {
    action: 'CreateVpc',
    apiVersion: '2016-04-28',
    async prepare() {
      const name = unique('vpc');
      const params = { RegionId: REGION, CidrBlock: '10.0.0.0/16', VpcName: name };
      return {
        params,
        changed: { ...params, CidrBlock: '192.168.0.0/16' },
        count: (app) => countRows(app, 'vpcs', 'name', name),
        expected: 1,
      };
    },
    async sdk(endpoint, p) {
      const res = await vpcClient(endpoint).createVpc(
        new VpcModels.CreateVpcRequest({
          regionId: p['RegionId'],
          cidrBlock: p['CidrBlock'],
          vpcName: p['VpcName'],
          clientToken: p['ClientToken'],
        }),
      );
      return res.body!.toMap();
    },
  },
  {
    action: 'CreateVSwitch',
    apiVersion: '2016-04-28',
    async prepare(app) {
      const net = await insertNetwork(app);
      const name = unique('vsw');
      const params = {
        RegionId: REGION,
        VpcId: net.vpcId,
        ZoneId: 'cn-hangzhou-h',
        CidrBlock: '10.0.2.0/24',
        VSwitchName: name,
      };
      return {
        params,
        changed: { ...params, CidrBlock: '10.0.3.0/24' },
        count: (a) => countRows(a, 'vswitches', 'name', name),
        expected: 1,
      };
    },
    async sdk(endpoint, p) {
      const res = await vpcClient(endpoint).createVSwitch(
        new VpcModels.CreateVSwitchRequest({
          regionId: p['RegionId'],
          vpcId: p['VpcId'],
          zoneId: p['ZoneId'],
          cidrBlock: p['CidrBlock'],
          vSwitchName: p['VSwitchName'],
          clientToken: p['ClientToken'],
        }),
      );
      return res.body!.toMap();
    },
  },
  {
    action: 'DeleteVpc',
    apiVersion: '2016-04-28',
    async prepare(app) {
      const vpcId = await emptyVpc(app);
      const params = { RegionId: REGION, VpcId: vpcId };
      return {
        params,
        changed: { ...params, VpcId: await emptyVpc(app) },
        count: (a) => countRows(a, 'vpcs', 'vpc_id', vpcId),
        expected: 0,
      };
    },
    async sdk(endpoint, p) {
      const res = await vpcClient(endpoint).deleteVpc(
        new VpcModels.DeleteVpcRequest({
          regionId: p['RegionId'],
          vpcId: p['VpcId'],
          clientToken: p['ClientToken'],
        }),
      );
      return res.body!.toMap();
    },
  },
  {
    action: 'CreateSecurityGroup',
    apiVersion: '2014-05-26',
    async prepare(app) {
      const net = await insertNetwork(app);
      const name = unique('sg');
      const params = { RegionId: REGION, VpcId: net.vpcId, SecurityGroupName: name };
      return {
        params,
        changed: { ...params, Description: 'another group' },
        count: (a) => countRows(a, 'security_groups', 'name', name),
        expected: 1,
      };
    },
    async sdk(endpoint, p) {
      const res = await ecsClient(endpoint).createSecurityGroup(
        new EcsModels.CreateSecurityGroupRequest({
          regionId: p['RegionId'],
          vpcId: p['VpcId'],
          securityGroupName: p['SecurityGroupName'],
          description: p['Description'],
          clientToken: p['ClientToken'],
        }),
      );
      return res.body!.toMap();
    },
  },
  {
    action: 'CreateNetworkInterface',
    apiVersion: '2014-05-26',
    async prepare(app) {
      const net = await insertNetwork(app);
      const group = await app.store.transaction((repos) =>
        createSecurityGroup(repos, { accountId: DEV_ACCOUNT_ID, regionId: REGION }, { vpcId: net.vpcId }),
      );
      const name = unique('eni');
      const params = {
        RegionId: REGION,
        VSwitchId: net.vswitchId,
        SecurityGroupId: group.security_group_id,
        NetworkInterfaceName: name,
      };
      return {
        params,
        changed: { ...params, PrimaryIpAddress: '10.0.1.77' },
        count: (a) => countRows(a, 'network_interfaces', 'name', name),
        expected: 1,
      };
    },
    async sdk(endpoint, p) {
      const res = await ecsClient(endpoint).createNetworkInterface(
        new EcsModels.CreateNetworkInterfaceRequest({
          regionId: p['RegionId'],
          vSwitchId: p['VSwitchId'],
          securityGroupId: p['SecurityGroupId'],
          networkInterfaceName: p['NetworkInterfaceName'],
          primaryIpAddress: p['PrimaryIpAddress'],
          clientToken: p['ClientToken'],
        }),
      );
      return res.body!.toMap();
    },
  },
];

function sender(c: TokenCase, via: Via): (s: TestServer, p: Wire) => Promise<Body> {
  return via === 'sdk'
    ? (s, p) => c.sdk(s.endpoint, p)
    : (s, p) => popClient(s.url, { apiVersion: c.apiVersion }).request<Body>(c.action, p, { method: 'POST' });
}

/** The answer without its RequestId, and the RequestId. */
function split(body: Body): { requestId: string; answer: Body } {
  const { RequestId, ...answer } = body;
  return { requestId: String(RequestId), answer };
}

describe.each(tokenCases.flatMap((c) => (['sdk', 'pop-core'] as const).map((via) => ({ c, via }))))(
  '$c.action with a ClientToken, through $via',
  ({ c, via }) => {
    const send = sender(c, via);

    it('a retry with the same token returns the first answer with a new RequestId and does nothing else', async () => {
      const req = await c.prepare(server.app);
      const t = token();
      const first = split(await send(server, { ...req.params, ClientToken: t }));
      const again = split(await send(server, { ...req.params, ClientToken: t }));
      expect(again.answer).toEqual(first.answer);
      expect(again.requestId).not.toBe(first.requestId);
      expect(await req.count(server.app)).toBe(req.expected);
    });

    it('the same token with different parameters gets IdempotentParameterMismatch and changes nothing', async () => {
      const req = await c.prepare(server.app);
      const t = token();
      await send(server, { ...req.params, ClientToken: t });
      const before = await dumpStore(server.app);
      const err = await sdkError(() => send(server, { ...req.changed, ClientToken: t }));
      expect(err.code).toBe('IdempotentParameterMismatch');
      if (via === 'sdk') expect(err.statusCode).toBe(400);
      expect(err.message).toContain(
        'Request uses a client token in a previous request but is not identical to that request.',
      );
      expect(await dumpStore(server.app)).toEqual(before);
    });

    it('a retry after a restart still returns the first answer', async () => {
      const dataDir = tempDir();
      const first = await startTestServer({ inMemory: false, dataDir });
      const t = token();
      let req: Prepared;
      let answer: Body;
      try {
        req = await c.prepare(first.app);
        answer = split(await send(first, { ...req.params, ClientToken: t })).answer;
      } finally {
        await first.close();
      }
      const second = await startTestServer({ inMemory: false, dataDir });
      try {
        expect(split(await send(second, { ...req.params, ClientToken: t })).answer).toEqual(answer);
        expect(await req.count(second.app)).toBe(req.expected);
      } finally {
        await second.close();
      }
    });

    it('two requests with the same token at once make one resource and get one answer', async () => {
      const req = await c.prepare(server.app);
      const t = token();
      const [a, b] = await Promise.all([
        send(server, { ...req.params, ClientToken: t }),
        send(server, { ...req.params, ClientToken: t }),
      ]);
      expect(split(a).answer).toEqual(split(b).answer);
      expect(await req.count(server.app)).toBe(req.expected);
    });
  },
);

describe('ClientToken scope and lifetime', () => {
  const createVpc = (p: Wire, creds = {}) =>
    popClient(server.url, creds).request<Body>('CreateVpc', { RegionId: REGION, ...p }, { method: 'POST' });

  it('without a token every request does its work (two VPCs)', async () => {
    const name = unique('vpc');
    const a = await createVpc({ VpcName: name });
    const b = await createVpc({ VpcName: name });
    expect(a['VpcId']).not.toBe(b['VpcId']);
    expect(await countRows(server.app, 'vpcs', 'name', name)).toBe(2);
  });

  it('the same request through another client (form body, other signature) is the same retry', async () => {
    const t = token();
    const name = unique('vpc');
    const viaSdk = await tokenCases[0]!.sdk(server.endpoint, {
      RegionId: REGION,
      VpcName: name,
      ClientToken: t,
    });
    const viaPop = await createVpc({ VpcName: name, ClientToken: t });
    expect(split(viaPop).answer).toEqual(split(viaSdk).answer);
    expect(await countRows(server.app, 'vpcs', 'name', name)).toBe(1);
  });

  it('is scoped by account: another account with the same token gets its own resource', async () => {
    const other = await makeAccount(server.app, '1999888877776666');
    const t = token();
    const name = unique('vpc');
    const mine = await createVpc({ VpcName: name, ClientToken: t });
    const theirs = await createVpc({ VpcName: name, ClientToken: t }, other);
    expect(theirs['VpcId']).not.toBe(mine['VpcId']);
    expect(await countRows(server.app, 'vpcs', 'name', name)).toBe(2);
  });

  it('is scoped by operation: the same token on another operation is not a mismatch', async () => {
    const t = token();
    const vpc = await createVpc({ CidrBlock: '10.0.0.0/16', ClientToken: t });
    const vsw = await popClient(server.url).request<Body>(
      'CreateVSwitch',
      {
        RegionId: REGION,
        VpcId: String(vpc['VpcId']),
        ZoneId: 'cn-hangzhou-h',
        CidrBlock: '10.0.5.0/24',
        ClientToken: t,
      },
      { method: 'POST' },
    );
    expect(vsw['VSwitchId']).toMatch(/^vsw-/);
  });

  it('expires: after its window the same token does the work again', async () => {
    const t = token();
    const name = unique('vpc');
    const first = await createVpc({ VpcName: name, ClientToken: t });
    await server.app.store.db.run('UPDATE client_tokens SET expires_at = ? WHERE client_token = ?', [
      Date.now() - 1,
      t,
    ]);
    const second = await createVpc({ VpcName: name, ClientToken: t });
    expect(second['VpcId']).not.toBe(first['VpcId']);
    expect(await countRows(server.app, 'vpcs', 'name', name)).toBe(2);
    // The expired row was swept when the new answer was kept.
    expect(await countRows(server.app, 'client_tokens', 'client_token', t)).toBe(1);
  });

  it('a failed request is not remembered: the same retry succeeds once the cause is gone', async () => {
    const net = await insertNetwork(server.app);
    const t = token();
    const blocked = await sdkError(() => createVpcLessDelete(net.vpcId, t));
    expect(blocked.code).toBe('DependencyViolation.VSwitch');
    await server.app.store.db.run('DELETE FROM vswitches WHERE vswitch_id = ?', [net.vswitchId]);
    await createVpcLessDelete(net.vpcId, t);
    expect(await countRows(server.app, 'vpcs', 'vpc_id', net.vpcId)).toBe(0);
    // And the success is what the token now answers, even though the VPC is gone.
    await createVpcLessDelete(net.vpcId, t);
  });

  it('is ignored by operations whose API has no such parameter', async () => {
    // DeleteVSwitch has DryRun but no ClientToken: a token it would refuse is just an unknown parameter.
    const net = await insertNetwork(server.app);
    await popClient(server.url).request(
      'DeleteVSwitch',
      { RegionId: REGION, VSwitchId: net.vswitchId, ClientToken: 'é'.repeat(70) },
      { method: 'POST' },
    );
    expect(await countRows(server.app, 'vswitches', 'vswitch_id', net.vswitchId)).toBe(0);
    // CreateSecurityGroup has ClientToken but no DryRun: DryRun=true creates the group.
    const name = unique('sg');
    await popClient(server.url, { apiVersion: '2014-05-26' }).request(
      'CreateSecurityGroup',
      { RegionId: REGION, VpcId: net.vpcId, SecurityGroupName: name, DryRun: 'true' },
      { method: 'POST' },
    );
    expect(await countRows(server.app, 'security_groups', 'name', name)).toBe(1);
  });

  it('has a configurable window: VPCFLOW_CLIENT_TOKEN_TTL_MS, a day by default, 1 minute to 30 days', async () => {
    expect(resolveConfig({}, {}).clientTokenTtlMs).toBe(86_400_000);
    expect(resolveConfig({}, { VPCFLOW_CLIENT_TOKEN_TTL_MS: '60000' }).clientTokenTtlMs).toBe(60_000);
    expect(() => resolveConfig({}, { VPCFLOW_CLIENT_TOKEN_TTL_MS: '5' })).toThrow(ConfigError);
    expect(() => resolveConfig({}, { VPCFLOW_CLIENT_TOKEN_TTL_MS: '5' })).toThrow(
      '--client-token-ttl-ms / VPCFLOW_CLIENT_TOKEN_TTL_MS must be an integer from 60000 to 2592000000',
    );
    // The window the server was given is the one a kept token gets.
    const short = await startTestServer({ clientTokenTtlMs: 60_000 });
    try {
      const t = token();
      const before = Date.now();
      await popClient(short.url).request(
        'CreateVpc',
        { RegionId: REGION, ClientToken: t },
        { method: 'POST' },
      );
      const row = await short.app.store.db.get<{ expires_at: number }>(
        'SELECT expires_at FROM client_tokens WHERE client_token = ?',
        [t],
      );
      expect(Number(row?.expires_at)).toBeGreaterThanOrEqual(before + 60_000);
      expect(Number(row?.expires_at)).toBeLessThanOrEqual(Date.now() + 60_000);
    } finally {
      await short.close();
    }
  });

  it('takes up to 64 ASCII characters', async () => {
    const long = 'x'.repeat(64);
    await createVpc({ ClientToken: long });
    const err = await sdkError(() => createVpc({ ClientToken: 'jeton-é' }));
    expect(err.code).toBe('InvalidClientToken.ValueNotSupported');
  });
});

function createVpcLessDelete(vpcId: string, clientToken: string): Promise<unknown> {
  return vpcClient(server.endpoint).deleteVpc(
    new VpcModels.DeleteVpcRequest({ regionId: REGION, vpcId, clientToken }),
  );
}

/**
 * Tables the node writes on its own, whatever the requests do: signature nonces (every request),
 * the change journal folded in the background (PostgreSQL), the background-job leases a node
 * renews on a timer, and the data plane's window marks (src/cluster/leadership.ts).
 */
const BACKGROUND_TABLES = ['signature_nonces', 'data_changes', 'background_leases', 'window_marks'];

/** Every table's rows but the background ones, for "nothing changed" assertions. */
async function dumpStore(app: App): Promise<Record<string, unknown[]>> {
  const all = await app.store.db.all<{ name: string }>(
    app.store.kind === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of all) {
    if (BACKGROUND_TABLES.includes(name)) continue;
    out[name] = await app.store.db.all(`SELECT * FROM ${name} ORDER BY 1`);
  }
  return out;
}

interface DryRunCase {
  action: string;
  /** Returns wire parameters that pass every check, and ones that fail one, with its error code. */
  prepare(app: App): Promise<{ passing: Wire; failing: Wire; failingCode: string }>;
  sdk(endpoint: string, p: Wire): Promise<unknown>;
}

const dryRunCases: DryRunCase[] = [
  {
    action: 'CreateVpc',
    async prepare() {
      return {
        passing: { RegionId: REGION, CidrBlock: '10.0.0.0/16', VpcName: unique('dry') },
        failing: { RegionId: REGION, CidrBlock: '8.8.8.0/24' },
        failingCode: 'InvalidParameter',
      };
    },
    sdk: (endpoint, p) =>
      vpcClient(endpoint).createVpc(
        new VpcModels.CreateVpcRequest({
          regionId: p['RegionId'],
          cidrBlock: p['CidrBlock'],
          vpcName: p['VpcName'],
          dryRun: p['DryRun'] === 'true',
        }),
      ),
  },
  {
    action: 'DeleteVpc',
    async prepare(app) {
      const net = await insertNetwork(app);
      return {
        passing: { RegionId: REGION, VpcId: await emptyVpc(app) },
        failing: { RegionId: REGION, VpcId: net.vpcId },
        failingCode: 'DependencyViolation.VSwitch',
      };
    },
    sdk: (endpoint, p) =>
      vpcClient(endpoint).deleteVpc(
        new VpcModels.DeleteVpcRequest({
          regionId: p['RegionId'],
          vpcId: p['VpcId'],
          dryRun: p['DryRun'] === 'true',
        }),
      ),
  },
  {
    action: 'DeleteVSwitch',
    async prepare(app) {
      const free = await insertNetwork(app);
      const busy = await insertNetwork(app);
      await insertEni(app, busy, '10.0.1.9');
      return {
        passing: { RegionId: REGION, VSwitchId: free.vswitchId },
        failing: { RegionId: REGION, VSwitchId: busy.vswitchId },
        failingCode: 'DependencyViolation.NetworkInterface',
      };
    },
    sdk: (endpoint, p) =>
      vpcClient(endpoint).deleteVSwitch(
        new VpcModels.DeleteVSwitchRequest({
          regionId: p['RegionId'],
          vSwitchId: p['VSwitchId'],
          dryRun: p['DryRun'] === 'true',
        }),
      ),
  },
];

describe.each(dryRunCases.flatMap((c) => (['sdk', 'pop-core'] as const).map((via) => ({ c, via }))))(
  '$c.action with DryRun, through $via',
  ({ c, via }) => {
    const send = (p: Wire): Promise<unknown> =>
      via === 'sdk'
        ? c.sdk(server.endpoint, p)
        : popClient(server.url).request(c.action, p, { method: 'POST' });

    it('a request that would succeed answers DryRunOperation (400) and changes nothing', async () => {
      const { passing } = await c.prepare(server.app);
      const before = await dumpStore(server.app);
      const err = await sdkError(() => send({ ...passing, DryRun: 'true' }));
      expect(err.code).toBe('DryRunOperation');
      expect(err.message).toContain('Request validation has been passed with DryRun flag set.');
      if (via === 'sdk') expect(err.statusCode).toBe(400);
      expect(await dumpStore(server.app)).toEqual(before);
      // DryRun=false is an ordinary request.
      await send({ ...passing, DryRun: 'false' });
      expect(await dumpStore(server.app)).not.toEqual(before);
    });

    it('a request that would fail gets its real error and changes nothing', async () => {
      const { failing, failingCode } = await c.prepare(server.app);
      const before = await dumpStore(server.app);
      const dry = await sdkError(() => send({ ...failing, DryRun: 'true' }));
      const real = await sdkError(() => send(failing));
      expect(dry.code).toBe(failingCode);
      expect(dry.code).toBe(real.code);
      expect(await dumpStore(server.app)).toEqual(before);
    });
  },
);

describe('DryRun and the DescribeFlowLogs answer cache', () => {
  it('a dry run leaves DescribeFlowLogs answering as before', async () => {
    const w = await makeWorld(server.app);
    const client = vpcClient(server.endpoint);
    await client.createFlowLog(
      new VpcModels.CreateFlowLogRequest({
        regionId: w.regionId,
        resourceType: 'VSwitch',
        resourceId: w.vswitchId,
        trafficType: 'All',
        projectName: w.project,
        logStoreName: w.logstores[0],
        flowLogName: 'cached',
      }),
    );
    const describe = async (): Promise<Body> => {
      const body = (
        await client.describeFlowLogs(new VpcModels.DescribeFlowLogsRequest({ regionId: w.regionId }))
      ).body!.toMap();
      delete body['RequestId'];
      return body;
    };
    const before = await describe();
    const dry = await sdkError(() =>
      client.createVpc(new VpcModels.CreateVpcRequest({ regionId: w.regionId, dryRun: true })),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect(await describe()).toEqual(before);
  });
});
