/**
 * RFC 3986 percent-encoding as both Alibaba signature schemes define it (api-spec.md 3.3):
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
