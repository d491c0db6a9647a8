/** The products vpcflow serves, by SDK product code and API version. */
import type { Product } from '../protocol/operation.js';

export const VPC: Product = { code: 'Vpc', version: '2016-04-28', endpoint: 'vpc.aliyuncs.com' };
export const ECS: Product = { code: 'Ecs', version: '2014-05-26', endpoint: 'ecs.aliyuncs.com' };
