/**
 * Seed files: a JSON and a YAML world through the official SDKs, idempotent restarts on a real SQLite
 * file, and bad files stopping start-up with a message that names the file, the entry and the problem.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { defaultResourceGroupId, DEV_ACCOUNT_ID } from '../src/products/identity/identity-service.js';
import { vpcClient, VpcModels } from './support/clients.js';
import { ecsClient, EcsModels } from './support/ecs-client.js';
import { startTestServer, tempDir, type TestServer } from './support/server.js';

const EXAMPLE = fileURLToPath(new URL('../examples/seed.yaml', import.meta.url));
const OTHER_ACCOUNT = '2234567890123456';

function writeSeed(name: string, content: unknown): string {
  const file = join(tempDir(), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Every row the seed touches, for comparing two starts. */
async function snapshot(server: TestServer): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of [
    ['accounts', 'account_id'],
    ['access_keys', 'access_key_id'],
    ['resource_groups', 'resource_group_id'],
    ['log_projects', 'project_name'],
    ['logstores', 'logstore_name'],
    ['vpcs', 'vpc_id'],
    ['vswitches', 'vswitch_id'],
    ['security_groups', 'security_group_id'],
    ['network_interfaces', 'network_interface_id'],
    ['exporter_bindings', 'address, port, observation_domain_id'],
  ] as const) {
    out[table] = await server.app.store.db.all(`SELECT * FROM ${table} ORDER BY ${key}`);
  }
  return out;
}

const JSON_WORLD = {
  accounts: [
    {
      id: DEV_ACCOUNT_ID,
      resourceGroups: [{ id: 'rg-acfmseedprod0000001', name: 'prod' }],
      logProjects: [
        { region: 'cn-hangzhou', name: 'flowlog-project', logstores: ['flowlog-store', 'other-store'] },
      ],
      vpcs: [
        {
          region: 'cn-hangzhou',
          id: 'vpc-bp1seedvpc00000000001',
          name: 'v1',
          cidrBlock: '10.0.0.0/16',
          resourceGroup: 'rg-acfmseedprod0000001',
          securityGroups: [{ id: 'sg-bp1seedsg000000000001', name: 'default' }],
          vswitches: [
            {
              id: 'vsw-bp1seedvsw0000000001',
              zone: 'cn-hangzhou-b',
              cidrBlock: '10.0.1.0/24',
              networkInterfaces: [
                {
                  id: 'eni-bp1seedeni0000000001',
                  primaryIp: '10.0.1.10',
                  securityGroup: 'sg-bp1seedsg000000000001',
                },
                { primaryIp: '10.0.1.11', securityGroup: 'default' },
              ],
            },
          ],
        },
        { region: 'cn-shanghai', name: 'generated-id', cidrBlock: '192.168.0.0/16' },
      ],
    },
    {
      id: OTHER_ACCOUNT,
      accessKeys: [{ id: 'LTAI5tSeedOtherAccount1', secret: 'seed-other-secret-1' }],
      logProjects: [
        {
          region: 'cn-hangzhou',
          name: 'other-project',
          logstores: [{ name: 'long-lived', ttl: 365, shardCount: 4 }],
        },
      ],
    },
  ],
};

describe('a JSON seed file', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedFiles: [writeSeed('world.json', JSON_WORLD)] });
  });
  afterAll(async () => server.close());

  it('declares VPCs, vSwitches, security groups and ENIs that the SDKs see', async () => {
    const vpc = vpcClient(server.endpoint);
    const vpcs = await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
    expect(vpcs.body?.vpcs?.vpc?.map((v) => [v.vpcId, v.vpcName, v.cidrBlock, v.resourceGroupId])).toEqual([
      ['vpc-bp1seedvpc00000000001', 'v1', '10.0.0.0/16', 'rg-acfmseedprod0000001'],
    ]);
    expect(vpcs.body?.vpcs?.vpc?.[0]?.vSwitchIds?.vSwitchId).toEqual(['vsw-bp1seedvsw0000000001']);
    const shanghai = await vpc.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: 'cn-shanghai' }));
    expect(shanghai.body?.vpcs?.vpc?.[0]?.vpcId).toMatch(/^vpc-uf6[a-z0-9]{18}$/);
    expect(shanghai.body?.vpcs?.vpc?.[0]?.resourceGroupId).toBe(defaultResourceGroupId(DEV_ACCOUNT_ID));

    const enis = await ecsClient(server.endpoint).describeNetworkInterfaces(
      new EcsModels.DescribeNetworkInterfacesRequest({
        regionId: 'cn-hangzhou',
        vpcId: 'vpc-bp1seedvpc00000000001',
      }),
    );
    const set = enis.body?.networkInterfaceSets?.networkInterfaceSet ?? [];
    expect(set.map((e) => [e.privateIpAddress, e.securityGroupIds?.securityGroupId]).sort()).toEqual([
      ['10.0.1.10', ['sg-bp1seedsg000000000001']],
      ['10.0.1.11', ['sg-bp1seedsg000000000001']],
    ]);
    expect(set.find((e) => e.privateIpAddress === '10.0.1.10')?.networkInterfaceId).toBe(
      'eni-bp1seedeni0000000001',
    );
  });

  it('declares log projects and logstores (TTL 30 days and 2 shards by default)', async () => {
    const logs = server.app.store.repos.logs;
    expect((await logs.getProject('cn-hangzhou', 'flowlog-project'))?.account_id).toBe(DEV_ACCOUNT_ID);
    const stores = await logs.listLogstores('cn-hangzhou', 'flowlog-project');
    expect(stores.map((s) => [s.logstore_name, s.ttl_days, s.shard_count])).toEqual([
      ['flowlog-store', 30, 2],
      ['other-store', 30, 2],
    ]);
    expect((await logs.getLogstore('cn-hangzhou', 'other-project', 'long-lived'))?.ttl_days).toBe(365);
    expect((await logs.getProject('cn-hangzhou', 'other-project'))?.account_id).toBe(OTHER_ACCOUNT);
  });

  it('creates other accounts with their default resource group and AccessKeys', async () => {
    expect(await server.app.store.repos.identity.defaultResourceGroup(OTHER_ACCOUNT)).toMatchObject({
      resource_group_id: defaultResourceGroupId(OTHER_ACCOUNT),
    });
    const theirs = vpcClient(server.endpoint, {
      accessKeyId: 'LTAI5tSeedOtherAccount1',
      accessKeySecret: 'seed-other-secret-1',
    });
    const res = await theirs.describeVpcs(new VpcModels.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
    expect(res.body?.totalCount).toBe(0);
  });
});

describe('the example YAML seed file on a real SQLite file', () => {
  it('loads, and a second start with the same file changes nothing', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir, inMemory: false, seedFiles: [EXAMPLE] });
    const before = await snapshot(first);
    const vpcs = await vpcClient(first.endpoint).describeVpcs(
      new VpcModels.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }),
    );
    expect(vpcs.body?.vpcs?.vpc?.map((v) => v.vpcId)).toEqual(['vpc-bp1exampleprod000001']);
    // The allocated address and the generated IDs are part of what must not change.
    expect(before['network_interfaces']?.map((r) => (r as { primary_ip: string }).primary_ip).sort()).toEqual(
      ['10.0.1.10', '10.0.1.11', '10.0.2.1'],
    );
    expect(before['vswitches']).toHaveLength(2);
    expect(before['exporter_bindings']).toMatchObject([
      { address: '10.0.1.250', port: -1, observation_domain_id: -1, vpc_id: 'vpc-bp1exampleprod000001' },
      { address: '10.0.2.250', port: 2055, observation_domain_id: 0, vpc_id: 'vpc-bp1exampleprod000001' },
    ]);
    await first.close();

    const second = await startTestServer({ dataDir, inMemory: false, seedFiles: [EXAMPLE, EXAMPLE] });
    expect(await snapshot(second)).toEqual(before);
    await second.close();
  });
});

describe('bad seed files stop start-up', () => {
  async function startError(file: string): Promise<Error> {
    try {
      const server = await startTestServer({ seedFiles: [file] });
      await server.close();
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected start-up to fail');
  }

  function account(vpcs: unknown[], extra: Record<string, unknown> = {}): unknown {
    return { accounts: [{ id: DEV_ACCOUNT_ID, vpcs, ...extra }] };
  }

  const goodVpc = { region: 'cn-hangzhou', name: 'ok', cidrBlock: '10.0.0.0/16' };

  it.each([
    [
      'a CIDR outside the private ranges',
      account([goodVpc, { region: 'cn-hangzhou', name: 'bad', cidrBlock: '8.8.0.0/16' }]),
      'accounts[0].vpcs[1].cidrBlock: Specified CIDR block is not valid (InvalidParameter)',
    ],
    [
      'a zone of another region',
      account([{ ...goodVpc, vswitches: [{ name: 's', zone: 'cn-shanghai-b', cidrBlock: '10.0.1.0/24' }] }]),
      'accounts[0].vpcs[0].vswitches[0].zone: "cn-shanghai-b" is not a zone of cn-hangzhou',
    ],
    [
      'overlapping vSwitches',
      account([
        {
          ...goodVpc,
          vswitches: [
            { name: 'a', zone: 'cn-hangzhou-b', cidrBlock: '10.0.1.0/24' },
            { name: 'b', zone: 'cn-hangzhou-c', cidrBlock: '10.0.1.0/25' },
          ],
        },
      ]),
      'accounts[0].vpcs[0].vswitches[1].cidrBlock: Specified CIDR block overlapped with other subnets. (InvalidCidrBlock.Overlapped)',
    ],
    [
      'an ENI address outside its vSwitch',
      account([
        {
          ...goodVpc,
          securityGroups: [{ name: 'web' }],
          vswitches: [
            {
              name: 'a',
              zone: 'cn-hangzhou-b',
              cidrBlock: '10.0.1.0/24',
              networkInterfaces: [{ primaryIp: '10.0.9.9', securityGroup: 'web' }],
            },
          ],
        },
      ]),
      'accounts[0].vpcs[0].vswitches[0].networkInterfaces[0].primaryIp:',
    ],
    [
      'an unknown security group',
      account([
        {
          ...goodVpc,
          vswitches: [
            {
              name: 'a',
              zone: 'cn-hangzhou-b',
              cidrBlock: '10.0.1.0/24',
              networkInterfaces: [{ primaryIp: '10.0.1.5', securityGroup: 'nope' }],
            },
          ],
        },
      ]),
      'accounts[0].vpcs[0].vswitches[0].networkInterfaces[0].securityGroup: no security group "nope"',
    ],
    [
      'an entry without id or name',
      account([{ region: 'cn-hangzhou' }]),
      'accounts[0].vpcs[0]: needs an "id" or a "name"',
    ],
    [
      'a network interface without id, address or name',
      account([
        {
          ...goodVpc,
          vswitches: [
            {
              name: 'a',
              zone: 'cn-hangzhou-b',
              cidrBlock: '10.0.1.0/24',
              networkInterfaces: [{ securityGroup: 'web' }],
            },
          ],
        },
      ]),
      'accounts[0].vpcs[0].vswitches[0].networkInterfaces[0]: needs an "id", a "primaryIp" or a "name", so that a restart recognises it',
    ],
    [
      'a logstore ttl out of range',
      account([], {
        logProjects: [
          { region: 'cn-hangzhou', name: 'good-project', logstores: [{ name: 'ok-store', ttl: 3651 }] },
        ],
      }),
      'accounts[0].logProjects[0].logstores[0].ttl:',
    ],
    [
      'an unknown field',
      account([{ ...goodVpc, cidr: '10.0.0.0/8' }]),
      'accounts[0].vpcs[0]: unknown field "cidr"',
    ],
    [
      'an unknown region',
      account([{ ...goodVpc, region: 'mars-1' }]),
      'accounts[0].vpcs[0].region: unknown region "mars-1"',
    ],
    ['a bad account ID', { accounts: [{ id: '42' }] }, 'accounts[0].id: must be 16 digits'],
    [
      'an unquoted account ID (a YAML number)',
      { accounts: [{ id: 1234567890123456 }] },
      "accounts[0].id: must be a string, got number 1234567890123456: quote it ('1234567890123456') so it is read as a string",
    ],
    [
      'a bad project name',
      account([], { logProjects: [{ region: 'cn-hangzhou', name: 'Bad_Project' }] }),
      'accounts[0].logProjects[0].name: "Bad_Project" is not a valid project name',
    ],
    [
      'a bad logstore name',
      account([], {
        logProjects: [{ region: 'cn-hangzhou', name: 'good-project', logstores: ['ok-store', 'x'] }],
      }),
      'accounts[0].logProjects[0].logstores[1]: "x" is not a valid logstore name',
    ],
    [
      'a project name another account holds',
      {
        accounts: [
          { id: DEV_ACCOUNT_ID, logProjects: [{ region: 'cn-hangzhou', name: 'shared-name' }] },
          { id: OTHER_ACCOUNT, logProjects: [{ region: 'cn-hangzhou', name: 'shared-name' }] },
        ],
      },
      'accounts[1].logProjects[0].name: project "shared-name" already exists in cn-hangzhou for another account',
    ],
  ])('%s', async (_what, content, expected) => {
    const file = writeSeed('bad.json', content);
    const err = await startError(file);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`seed file ${file}: `);
    expect(err.message).toContain(expected);
  });

  it('invalid YAML and a missing file', async () => {
    const yamlFile = writeSeed('bad.yaml', 'accounts:\n  - id: "1234567890123456"\n    vpcs: [\n');
    const yamlErr = await startError(yamlFile);
    expect(yamlErr.message).toMatch(
      new RegExp(`^seed file ${yamlFile.replace(/[.]/g, '\\.')}: is not valid YAML: `),
    );
    const missing = join(tempDir(), 'nope.yaml');
    expect((await startError(missing)).message).toContain(`seed file ${missing}: cannot be read`);
  });

  it('the same project name twice in one account is fine, and a bad file leaves nothing behind', async () => {
    const dataDir = tempDir();
    const bad = writeSeed(
      'half.json',
      account([goodVpc, { region: 'cn-hangzhou', name: 'bad', cidrBlock: '1.0.0.0/8' }], {
        logProjects: [
          { region: 'cn-hangzhou', name: 'twice', logstores: ['a-store'] },
          { region: 'cn-hangzhou', name: 'twice', logstores: ['b-store'] },
        ],
      }),
    );
    await expect(startTestServer({ dataDir, inMemory: false, seedFiles: [bad] })).rejects.toThrow(
      'accounts[0].vpcs[1].cidrBlock',
    );
    const server = await startTestServer({ dataDir, inMemory: false });
    expect(await server.app.store.db.all('SELECT * FROM vpcs')).toEqual([]);
    expect(await server.app.store.db.all('SELECT * FROM log_projects')).toEqual([]);
    await server.close();
  });
});
