/**
 * Building flow-log records (https://www.alibabacloud.com/help/en/sls/vpc):
 * every field, typed as stored; the SLS read side renders
 * them as strings. NODATA / SKIPDATA records carry the ENI's identity and the window, `-` for the
 * addresses, direction and action (as AWS does) and no ports, protocol or flags.
 */
import type { RecordRow } from '../../store/repos/record-repo.js';
import type { EniInfo, FlowLogInfo } from './topology.js';
import { recordTimes } from './window.js';

export type LogStatus = 'OK' | 'NODATA' | 'SKIPDATA';

/** One aggregate: a (flow log, ENI, 5-tuple, direction, action) in one window. */
export interface Bucket {
  key: string;
  flowLog: FlowLogInfo;
  eni: EniInfo;
  windowStart: number;
  windowEnd: number;
  status: 'OK' | 'SKIPDATA';
  source: string;
  srcaddr: string;
  srcport: number;
  dstaddr: string;
  dstport: number;
  protocol: number;
  direction: 'in' | 'out';
  action: 'ACCEPT' | 'REJECT';
  packets: number;
  bytes: number;
  tcpFlags: number;
  firstMs: number;
  lastEndMs: number;
  /** Flows merged into this aggregate. */
  flows: number;
}

function base(flowLog: FlowLogInfo, eni: EniInfo): Omit<RecordRow, 'time' | 'start' | 'end' | 'log_status'> {
  return {
    region_id: flowLog.regionId,
    project_name: flowLog.projectName,
    logstore_name: flowLog.logstoreName,
    flow_log_id: flowLog.flowLogId,
    topic: 'flow_log',
    source: '',
    version: 1,
    vswitch_id: eni.vswitchId,
    vm_id: eni.instanceId,
    vpc_id: eni.vpcId,
    account_id: eni.accountId,
    eni_id: eni.eniId,
    region: eni.regionId,
    srcaddr: '-',
    srcport: null,
    dstaddr: '-',
    dstport: null,
    protocol: null,
    direction: '-',
    packets: null,
    bytes: null,
    action: '-',
    tcp_flags: null,
  };
}

export function bucketRecord(b: Bucket): RecordRow {
  if (b.status === 'SKIPDATA') {
    return statusRecord(b.flowLog, b.eni, b.windowStart, b.windowEnd, 'SKIPDATA', b.packets, b.bytes);
  }
  const { start, end } = recordTimes(b.firstMs, b.lastEndMs, b.tcpFlags, b.protocol, b.windowEnd);
  const { flowLog, eni } = b;
  // Written out in full (no spread of base()): this runs once per stored record.
  return {
    region_id: flowLog.regionId,
    project_name: flowLog.projectName,
    logstore_name: flowLog.logstoreName,
    flow_log_id: flowLog.flowLogId,
    time: start,
    topic: 'flow_log',
    source: b.source,
    version: 1,
    vswitch_id: eni.vswitchId,
    vm_id: eni.instanceId,
    vpc_id: eni.vpcId,
    account_id: eni.accountId,
    eni_id: eni.eniId,
    region: eni.regionId,
    srcaddr: b.srcaddr,
    srcport: b.srcport,
    dstaddr: b.dstaddr,
    dstport: b.dstport,
    protocol: b.protocol,
    direction: b.direction,
    packets: b.packets,
    bytes: b.bytes,
    start,
    end,
    log_status: 'OK',
    action: b.action,
    tcp_flags: b.tcpFlags,
  };
}

/** A status-only record for a whole window; `packets`/`bytes` are the skipped totals when known. */
export function statusRecord(
  flowLog: FlowLogInfo,
  eni: EniInfo,
  windowStart: number,
  windowEnd: number,
  status: Exclude<LogStatus, 'OK'>,
  packets: number | null = status === 'NODATA' ? 0 : null,
  bytes: number | null = status === 'NODATA' ? 0 : null,
): RecordRow {
  const start = Math.floor(windowStart / 1000);
  return {
    ...base(flowLog, eni),
    time: start,
    packets,
    bytes,
    start,
    end: Math.floor(windowEnd / 1000),
    log_status: status,
  };
}
