/**
 * Condition evaluation. Values of one key are OR-ed, keys of one operator and operators of one statement
 * are AND-ed. A key the request does not carry makes its condition false, so a statement guarded by
 * an unknown key never applies (RAM's behaviour for absent keys, without the IfExists variants).
 *
 * Request keys are lower-cased: `acs:sourceip`, `acs:currenttime`, `acs:securetransport`.
 */
import { BlockList, isIP } from 'node:net';
import type { ConditionOperator, Conditions } from './policy-document.js';
import { matchesLike } from './wildcard.js';

export type RequestContextKeys = Readonly<Record<string, string | undefined>>;

export function conditionsHold(conditions: Conditions, context: RequestContextKeys): boolean {
  for (const [operator, keys] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(keys)) {
      const actual = context[key];
      if (actual === undefined) return false;
      if (!operatorHolds(operator as ConditionOperator, actual, values)) return false;
    }
  }
  return true;
}

function operatorHolds(op: ConditionOperator, actual: string, values: string[]): boolean {
  switch (op) {
    case 'StringEquals':
      return values.includes(actual);
    case 'StringNotEquals':
      return !values.includes(actual);
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
      return values.some((v) => matchesLike(v, actual));
    case 'StringNotLike':
      return !values.some((v) => matchesLike(v, actual));
    case 'Bool':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'IpAddress':
      return inAny(actual, values);
    case 'NotIpAddress':
      return isIP(actual) !== 0 && !inAny(actual, values);
    default:
      if (op.startsWith('Numeric')) return compare(op.slice(7), Number(actual), values.map(Number));
      return compare(
        op.slice(4),
        Date.parse(actual),
        values.map((v) => Date.parse(v)),
      );
  }
}

/** `Equals` / `NotEquals` / `LessThan` / ... over numbers (dates as epoch milliseconds). */
function compare(kind: string, actual: number, values: number[]): boolean {
  if (Number.isNaN(actual)) return false;
  const test = (v: number): boolean => {
    switch (kind) {
      case 'Equals':
        return actual === v;
      case 'LessThan':
        return actual < v;
      case 'LessThanEquals':
        return actual <= v;
      case 'GreaterThan':
        return actual > v;
      case 'GreaterThanEquals':
        return actual >= v;
      default:
        return false;
    }
  };
  return kind === 'NotEquals' ? !values.includes(actual) : values.some(test);
}

function inAny(ip: string, cidrs: string[]): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [addr = '', prefix] = cidr.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
