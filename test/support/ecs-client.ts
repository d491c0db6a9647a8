/** The official `@alicloud/ecs20140526` client (openapi-core, like Vpc 7.x), pointed at a local server. */
import EcsModule from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../../src/products/identity/identity-service.js';
import { unwrapDefault, type Credentials } from './clients.js';

export * as EcsModels from '@alicloud/ecs20140526';

const EcsClient = unwrapDefault(EcsModule);
export type EcsClient = InstanceType<typeof EcsClient>;

/** ACS3-HMAC-SHA256 by default, v1 with `signatureAlgorithm: 'v2'`. */
export function ecsClient(
  endpoint: string,
  opts: Credentials & { signatureAlgorithm?: 'v2' } = {},
): EcsClient {
  return new EcsClient(
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
