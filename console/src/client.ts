/**
 * The console's view of the API: typed wrappers over the signed RPC and SLS calls, for one AccessKey.
 * The secret lives in this object (and in sessionStorage, see session.ts), never in the DOM or a URL.
 */
import { callRpc, type Credentials, type ProductCode, type RpcParams } from './api/rpc.js';
import { getLogs, type GetLogsQuery, type GetLogsResult, type SlsTarget } from './api/sls.js';

export interface FlowLog {
  FlowLogId: string;
  FlowLogName: string;
  Description: string;
  Status: string;
  RegionId: string;
  ResourceType: string;
  ResourceId: string;
  TrafficType: string;
  AggregationInterval: number;
  ProjectName: string;
  LogStoreName: string;
  CreationTime: string;
  FlowLogDeliverStatus: string;
  FlowLogDeliverErrorMessage: string;
  BusinessStatus: string;
}

export interface Vpc {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  Status: string;
}

export interface VSwitch {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
}

export interface Eni {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  VpcId: string;
  VSwitchId: string;
  PrivateIpAddress: string;
  Status: string;
  InstanceId: string;
  PrivateIpSets?: { PrivateIpSet?: { PrivateIpAddress: string; Primary: boolean }[] };
}

export interface Region {
  RegionId: string;
  LocalName: string;
}

export interface FlowLogFilter {
  FlowLogId?: string;
  FlowLogName?: string;
  Status?: string;
  ResourceType?: string;
  ResourceId?: string;
  TrafficType?: string;
  VpcId?: string;
  ProjectName?: string;
  LogStoreName?: string;
}

export interface FlowLogPage {
  flowLogs: FlowLog[];
  total: number;
  pageNumber: number;
  pageSize: number;
}

export class Client {
  constructor(
    readonly credentials: Credentials,
    private readonly host: string = location.host,
  ) {}

  get accessKeyId(): string {
    return this.credentials.accessKeyId;
  }

  rpc<T>(product: ProductCode, action: string, params: RpcParams = {}): Promise<T> {
    return callRpc<T>(this.credentials, product, action, params);
  }

  async regions(): Promise<Region[]> {
    const res = await this.rpc<{ Regions: { Region: Region[] } }>('Vpc', 'DescribeRegions', {
      AcceptLanguage: navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US',
    });
    return res.Regions.Region;
  }

  async flowLogs(regionId: string, filter: FlowLogFilter, pageNumber: number, pageSize: number) {
    const res = await this.rpc<{
      FlowLogs: { FlowLog: FlowLog[] };
      TotalCount: string;
      PageNumber: string;
      PageSize: string;
    }>('Vpc', 'DescribeFlowLogs', {
      RegionId: regionId,
      ...filter,
      PageNumber: pageNumber,
      PageSize: pageSize,
    });
    return {
      flowLogs: res.FlowLogs.FlowLog,
      total: Number(res.TotalCount),
      pageNumber: Number(res.PageNumber),
      pageSize: Number(res.PageSize),
    } satisfies FlowLogPage;
  }

  async flowLog(regionId: string, flowLogId: string): Promise<FlowLog | undefined> {
    return (await this.flowLogs(regionId, { FlowLogId: flowLogId }, 1, 1)).flowLogs[0];
  }

  /** Every flow log of the region (pages of 50, at most 20 pages). */
  async allFlowLogs(regionId: string): Promise<FlowLog[]> {
    const out: FlowLog[] = [];
    for (let page = 1; page <= 20; page++) {
      const res = await this.flowLogs(regionId, {}, page, 50);
      out.push(...res.flowLogs);
      if (out.length >= res.total || res.flowLogs.length === 0) break;
    }
    return out;
  }

  async vpcs(regionId: string): Promise<Vpc[]> {
    const res = await this.rpc<{ Vpcs: { Vpc: Vpc[] } }>('Vpc', 'DescribeVpcs', {
      RegionId: regionId,
      PageSize: 50,
    });
    return res.Vpcs.Vpc;
  }

  async vswitches(regionId: string): Promise<VSwitch[]> {
    const res = await this.rpc<{ VSwitches: { VSwitch: VSwitch[] } }>('Vpc', 'DescribeVSwitches', {
      RegionId: regionId,
      PageSize: 50,
    });
    return res.VSwitches.VSwitch;
  }

  async enis(regionId: string): Promise<Eni[]> {
    const res = await this.rpc<{ NetworkInterfaceSets: { NetworkInterfaceSet: Eni[] } }>(
      'Ecs',
      'DescribeNetworkInterfaces',
      { RegionId: regionId, PageSize: 500 },
    );
    return res.NetworkInterfaceSets.NetworkInterfaceSet;
  }

  logs(target: SlsTarget, query: GetLogsQuery): Promise<GetLogsResult> {
    return getLogs(this.credentials, target, query, { host: this.host });
  }
}
