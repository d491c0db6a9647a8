/**
 * The official SDK clients, unmodified, pointed at a local server (a `config.endpoint` wins over the endpoint
 * map: `getEndpoint` in `@alicloud/vpc20160428` src/client.ts):
 * `@alicloud/vpc20160428` 7.x (openapi-core) and 6.x (openapi-client), `@alicloud/pop-core`.
 */
import VpcModule from '@alicloud/vpc20160428';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcV6Module from '@alicloud/vpc20160428-v6';
import * as OpenApiV6 from '@alicloud/openapi-client';
import PopCore from '@alicloud/pop-core';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../../src/products/identity/identity-service.js';

export * as VpcModels from '@alicloud/vpc20160428';

export interface Credentials {
  accessKeyId?: string;
  accessKeySecret?: string;
}

// Node's ESM loader makes a CommonJS default import module.exports (the class is its `default`); Vitest's
// loader unwraps `default` itself. Accept both.
export function unwrapDefault<T>(mod: { default: T }): T {
  const inner = (mod as unknown as { default?: T }).default;
  return typeof inner === 'function' ? inner : (mod as unknown as T);
}
const VpcClient = unwrapDefault(VpcModule);
const VpcClientV6 = unwrapDefault(VpcV6Module);
export type VpcClient = InstanceType<typeof VpcClient>;
export type VpcClientV6 = InstanceType<typeof VpcClientV6>;

/** `@alicloud/vpc20160428` 7.x; ACS3-HMAC-SHA256 by default, v1 with `signatureAlgorithm: 'v2'`. */
export function vpcClient(
  endpoint: string,
  opts: Credentials & { signatureAlgorithm?: 'v2' } = {},
): VpcClient {
  return new VpcClient(
    new $OpenApiUtil.Config({
      accessKeyId: opts.accessKeyId ?? DEV_ACCESS_KEY_ID,
      accessKeySecret: opts.accessKeySecret ?? DEV_ACCESS_KEY_SECRET,
      endpoint,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
    }),
  );
}

/** `@alicloud/vpc20160428` 6.x on `@alicloud/openapi-client`. */
export function vpcClientV6(
  endpoint: string,
  opts: Credentials & { signatureAlgorithm?: 'v2' } = {},
): VpcClientV6 {
  return new VpcClientV6(
    new OpenApiV6.Config({
      accessKeyId: opts.accessKeyId ?? DEV_ACCESS_KEY_ID,
      accessKeySecret: opts.accessKeySecret ?? DEV_ACCESS_KEY_SECRET,
      endpoint,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
    }),
  );
}

/** `@alicloud/pop-core` (signature v1); call `request(action, params, { method: 'POST' })` for a form body. */
export function popClient(url: string, opts: Credentials & { apiVersion?: string } = {}): PopCore {
  return new PopCore({
    accessKeyId: opts.accessKeyId ?? DEV_ACCESS_KEY_ID,
    accessKeySecret: opts.accessKeySecret ?? DEV_ACCESS_KEY_SECRET,
    endpoint: url,
    apiVersion: opts.apiVersion ?? '2016-04-28',
  });
}

/** What the SDKs' thrown errors carry. */
export interface SdkError {
  code?: string;
  statusCode?: number;
  message: string;
  data?: Record<string, unknown>;
}

/** Runs `fn`, expecting it to throw; returns the error for assertions. */
export async function sdkError(fn: () => Promise<unknown>): Promise<SdkError> {
  try {
    await fn();
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
