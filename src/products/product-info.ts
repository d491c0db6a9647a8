/** The products vpcflow serves, by SDK product code and API version. */
import type { Product } from '../protocol/operation.js';
import { RAM_ERRORS, STS_ERRORS } from './ram/ram-errors.js';

export const VPC: Product = { code: 'Vpc', version: '2016-04-28', endpoint: 'vpc.aliyuncs.com' };
export const ECS: Product = { code: 'Ecs', version: '2014-05-26', endpoint: 'ecs.aliyuncs.com' };
/** RAM and STS answer denials with their own `NoPermission` (RAM error-code reference). */
export const RAM: Product = {
  code: 'Ram',
  version: '2015-05-01',
  endpoint: 'ram.aliyuncs.com',
  forbidden: RAM_ERRORS.NoPermission,
};
export const STS: Product = {
  code: 'Sts',
  version: '2015-04-01',
  endpoint: 'sts.aliyuncs.com',
  forbidden: STS_ERRORS.NoPermission,
};
