/** Every operation vpcflow serves. Adding an operation = declaring it in its module and listing it here. */
import { OperationRegistry } from '../protocol/operation.js';
import type { Services } from './services.js';
import { describeRegions } from './regions/describe-regions.js';
import { networkOperations } from './vpc/network-operations.js';
import { flowLogOperations } from './vpc/flow-logs/index.js';
import { listTagResources, tagResources, unTagResources } from './vpc/tags/tag-resources.js';
import { moveResourceGroup } from './vpc/resource-groups/move-resource-group.js';
import { ramOperations } from './ram/ops/index.js';
import { stsOperations } from './sts/sts-operations.js';

export function buildRegistry(): OperationRegistry<Services> {
  return new OperationRegistry<Services>().register(
    describeRegions,
    ...networkOperations,
    ...flowLogOperations,
    tagResources,
    unTagResources,
    listTagResources,
    moveResourceGroup,
    ...ramOperations,
    ...stsOperations,
  );
}
