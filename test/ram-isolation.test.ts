/**
 * Randomized isolation, with a fixed seed: thousands of mixed operations across three accounts, each
 * with RAM users and role sessions holding random policies. After every step:
 *  - the reply carries no other account's data (IDs, names) that the request did not itself name;
 *  - the gateway's decision (Forbidden.RAM / NoPermission or not) matches a reference evaluation of
 *    the policies, written here independently of src/products/ram/policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendV1 } from './support/raw-signer.js';
import { assume, ramClient, RamModels, ramRole, ramUser, type Creds } from './support/identity.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeWorld, type World } from './support/world.js';

const SEED = 20261202;
const STEPS = 2000;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

// --- The reference evaluator (deliberately naive) ---------------------------------------------

interface RefStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}
const glob = (p: string, s: string, ci: boolean): boolean =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ci ? 'i' : '',
  ).test(s);
function ipIn(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = (x: string) => x.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = Number(bits ?? 32);
  const span = 2 ** (32 - mask);
  return Math.floor(n(ip) / span) === Math.floor(n(base ?? '') / span);
}
function condOk(c: RefStatement['Condition'], sourceIp: string): boolean {
  for (const [op, keys] of Object.entries(c ?? {}))
    for (const values of Object.values(keys)) {
      const hit = values.some((v) => ipIn(sourceIp, v));
      if (op === 'IpAddress' ? !hit : hit) return false;
    }
  return true;
}
function refDecide(
  policies: RefStatement[][],
  action: string,
  resources: string[],
  ip: string,
): 'allow' | 'deny' {
  let denied = false;
  let all = true;
  for (const r of resources) {
    let allowed = false;
    for (const st of policies.flat()) {
      if (!st.Action.some((a) => glob(a, action, true))) continue;
      if (!st.Resource.some((p) => glob(p, r, false))) continue;
      if (!condOk(st.Condition, ip)) continue;
      if (st.Effect === 'Deny') denied = true;
      else allowed = true;
    }
    if (!allowed) all = false;
  }
  return !denied && all ? 'allow' : 'deny';
}

// --- The world ----------------------------------------------------------------------------------

interface Principal {
  label: string;
  creds: Creds;
  root: boolean;
  /** Identity policies; for sessions, [role policies, session policy] are both required. */
  identity: RefStatement[][];
  session?: RefStatement[][];
}
interface Account {
  id: string;
  world: World;
  flowLogs: string[];
  userNames: string[];
  principals: Principal[];
}

let server: TestServer;
const accounts: Account[] = [];

const ACTIONS = [
  '*',
  'vpc:*',
  'vpc:Describe*',
  'vpc:DescribeFlowLogs',
  'vpc:*FlowLog*',
  'vpc:ModifyFlowLogAttribute',
  'vpc:CreateFlowLog',
  'vpc:DescribeVpcs',
  'ram:List*',
  'ecs:*',
];

function randomStatements(a: Account, others: Account[]): RefStatement[] {
  const n = 1 + Math.floor(rand() * 3);
  const out: RefStatement[] = [];
  for (let i = 0; i < n; i++) {
    const foreign = pick(others);
    const resource = pick([
      '*',
      `acs:vpc:*:${a.id}:flowlog/*`,
      `acs:vpc:*:${a.id}:flowlog/${pick(a.flowLogs)}`,
      `acs:vpc:*:*:vpc/*`,
      `acs:vpc:*:${foreign.id}:*`,
      `acs:ram:*:${a.id}:user/*`,
    ]);
    const st: RefStatement = {
      Effect: rand() < 0.25 ? 'Deny' : 'Allow',
      Action: [pick(ACTIONS)],
      Resource: [resource],
    };
    const c = rand();
    if (c < 0.15) st.Condition = { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8'] } };
    else if (c < 0.25) st.Condition = { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } };
    else if (c < 0.3) st.Condition = { NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } };
    out.push(st);
  }
  return out;
}

async function setupAccount(index: number, root: Creds, id: string): Promise<Account> {
  const world = await makeWorld(server.app, { accountId: id, enis: 3 });
  const flowLogs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await sendV1(
      server.url,
      {
        Action: 'CreateFlowLog',
        RegionId: world.regionId,
        ResourceType: 'NetworkInterface',
        ResourceId: world.eniIds[i] ?? '',
        TrafficType: 'All',
        ProjectName: world.project,
        LogStoreName: world.logstores[0] ?? '',
      },
      { accessKeyId: root.accessKeyId, secret: root.accessKeySecret },
    );
    flowLogs.push(String(res.json()['FlowLogId']));
  }
  return {
    id,
    world,
    flowLogs,
    userNames: [],
    principals: [{ label: `a${index}-root`, creds: root, root: true, identity: [] }],
  };
}

async function addPrincipals(a: Account, index: number): Promise<void> {
  const others = accounts.filter((o) => o !== a);
  const root = a.principals[0]!.creds;
  for (let u = 0; u < 3; u++) {
    const name = `a${index}-user${u}`;
    const policies = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => randomStatements(a, others));
    const creds = await ramUser(server.endpoint, name, policies, root);
    a.userNames.push(name);
    a.principals.push({ label: name, creds, root: false, identity: policies });
  }
  for (let r = 0; r < 2; r++) {
    const roleName = `a${index}-role${r}`;
    const policies = [randomStatements(a, others)];
    const arn = await ramRole(server.endpoint, roleName, a.id, policies, root);
    const withSession = rand() < 0.5;
    const sessionPolicy = withSession ? randomStatements(a, others) : undefined;
    const creds = await assume(server.endpoint, arn, {
      as: root,
      sessionName: `s${r}`,
      ...(sessionPolicy ? { policy: sessionPolicy } : {}),
    });
    a.principals.push({
      label: `${roleName}:s${r}`,
      creds,
      root: false,
      identity: policies,
      ...(sessionPolicy ? { session: [sessionPolicy] } : {}),
    });
  }
}

/** Every identifier that belongs to one account. */
function tokensOf(a: Account): string[] {
  return [
    a.id,
    a.world.vpcId,
    a.world.vswitchId,
    ...a.world.eniIds,
    a.world.project,
    ...a.flowLogs,
    ...a.userNames,
  ];
}

beforeAll(async () => {
  server = await startTestServer();
  for (let i = 0; i < 3; i++) {
    const id = `${i + 3}${'1'.repeat(15)}`;
    const res = await fetch(`${server.url}/_vpcflow/accounts`, {
      method: 'POST',
      body: JSON.stringify({ accountId: id }),
    });
    const body = (await res.json()) as { accessKeyId: string; accessKeySecret: string };
    accounts.push(
      await setupAccount(i, { accessKeyId: body.accessKeyId, accessKeySecret: body.accessKeySecret }, id),
    );
  }
  for (let i = 0; i < 3; i++) await addPrincipals(accounts[i]!, i);
}, 120_000);
afterAll(async () => server.close());

interface Step {
  params: Record<string, string>;
  action: string;
  resources: (acct: string) => string[];
  authorized: boolean;
}

function nextStep(a: Account): Step {
  const anyAccount = pick(accounts);
  const flowLogId = pick(anyAccount.flowLogs);
  const region = a.world.regionId;
  const flowlogArn = (acct: string, id = '*') => `acs:vpc:${region}:${acct}:flowlog/${id}`;
  switch (Math.floor(rand() * 7)) {
    case 0:
      return {
        params: { Action: 'DescribeFlowLogs', RegionId: region },
        action: 'vpc:DescribeFlowLogs',
        resources: (x) => [flowlogArn(x)],
        authorized: true,
      };
    case 1:
      return {
        params: { Action: 'DescribeFlowLogs', RegionId: region, FlowLogId: flowLogId },
        action: 'vpc:DescribeFlowLogs',
        resources: (x) => [flowlogArn(x, flowLogId)],
        authorized: true,
      };
    case 2:
      return {
        params: {
          Action: 'ModifyFlowLogAttribute',
          RegionId: region,
          FlowLogId: flowLogId,
          Description: `d${Math.floor(rand() * 1000)}`,
        },
        action: 'vpc:ModifyFlowLogAttribute',
        resources: (x) => [flowlogArn(x, flowLogId)],
        authorized: true,
      };
    case 3: {
      const eni = pick(anyAccount.world.eniIds);
      return {
        params: {
          Action: 'CreateFlowLog',
          RegionId: region,
          ResourceType: 'NetworkInterface',
          ResourceId: eni,
          TrafficType: pick(['All', 'Allow', 'Drop']),
          ProjectName: a.world.project,
          LogStoreName: pick(a.world.logstores),
        },
        action: 'vpc:CreateFlowLog',
        resources: (x) => [flowlogArn(x)],
        authorized: true,
      };
    }
    case 4:
      return {
        params: { Action: 'DescribeVpcs', RegionId: region },
        action: 'vpc:DescribeVpcs',
        resources: (x) => [`acs:vpc:${region}:${x}:vpc/*`],
        authorized: true,
      };
    case 5:
      return {
        params: { Action: 'ListUsers', Version: '2015-05-01' },
        action: 'ram:ListUsers',
        resources: (x) => [`acs:ram:*:${x}:user/*`],
        authorized: true,
      };
    default:
      return {
        params: { Action: 'GetCallerIdentity', Version: '2015-04-01' },
        action: 'sts:GetCallerIdentity',
        resources: () => [],
        authorized: false,
      };
  }
}

describe('randomized isolation (seed 20261202)', () => {
  it(`${STEPS} mixed operations: no cross-account data, decisions match the reference`, async () => {
    let allowed = 0;
    let denied = 0;
    for (let step = 0; step < STEPS; step++) {
      const a = pick(accounts);
      const p = pick(a.principals);
      const s = nextStep(a);
      const params = {
        ...s.params,
        ...(p.creds.securityToken ? { SecurityToken: p.creds.securityToken } : {}),
      };
      const res = await sendV1(server.url, params, {
        accessKeyId: p.creds.accessKeyId,
        secret: p.creds.accessKeySecret,
      });
      const where = `step ${step}: ${p.label} ${JSON.stringify(s.params)} -> ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, where).toBeLessThan(500);

      // Isolation: no other account's identifiers, unless the request itself named them.
      const sent = JSON.stringify(s.params);
      for (const other of accounts) {
        if (other === a) continue;
        for (const token of tokensOf(other)) {
          if (sent.includes(token)) continue;
          expect(res.text.includes(token), `${where} leaks ${token}`).toBe(false);
        }
      }

      // Decision: the reference says allow or deny; root and unauthorized operations are always allowed.
      let expected: 'allow' | 'deny' = 'allow';
      if (!p.root && s.authorized) {
        const resources = s.resources(a.id);
        const id = refDecide(p.identity, s.action, resources, '127.0.0.1');
        const sess = p.session ? refDecide(p.session, s.action, resources, '127.0.0.1') : 'allow';
        expected = id === 'allow' && sess === 'allow' ? 'allow' : 'deny';
      }
      const code = res.status === 200 ? '' : String(res.json()['Code']);
      const wasDenied = code === 'Forbidden.RAM' || code === 'NoPermission';
      expect(wasDenied ? 'deny' : 'allow', where).toBe(expected);
      if (wasDenied) denied++;
      else allowed++;
    }
    // The seed exercises both outcomes plentifully.
    expect(allowed).toBeGreaterThan(STEPS / 10);
    expect(denied).toBeGreaterThan(STEPS / 10);
  }, 300_000);

  it('each account still sees exactly its own users', async () => {
    for (const a of accounts) {
      const users = await ramClient(server.endpoint, a.principals[0]!.creds).listUsers(
        new RamModels.ListUsersRequest({}),
      );
      expect(users.body?.users?.user?.map((u) => u.userName).sort()).toEqual([...a.userNames].sort());
    }
  });
});
