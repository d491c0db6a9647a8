/**
 * Alibaba Cloud's public regions: ID, local names (zh-CN and en-US), the Vpc endpoint the SDKs use,
 * the zones, and the 3-character prefix real resource IDs in that region start with (`bp1` in
 * cn-hangzhou: `vpc-bp1...`, `fl-bp1...`). Endpoints follow the SDK endpoint map: the central regions
 * use vpc.aliyuncs.com, the others vpc.{region}.aliyuncs.com (`_endpointMap` in `@alicloud/vpc20160428`
 * src/client.ts).
 */
export interface Region {
  readonly id: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly zones: readonly string[];
  readonly idPrefix: string;
  readonly vpcEndpoint: string;
}

const CENTRAL = new Set([
  'cn-hangzhou',
  'cn-qingdao',
  'cn-beijing',
  'cn-shanghai',
  'cn-shenzhen',
  'cn-hongkong',
  'ap-southeast-1',
  'us-east-1',
  'us-west-1',
]);

type Entry = [id: string, zh: string, en: string, zoneLetters: string, prefix: string];

const ENTRIES: Entry[] = [
  ['cn-qingdao', '华北1（青岛）', 'China (Qingdao)', 'bc', 'm5e'],
  ['cn-beijing', '华北2（北京）', 'China (Beijing)', 'acdefghijkl', '2ze'],
  ['cn-zhangjiakou', '华北3（张家口）', 'China (Zhangjiakou)', 'abc', '8vb'],
  ['cn-huhehaote', '华北5（呼和浩特）', 'China (Hohhot)', 'ab', 'hp3'],
  ['cn-wulanchabu', '华北6（乌兰察布）', 'China (Ulanqab)', 'abc', '0jl'],
  ['cn-hangzhou', '华东1（杭州）', 'China (Hangzhou)', 'bcdefghijk', 'bp1'],
  ['cn-shanghai', '华东2（上海）', 'China (Shanghai)', 'abcdefglmn', 'uf6'],
  ['cn-nanjing', '华东5（南京-本地地域）', 'China (Nanjing - Local Region)', 'a', 'gc7'],
  ['cn-fuzhou', '华东6（福州-本地地域）', 'China (Fuzhou - Local Region)', 'a', 'gs5'],
  ['cn-shenzhen', '华南1（深圳）', 'China (Shenzhen)', 'abcdef', 'wz9'],
  ['cn-heyuan', '华南2（河源）', 'China (Heyuan)', 'ab', 'f8z'],
  ['cn-guangzhou', '华南3（广州）', 'China (Guangzhou)', 'ab', '7xv'],
  ['cn-chengdu', '西南1（成都）', 'China (Chengdu)', 'ab', '2vc'],
  ['cn-wuhan-lr', '华中1（武汉-本地地域）', 'China (Wuhan - Local Region)', 'a', 'n4a'],
  ['cn-hongkong', '中国香港', 'China (Hong Kong)', 'bcd', 'j6c'],
  ['ap-northeast-1', '日本（东京）', 'Japan (Tokyo)', 'abc', '6we'],
  ['ap-northeast-2', '韩国（首尔）', 'South Korea (Seoul)', 'a', 'mj7'],
  ['ap-southeast-1', '新加坡', 'Singapore', 'abc', 't4n'],
  ['ap-southeast-3', '马来西亚（吉隆坡）', 'Malaysia (Kuala Lumpur)', 'ab', '8ps'],
  ['ap-southeast-5', '印度尼西亚（雅加达）', 'Indonesia (Jakarta)', 'abc', 'k1a'],
  ['ap-southeast-6', '菲律宾（马尼拉）', 'Philippines (Manila)', 'a', '5ts'],
  ['ap-southeast-7', '泰国（曼谷）', 'Thailand (Bangkok)', 'a', '0jo'],
  ['us-east-1', '美国（弗吉尼亚）', 'US (Virginia)', 'ab', '0xi'],
  ['us-west-1', '美国（硅谷）', 'US (Silicon Valley)', 'ab', 'rj9'],
  ['na-south-1', '墨西哥', 'Mexico', 'a', 'p8b'],
  ['eu-west-1', '英国（伦敦）', 'UK (London)', 'ab', 'd7o'],
  ['eu-central-1', '德国（法兰克福）', 'Germany (Frankfurt)', 'abc', 'gw8'],
  ['me-east-1', '阿联酋（迪拜）', 'UAE (Dubai)', 'a', 'eb3'],
  ['me-central-1', '沙特（利雅得）', 'SAU (Riyadh - Partner Region)', 'ab', 'l4d'],
];

export const REGIONS: readonly Region[] = ENTRIES.map(([id, nameZh, nameEn, letters, idPrefix]) => ({
  id,
  nameZh,
  nameEn,
  zones: [...letters].map((l) => `${id}-${l}`),
  idPrefix,
  vpcEndpoint: CENTRAL.has(id) ? 'vpc.aliyuncs.com' : `vpc.${id}.aliyuncs.com`,
}));

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

export function findRegion(id: string): Region | undefined {
  return BY_ID.get(id);
}

export function regionExists(id: string): boolean {
  return BY_ID.has(id);
}
