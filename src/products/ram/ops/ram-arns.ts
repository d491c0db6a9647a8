/** Resource ARNs of RAM's own actions (`acs:ram:*:{accountId}:user/{name}`, RAM authorization docs). */
import type { ResourceScope } from '../../../protocol/operation.js';

export const userArn = (s: ResourceScope, name: string): string => `acs:ram:*:${s.accountId}:user/${name}`;
export const policyArn = (s: ResourceScope, name: string): string =>
  `acs:ram:*:${s.accountId}:policy/${name}`;
export const roleArn = (s: ResourceScope, name: string): string => `acs:ram:*:${s.accountId}:role/${name}`;
export const groupArn = (s: ResourceScope, name: string): string => `acs:ram:*:${s.accountId}:group/${name}`;
