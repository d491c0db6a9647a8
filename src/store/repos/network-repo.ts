/** VPCs, vSwitches, security groups and network interfaces. (Filled in by the network-resources work.) */
import type { SqlExecutor } from '../sql-db.js';

export class NetworkRepo {
  constructor(protected readonly db: SqlExecutor) {}
}
