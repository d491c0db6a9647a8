/**
 * Exporter bindings in seed files: listed by `GET /_vpcflow/exporters` as the admin endpoint's are,
 * idempotent across restarts, re-bound by a later file, refused with the file, the entry and the problem
 * when bad, and deciding attribution: an exporter's flows for an address repeated in two VPCs land on the
 * bound VPC's ENI (through the real collector).
 */
import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import {
  basicFlowRecord,
  basicFlowTemplate,
  dataSet,
  ipfixMessage,
} from '../src/dataplane/collector/message-builder.js';
import { DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const OTHER_ACCOUNT = '2234567890123456';
const REGION = 'cn-hangzhou';
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0); // a replayed capture: records land in its original windows

function writeSeed(name: string, content: unknown): string {
  const file = join(tempDir(), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function listExporters(server: TestServer): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${server.url}/_vpcflow/exporters`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { exporters: Record<string, unknown>[] }).exporters;
}

/** Two VPCs of one account with the same vSwitch CIDR, each with an ENI at 10.0.1.10. */
const TWO_VPCS = [
  {
    region: REGION,
    id: 'vpc-bp1seedexpa000000001',
    name: 'blue',
    cidrBlock: '10.0.0.0/16',
    securityGroups: [{ name: 'default' }],
    vswitches: [
      {
        name: 'blue-b',
        zone: 'cn-hangzhou-b',
        cidrBlock: '10.0.1.0/24',
        networkInterfaces: [
          { id: 'eni-bp1seedexpblue000001', primaryIp: '10.0.1.10', securityGroup: 'default' },
        ],
      },
    ],
  },
  {
    region: REGION,
    name: 'green',
    cidrBlock: '10.0.0.0/16',
    securityGroups: [{ name: 'default' }],
    vswitches: [
      {
        name: 'green-b',
        zone: 'cn-hangzhou-b',
        cidrBlock: '10.0.1.0/24',
        networkInterfaces: [
          { id: 'eni-bp1seedexpgreen00001', primaryIp: '10.0.1.10', securityGroup: 'default' },
        ],
      },
    ],
  },
];

function world(exporters: unknown[], vpcs: unknown[] = TWO_VPCS): unknown {
  return { accounts: [{ id: DEV_ACCOUNT_ID, vpcs, exporters }] };
}

describe('seeded exporter bindings', () => {
  let server: TestServer;
  let greenId: string;
  beforeAll(async () => {
    const file = writeSeed(
      'exporters.yaml',
      `
accounts:
  - id: '${DEV_ACCOUNT_ID}'
    vpcs: ${JSON.stringify(TWO_VPCS)}
    exporters:
      - address: 10.0.0.9
        region: ${REGION}
        vpc: green # by name, declared above
      - address: '::FFFF:10.0.0.10' # stored as the collector sees it: 10.0.0.10
        port: 2055
        observationDomainId: 0
        region: ${REGION}
        vpc: vpc-bp1seedexpa000000001
      - address: '2001:DB8:0:0::0:9'
        observationDomainId: 4294967295
        region: ${REGION}
        vpc: blue
`,
    );
    server = await startTestServer({ seedFiles: [file] });
    const green = await server.app.store.repos.network.vpcsNamed(
      { accountId: DEV_ACCOUNT_ID, regionId: REGION },
      'green',
    );
    greenId = green[0]!.vpc_id;
  });
  afterAll(async () => server.close());

  it('appear in GET /_vpcflow/exporters: canonical addresses, VPC names resolved, omitted port / domain any', async () => {
    const scope = { accountId: DEV_ACCOUNT_ID, regionId: REGION };
    expect(await listExporters(server)).toEqual([
      {
        address: '10.0.0.10',
        port: 2055,
        observationDomainId: 0,
        ...scope,
        vpcId: 'vpc-bp1seedexpa000000001',
      },
      { address: '10.0.0.9', ...scope, vpcId: greenId },
      {
        address: '2001:db8::9',
        observationDomainId: 4294967295,
        ...scope,
        vpcId: 'vpc-bp1seedexpa000000001',
      },
    ]);
  });
});

describe('seeding exporter bindings again', () => {
  it('changes nothing; a later file re-binds the same key to its VPC', async () => {
    const dataDir = tempDir();
    const file = writeSeed(
      'bind.json',
      world([
        { address: '10.0.0.9', region: REGION, vpc: 'blue' },
        { address: '10.0.0.9', port: 2055, region: REGION, vpc: 'green' },
        // The same binding twice in one file is no conflict.
        { address: '10.0.0.9', region: REGION, vpc: 'vpc-bp1seedexpa000000001' },
      ]),
    );
    const rows = async (s: TestServer): Promise<unknown[]> =>
      s.app.store.db.all('SELECT * FROM exporter_bindings ORDER BY address, port, observation_domain_id');

    const first = await startTestServer({ dataDir, inMemory: false, seedFiles: [file] });
    const before = await rows(first);
    expect(before).toHaveLength(2);
    await first.close();

    const second = await startTestServer({ dataDir, inMemory: false, seedFiles: [file, file] });
    expect(await rows(second)).toEqual(before);
    await second.close();

    // Another file binds 10.0.0.9 (any port, any domain) to green: the binding moves, nothing else changes.
    const rebind = writeSeed('rebind.json', world([{ address: '10.0.0.9', region: REGION, vpc: 'green' }]));
    const third = await startTestServer({ dataDir, inMemory: false, seedFiles: [file, rebind] });
    const green = (
      await third.app.store.repos.network.vpcsNamed({ accountId: DEV_ACCOUNT_ID, regionId: REGION }, 'green')
    )[0]!;
    const after = (await listExporters(third)).map((e) => [e['address'], e['port'], e['vpcId']]);
    expect(after).toEqual([
      ['10.0.0.9', undefined, green.vpc_id],
      ['10.0.0.9', 2055, green.vpc_id],
    ]);
    await third.close();
  });
});

describe('bad exporter entries stop start-up', () => {
  async function startError(file: string): Promise<Error> {
    try {
      const server = await startTestServer({ seedFiles: [file] });
      await server.close();
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected start-up to fail');
  }

  const good = { address: '10.0.0.9', region: REGION, vpc: 'blue' };

  it.each([
    [
      'an address that is not an IP address',
      world([good, { ...good, address: '10.0.0.300' }]),
      'accounts[0].exporters[1].address: "10.0.0.300" is not an IP address',
    ],
    [
      'a VPC that does not exist',
      world([good, { ...good, vpc: 'purple' }]),
      `accounts[0].exporters[1].vpc: no VPC "purple" in ${DEV_ACCOUNT_ID}/${REGION} (by ID, or by name) (InvalidVpcId.NotFound)`,
    ],
    [
      'a VPC of another region',
      world([{ ...good, region: 'cn-shanghai' }]),
      `accounts[0].exporters[0].vpc: no VPC "blue" in ${DEV_ACCOUNT_ID}/cn-shanghai`,
    ],
    [
      "another account's VPC",
      {
        accounts: [
          { id: DEV_ACCOUNT_ID, vpcs: TWO_VPCS },
          { id: OTHER_ACCOUNT, exporters: [{ ...good, vpc: 'vpc-bp1seedexpa000000001' }] },
        ],
      },
      `accounts[1].exporters[0].vpc: no VPC "vpc-bp1seedexpa000000001" in ${OTHER_ACCOUNT}/${REGION}`,
    ],
    [
      'a name two VPCs have',
      world([good], [...TWO_VPCS, { region: REGION, id: 'vpc-bp1seedexpb000000001', name: 'blue' }]),
      `accounts[0].exporters[0].vpc: "blue" names 2 VPCs in ${DEV_ACCOUNT_ID}/${REGION}; use the VPC ID`,
    ],
    [
      'port 0',
      world([{ ...good, port: 0 }]),
      'accounts[0].exporters[0].port: must be an integer from 1 to 65535, got number 0',
    ],
    [
      'a port above 65535',
      world([{ ...good, port: 65536 }]),
      'accounts[0].exporters[0].port: must be an integer from 1 to 65535, got number 65536',
    ],
    [
      'a port given as text',
      world([{ ...good, port: '2055' }]),
      'accounts[0].exporters[0].port: must be an integer from 1 to 65535, got string "2055"',
    ],
    [
      'an observation domain out of range',
      world([{ ...good, observationDomainId: 4294967296 }]),
      'accounts[0].exporters[0].observationDomainId: must be an integer from 0 to 4294967295',
    ],
    ['no VPC', world([{ address: '10.0.0.9', region: REGION }]), 'accounts[0].exporters[0].vpc: is required'],
    [
      'an unknown region',
      world([{ ...good, region: 'mars-1' }]),
      'accounts[0].exporters[0].region: unknown region "mars-1"',
    ],
    [
      'an unknown field',
      world([{ ...good, vpcId: 'vpc-x' }]),
      'accounts[0].exporters[0]: unknown field "vpcId"',
    ],
    [
      'one exporter key bound to two VPCs in one file',
      world([good, { ...good, address: '::ffff:10.0.0.9', vpc: 'green' }]),
      'accounts[0].exporters[1]: this exporter is already bound to vpc-bp1seedexpa000000001 by accounts[0].exporters[0]',
    ],
  ])('%s', async (_what, content, expected) => {
    const file = writeSeed('bad.json', content);
    const err = await startError(file);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`seed file ${file}: `);
    expect(err.message).toContain(expected);
  });

  it('a bad exporter leaves nothing behind (one transaction per file)', async () => {
    const dataDir = tempDir();
    const bad = writeSeed('half.json', world([good, { ...good, port: 0 }]));
    await expect(startTestServer({ dataDir, inMemory: false, seedFiles: [bad] })).rejects.toThrow(
      'accounts[0].exporters[1].port',
    );
    const server = await startTestServer({ dataDir, inMemory: false });
    expect(await server.app.store.db.all('SELECT * FROM exporter_bindings')).toEqual([]);
    expect(await server.app.store.db.all('SELECT * FROM vpcs')).toEqual([]);
    await server.close();
  });
});

describe('a seeded binding decides attribution (through the collector)', () => {
  const TEMPLATE = basicFlowTemplate(256);
  const DOMAIN = 7;
  const message = (sport: number): Buffer =>
    ipfixMessage({ exportTime: Math.floor(T0 / 1000), sequence: 0, domain: DOMAIN }, [
      TEMPLATE,
      dataSet(256, [
        basicFlowRecord({
          src: '10.0.1.10',
          dst: '8.8.8.8',
          sport,
          dport: 53,
          protocol: 17,
          packets: 3,
          bytes: 300,
          startMs: T0 + 5_000,
          endMs: T0 + 5_100,
        }),
      ]),
    ]);

  let server: TestServer;
  let bound: Socket;
  let unbound: Socket;
  beforeAll(async () => {
    // The exporters: two sockets on 127.0.0.1; only the first one's port is bound (to green) in the seed.
    const open = async (): Promise<Socket> => {
      const sock = createSocket('udp4');
      await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
      return sock;
    };
    [bound, unbound] = [await open(), await open()];
    const file = writeSeed('attribution.json', {
      accounts: [
        {
          id: DEV_ACCOUNT_ID,
          logProjects: [{ region: REGION, name: 'seed-exporters', logstores: ['blue', 'green'] }],
          vpcs: TWO_VPCS,
          exporters: [
            {
              address: '127.0.0.1',
              port: bound.address().port,
              observationDomainId: DOMAIN,
              region: REGION,
              vpc: 'green',
            },
          ],
        },
      ],
    });
    server = await startTestServer({ collectors: ['127.0.0.1:0'], seedFiles: [file] });
  });
  afterAll(async () => {
    bound.close();
    unbound.close();
    await server.close();
  });

  it("an address in two VPCs is ambiguous from an unbound exporter and the bound VPC's ENI from the bound one", async () => {
    const scope = { accountId: DEV_ACCOUNT_ID, regionId: REGION };
    const flowLog = async (vpcId: string, logstore: string): Promise<string> =>
      (
        await server.app.services.flowLogs.create(scope, {
          resourceType: 'VPC',
          resourceId: vpcId,
          trafficType: 'All',
          projectName: 'seed-exporters',
          logstoreName: logstore,
          aggregationInterval: 1,
          trafficPath: [],
          tags: [],
        })
      ).flowLogId;
    const network = server.app.store.repos.network;
    const green = (await network.vpcsNamed(scope, 'green'))[0]!;
    const blueLog = await flowLog('vpc-bp1seedexpa000000001', 'blue');
    const greenLog = await flowLog(green.vpc_id, 'green');

    const dp = server.app.dataplane!;
    const before = dp.counters();
    const send = (sock: Socket, msg: Buffer): Promise<void> =>
      new Promise((resolve, reject) =>
        sock.send(msg, dp.bound[0]!.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      );
    await send(unbound, message(1111));
    await send(bound, message(2222));
    const t0 = Date.now();
    while (dp.counters().collector.datagrams - before.collector.datagrams < 2) {
      if (Date.now() - t0 > 5_000) throw new Error('timed out waiting for the datagrams');
      await new Promise((r) => setTimeout(r, 5));
    }
    await dp.flush();

    const after = dp.counters().pipeline;
    expect(after.ambiguous - before.pipeline.ambiguous).toBe(1);
    expect(after.aggregated - before.pipeline.aggregated).toBe(1);
    const records = (flowLogId: string): Promise<Record<string, unknown>[]> =>
      server.app.store.records.query(
        "SELECT * FROM log_records WHERE flow_log_id = ? AND log_status = 'OK'",
        [flowLogId],
      );
    expect(await records(blueLog)).toEqual([]);
    expect(await records(greenLog)).toEqual([
      expect.objectContaining({
        eni_id: 'eni-bp1seedexpgreen00001',
        vpc_id: green.vpc_id,
        srcaddr: '10.0.1.10',
        srcport: 2222,
        direction: 'out',
        packets: 3,
        bytes: 300,
      }),
    ]);
  });
});
