/**
 * RAM's wildcard matching for Action and Resource: `*` matches any run of characters (also `:` and `/`),
 * `?` matches exactly one. Actions compare case-insensitively (`vpc:describe*` matches
 * `vpc:DescribeFlowLogs`), resources case-sensitively, as RAM documents for its policy elements.
 */
const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function matchesAction(pattern: string, action: string): boolean {
  return compile(pattern, true).test(action);
}

export function matchesResource(pattern: string, resource: string): boolean {
  return compile(pattern, false).test(resource);
}

/** Case-sensitive glob, for the StringLike condition operator. */
export function matchesLike(pattern: string, value: string): boolean {
  return compile(pattern, false).test(value);
}
