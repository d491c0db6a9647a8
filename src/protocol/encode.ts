/**
 * RFC 3986 percent-encoding as both Alibaba signature schemes define it (`encode` in `@alicloud/openapi-core`
 * src/utils.ts and in `@alicloud/pop-core` lib/rpc.js; the V2 and V3 signature pages under
 * https://www.alibabacloud.com/help/en/sdk/product-overview/):
 * encodeURIComponent, plus `!'()*`, which it leaves alone. Unreserved characters stay as they are.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Sorts keys by byte order (UTF-16 code units equal byte order for the ASCII names used here). */
export function sortedKeys(params: Record<string, string>): string[] {
  return Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
