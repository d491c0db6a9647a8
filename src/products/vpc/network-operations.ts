/** The network-resource operations (Vpc and Ecs). (Filled in by the network-resources work.) */
import type { Operation } from '../../protocol/operation.js';
import type { Services } from '../services.js';

export const networkOperations: Operation<Services>[] = [];
