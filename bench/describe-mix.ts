/**
 * The request mix of bench:describe: twelve filters and pages of DescribeFlowLogs, each asked in every
 * account and region, plus a cold page of the tag every flow log carries (SHARED_TAG), a different page
 * each time so the answer cache never has it.
 */
import type { MixEntry } from './describe-load.js';
import { ACCOUNTS, REGIONS, SHARED_TAG, type Population } from './describe-populate.js';

/** The filters, labelled as the results tables show them; `r` is the region, `s` its scope. */
const FILTERS: {
  label: string;
  params: (r: string, s: Population['scopes'][number]) => Record<string, string>;
}[] = [
  { label: 'RegionId only', params: (r) => ({ RegionId: r }) },
  { label: 'page 3 of 50', params: (r) => ({ RegionId: r, PageSize: '50', PageNumber: '3' }) },
  { label: 'page 40', params: (r) => ({ RegionId: r, PageNumber: '40' }) },
  { label: 'VpcId', params: (r, s) => ({ RegionId: r, VpcId: s.vpcIds[1]! }) },
  { label: 'VpcId, 50 a page', params: (r, s) => ({ RegionId: r, VpcId: s.vpcIds[2]!, PageSize: '50' }) },
  { label: 'ResourceId (ENI)', params: (r, s) => ({ RegionId: r, ResourceId: s.eniIds[7]! }) },
  {
    label: 'FlowLogId',
    params: (r, s) => ({ RegionId: r, FlowLogId: s.flowLogIds[3] ?? s.flowLogIds[0]! }),
  },
  { label: 'Status + TrafficType', params: (r) => ({ RegionId: r, Status: 'Inactive', TrafficType: 'All' }) },
  { label: 'one tag (1/8)', params: (r) => ({ RegionId: r, 'Tags.1.Key': 'team', 'Tags.1.Value': 't4' }) },
  {
    label: 'two tags',
    params: (r) => ({
      RegionId: r,
      'Tags.1.Key': 'team',
      'Tags.1.Value': 't0',
      'Tags.2.Key': 'env',
      'Tags.2.Value': 'dev',
    }),
  },
  {
    label: 'FlowLogName + ResourceType',
    params: (r) => ({ RegionId: r, FlowLogName: 'flowlog-42', ResourceType: 'NetworkInterface' }),
  },
  {
    label: 'Description + LogStore + Project',
    params: (r, s) => ({
      RegionId: r,
      Description: 'tier web',
      LogStoreName: 'store-b',
      ProjectName: `bench-${s.accountId.slice(-4)}`,
    }),
  },
];

export const COLD_SHARED_TAG = 'tag on every flow log, cold page';

/** Every filter in every scope (account and region); `size` flow logs in all, spread evenly. */
export function requestMix(pop: Population, size: number): MixEntry[] {
  const perScope = size / (ACCOUNTS.length * REGIONS.length);
  const mix: MixEntry[] = [];
  for (const scope of pop.scopes) {
    const account = pop.accounts.find((a) => a.accountId === scope.accountId)!;
    const base = { accessKeyId: account.accessKeyId, secret: account.secret };
    for (const f of FILTERS) mix.push({ ...base, label: f.label, params: f.params(scope.regionId, scope) });
    mix.push({
      ...base,
      label: COLD_SHARED_TAG,
      params: { RegionId: scope.regionId, 'Tags.1.Key': SHARED_TAG.Key, 'Tags.1.Value': SHARED_TAG.Value },
      // Pages of 50 that exist: with PageSize 20 to 50 they reach from the newest to the oldest.
      coldPages: Math.floor(perScope / 50),
    });
  }
  return mix;
}

export const LABELS = [...FILTERS.map((f) => f.label), COLD_SHARED_TAG];

/** A write that moves the data version of DescribeFlowLogs' tables: a tag on a VPC of the first scope. */
export function bumpEntry(pop: Population): MixEntry {
  const scope = pop.scopes[0]!;
  const account = pop.accounts.find((a) => a.accountId === scope.accountId)!;
  return {
    accessKeyId: account.accessKeyId,
    secret: account.secret,
    params: {
      Action: 'TagResources',
      RegionId: scope.regionId,
      ResourceType: 'VPC',
      'ResourceId.1': scope.vpcIds[0]!,
      'Tag.1.Key': 'bench-bump',
      'Tag.1.Value': '0',
    },
  };
}
