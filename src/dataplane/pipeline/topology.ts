/**
 * The in-memory view of the network the pipeline attributes flows to: ENIs by private IP, the Active
 * flow logs covering each ENI (on the ENI, its vSwitch or its VPC, so ENIs created later are covered
 * once the view is reloaded) and the exporter bindings. Rebuilt from the store every few seconds and
 * on flush; lookups on the hot path are Map gets only.
 */
import type { DecodedFlow } from '../collector/index.js';
import { ANY, ExporterBindingRepo } from '../../store/repos/exporter-binding-repo.js';
import { FlowLogRepo } from '../../store/repos/flow-log-repo.js';
import { NetworkRepo } from '../../store/repos/network-repo.js';
import type { SqlExecutor } from '../../store/sql-db.js';
import { intervalMs } from './window.js';

export interface EniInfo {
  eniId: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  vswitchId: string;
  ip: string;
  /** The instance the ENI is attached to, or ''. */
  instanceId: string;
  /** A small stable number for this ENI, set by the aggregator on first use (shorter bucket keys). */
  ref?: number;
}

export interface FlowLogInfo {
  flowLogId: string;
  accountId: string;
  regionId: string;
  resourceType: string;
  resourceId: string;
  projectName: string;
  logstoreName: string;
  trafficType: string;
  /** AggregationInterval in ms. */
  intervalMs: number;
  createdAt: number;
  /** A small stable number for this flow log, set by the aggregator on first use. */
  ref?: number;
}

export interface Binding {
  address: string;
  port: number;
  observationDomainId: number;
  accountId: string;
  regionId: string;
  vpcId: string;
}

export interface Attribution {
  eni: EniInfo;
  direction: 'in' | 'out';
}

/** Outcome of attributing one flow. */
export type AttributionResult = 'attributed' | 'ambiguous' | 'unattributed';

export class Topology {
  private readonly byVpcIp = new Map<string, EniInfo>();
  private readonly byIp = new Map<string, EniInfo[]>();
  private readonly coverage = new Map<string, FlowLogInfo[]>();
  private readonly enisByFlowLog = new Map<string, EniInfo[]>();
  private readonly bindings = new Map<string, Binding>();
  private readonly bindingCache = new Map<string, Binding | null>();
  /** The last exporter looked up: consecutive flows almost always come from the same one. */
  private lastExporter = { address: '', port: -1, domain: -1, binding: undefined as Binding | undefined };

  constructor(
    enis: readonly EniInfo[],
    readonly flowLogs: readonly FlowLogInfo[],
    bindings: readonly Binding[],
  ) {
    const byResource = new Map<string, FlowLogInfo[]>();
    for (const f of flowLogs) {
      const list = byResource.get(f.resourceId) ?? [];
      list.push(f);
      byResource.set(f.resourceId, list);
      this.enisByFlowLog.set(f.flowLogId, []);
    }
    for (const e of enis) {
      this.byVpcIp.set(`${e.vpcId}|${e.ip}`, e);
      const same = this.byIp.get(e.ip);
      if (same) same.push(e);
      else this.byIp.set(e.ip, [e]);
      const covering = [e.eniId, e.vswitchId, e.vpcId]
        .flatMap((id) => byResource.get(id) ?? [])
        .filter((f) => f.accountId === e.accountId && f.regionId === e.regionId);
      if (covering.length === 0) continue;
      this.coverage.set(e.eniId, covering);
      for (const f of covering) this.enisByFlowLog.get(f.flowLogId)?.push(e);
    }
    for (const b of bindings) this.bindings.set(`${b.address}|${b.port}|${b.observationDomainId}`, b);
  }

  /** Active flow logs covering an ENI (empty when none). */
  flowLogsOf(eniId: string): readonly FlowLogInfo[] {
    return this.coverage.get(eniId) ?? [];
  }

  /** ENIs a flow log covers now. */
  enisOf(flowLogId: string): readonly EniInfo[] {
    return this.enisByFlowLog.get(flowLogId) ?? [];
  }

  /** The binding for an exporter: exact match first, then any domain, any port, both. */
  bindingFor(address: string, port: number, domain: number): Binding | undefined {
    const key = `${address}|${port}|${domain}`;
    const cached = this.bindingCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found =
      this.bindings.get(key) ??
      this.bindings.get(`${address}|${port}|${ANY}`) ??
      this.bindings.get(`${address}|${ANY}|${domain}`) ??
      this.bindings.get(`${address}|${ANY}|${ANY}`);
    if (this.bindingCache.size > 10_000) this.bindingCache.clear();
    this.bindingCache.set(key, found ?? null);
    return found;
  }

  /**
   * The ENIs a flow belongs to, appended to `out`: its source ENI (direction out) and its destination
   * ENI (direction in). A bound exporter's flows are looked up in its VPC only; an unbound exporter's
   * only where the address belongs to exactly one ENI across all VPCs and accounts.
   */
  attribute(flow: DecodedFlow, out: Attribution[]): AttributionResult {
    const last = this.lastExporter;
    if (
      last.address !== flow.exporterAddress ||
      last.port !== flow.exporterPort ||
      last.domain !== flow.observationDomainId
    ) {
      last.address = flow.exporterAddress;
      last.port = flow.exporterPort;
      last.domain = flow.observationDomainId;
      last.binding = this.bindingFor(flow.exporterAddress, flow.exporterPort, flow.observationDomainId);
    }
    const before = out.length;
    const srcAmbiguous = this.side(last.binding, flow.srcaddr, 'out', out);
    const dstAmbiguous = this.side(last.binding, flow.dstaddr, 'in', out);
    if (srcAmbiguous || dstAmbiguous) return 'ambiguous';
    return out.length > before ? 'attributed' : 'unattributed';
  }

  /** Appends the ENI owning `ip` (if any); true when the address is ambiguous. */
  private side(
    binding: Binding | undefined,
    ip: string,
    direction: 'in' | 'out',
    out: Attribution[],
  ): boolean {
    if (binding !== undefined) {
      const eni = this.byVpcIp.get(`${binding.vpcId}|${ip}`);
      if (eni !== undefined) out.push({ eni, direction });
      return false;
    }
    const candidates = this.byIp.get(ip);
    if (candidates === undefined) return false;
    if (candidates.length > 1) return true;
    out.push({ eni: candidates[0]!, direction });
    return false;
  }
}

/** Reads ENIs, Active flow logs and bindings (call store.settleDue() first). */
export async function loadTopology(db: SqlExecutor): Promise<Topology> {
  const enis = await new NetworkRepo(db).allNetworkInterfaceAddresses();
  const flowLogs = await new FlowLogRepo(db).listActive();
  const bindings = await new ExporterBindingRepo(db).list();
  return new Topology(
    enis.map((e) => ({
      eniId: e.network_interface_id,
      accountId: e.account_id,
      regionId: e.region_id,
      vpcId: e.vpc_id,
      vswitchId: e.vswitch_id,
      ip: e.primary_ip,
      instanceId: e.instance_id,
    })),
    flowLogs.map((f) => ({
      flowLogId: f.flow_log_id,
      accountId: f.account_id,
      regionId: f.region_id,
      resourceType: f.resource_type,
      resourceId: f.resource_id,
      projectName: f.project_name,
      logstoreName: f.logstore_name,
      trafficType: f.traffic_type,
      intervalMs: intervalMs(Number(f.aggregation_interval)),
      createdAt: Number(f.created_at),
    })),
    bindings.map((b) => ({
      address: b.address,
      port: b.port,
      observationDomainId: b.observation_domain_id,
      accountId: b.account_id,
      regionId: b.region_id,
      vpcId: b.vpc_id,
    })),
  );
}
