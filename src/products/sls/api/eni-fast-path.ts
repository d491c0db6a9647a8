/**
 * The index fast path for per-ENI searches. The compiler matches text fields as `lower(col) = ?`
 * (case-insensitive, as SLS text indexes are), which no index can serve; the common flow-log search is
 * `eni-id: eni-xxx [and ...]` over a time range, and `log_records_eni (region_id, project_name,
 * logstore_name, eni_id, time)` answers it directly given an exact `eni_id = ?`. ENI IDs are stored as
 * the lower-case IDs Alibaba Cloud issues, so the lower-cased search value is the stored value.
 *
 * `eniConstraint` returns a set of ENI IDs every matching record's `eni-id` must be in, or undefined when
 * the search does not imply one. The caller ANDs `eni_id IN (...)` into the base filter, and still applies
 * the compiled condition, so the result is unchanged; only the plan gets better.
 */
import type { SearchNode } from '../query/index.js';

/** More than this many alternatives are not worth an IN list (and no search spells that many). */
const MAX_ENIS = 64;

export function eniConstraint(node: SearchNode): string[] | undefined {
  switch (node.kind) {
    case 'match': {
      if (node.key !== 'eni-id' || node.value.wildcard || node.value.text === '') return undefined;
      return [node.value.text.toLowerCase()];
    }
    case 'and': {
      // Any conjunct's constraint holds for the whole conjunction; the narrowest is the best.
      let best: string[] | undefined;
      for (const item of node.items) {
        const c = eniConstraint(item);
        if (c && (!best || c.length < best.length)) best = c;
      }
      return best;
    }
    case 'or': {
      const all = new Set<string>();
      for (const item of node.items) {
        const c = eniConstraint(item);
        if (!c) return undefined;
        for (const id of c) all.add(id);
      }
      return all.size <= MAX_ENIS ? [...all] : undefined;
    }
    default:
      return undefined;
  }
}
