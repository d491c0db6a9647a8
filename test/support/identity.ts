/**
 * RAM and STS through their official SDKs (`@alicloud/ram20150501`, `@alicloud/sts20150401`), and
 * helpers that build RAM users, policies, roles and STS sessions the way a user would: as the account
 * root, over the wire.
 */
import RamModule, * as RamModels from '@alicloud/ram20150501';
import StsModule, * as StsModels from '@alicloud/sts20150401';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcModule from '@alicloud/vpc20160428';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../../src/products/identity/identity-service.js';
import { unwrapDefault } from './clients.js';

export { RamModels, StsModels };

export interface Creds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
}

const ROOT: Creds = { accessKeyId: DEV_ACCESS_KEY_ID, accessKeySecret: DEV_ACCESS_KEY_SECRET };
const RamClient = unwrapDefault(RamModule);
const StsClient = unwrapDefault(StsModule);
const VpcClient = unwrapDefault(VpcModule);
export type RamClient = InstanceType<typeof RamClient>;
export type StsClient = InstanceType<typeof StsClient>;

function config(endpoint: string, c: Creds, signatureAlgorithm?: 'v2'): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    ...(c.securityToken ? { securityToken: c.securityToken } : {}),
    endpoint,
    protocol: 'http',
    regionId: 'cn-hangzhou',
    ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
  });
}

export const ramClient = (endpoint: string, c: Creds = ROOT): RamClient => new RamClient(config(endpoint, c));
export const stsClient = (endpoint: string, c: Creds = ROOT): StsClient => new StsClient(config(endpoint, c));
/** A Vpc 7.x client with any credentials, STS included; `v2` signs with v1 (SecurityToken parameter). */
export const vpcAs = (endpoint: string, c: Creds, signatureAlgorithm?: 'v2') =>
  new VpcClient(config(endpoint, c, signatureAlgorithm));

export function policyDoc(statements: object[]): string {
  return JSON.stringify({ Version: '1', Statement: statements });
}

/**
 * Creates a RAM user with an AccessKey and attaches policies: system policy names, or documents (a
 * custom policy named `{user}-{n}` is created for each).
 */
export async function ramUser(
  endpoint: string,
  userName: string,
  policies: Array<string | object[]> = [],
  root: Creds = ROOT,
): Promise<Creds> {
  const ram = ramClient(endpoint, root);
  await ram.createUser(new RamModels.CreateUserRequest({ userName }));
  await attachAll(ram, 'user', userName, policies);
  const key = (await ram.createAccessKey(new RamModels.CreateAccessKeyRequest({ userName }))).body?.accessKey;
  return { accessKeyId: key?.accessKeyId ?? '', accessKeySecret: key?.accessKeySecret ?? '' };
}

/** Creates a role trusting `trustedAccount` (root), with policies attached; returns its ARN. */
export async function ramRole(
  endpoint: string,
  roleName: string,
  trustedAccount: string,
  policies: Array<string | object[]> = [],
  root: Creds = ROOT,
): Promise<string> {
  const ram = ramClient(endpoint, root);
  const trust = policyDoc([
    { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${trustedAccount}:root`] } },
  ]);
  const role = await ram.createRole(
    new RamModels.CreateRoleRequest({ roleName, assumeRolePolicyDocument: trust }),
  );
  await attachAll(ram, 'role', roleName, policies);
  return role.body?.role?.arn ?? '';
}

async function attachAll(
  ram: RamClient,
  kind: 'user' | 'role',
  name: string,
  policies: Array<string | object[]>,
): Promise<void> {
  let n = 0;
  for (const p of policies) {
    let policyName = typeof p === 'string' ? p : `${name}-${++n}`;
    let policyType = 'System';
    if (typeof p !== 'string') {
      policyType = 'Custom';
      await ram.createPolicy(new RamModels.CreatePolicyRequest({ policyName, policyDocument: policyDoc(p) }));
    } else if (!p.startsWith('Aliyun')) {
      policyType = 'Custom';
      policyName = p;
    }
    if (kind === 'user')
      await ram.attachPolicyToUser(
        new RamModels.AttachPolicyToUserRequest({ policyType, policyName, userName: name }),
      );
    else
      await ram.attachPolicyToRole(
        new RamModels.AttachPolicyToRoleRequest({ policyType, policyName, roleName: name }),
      );
  }
}

/** AssumeRole as `as` (root by default); returns the session's credentials. */
export async function assume(
  endpoint: string,
  roleArn: string,
  opts: { as?: Creds; sessionName?: string; policy?: object[]; durationSeconds?: number } = {},
): Promise<Creds> {
  const res = await stsClient(endpoint, opts.as ?? ROOT).assumeRole(
    new StsModels.AssumeRoleRequest({
      roleArn,
      roleSessionName: opts.sessionName ?? 'session-1',
      ...(opts.policy ? { policy: policyDoc(opts.policy) } : {}),
      ...(opts.durationSeconds ? { durationSeconds: opts.durationSeconds } : {}),
    }),
  );
  const c = res.body?.credentials;
  return {
    accessKeyId: c?.accessKeyId ?? '',
    accessKeySecret: c?.accessKeySecret ?? '',
    securityToken: c?.securityToken ?? '',
  };
}
