/**
 * Every error code the server may answer with, from the error catalogs themselves: a reply whose code
 * is not here is a finding (an error path that bypassed the catalogs).
 */
import { ERROR_CATALOG } from '../../src/protocol/errors.js';
import { SLS_ERRORS } from '../../src/protocol/sls/sls-errors.js';
import { FLOW_LOG_ERRORS } from '../../src/products/vpc/flow-logs/flow-log-errors.js';
import { NETWORK_ERRORS } from '../../src/products/network-errors.js';

function patterns(codes: readonly string[]): RegExp[] {
  return codes.map(
    (c) => new RegExp(`^${c.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[A-Za-z0-9.]+')}$`),
  );
}

const RPC = patterns([
  ...Object.values(ERROR_CATALOG).map((e) => e.code),
  ...Object.values(FLOW_LOG_ERRORS).map((e) => (e as { code: string }).code),
  ...Object.values(NETWORK_ERRORS).map((e) => (e as { code: string }).code),
]);
const SLS = new Set<string>(Object.values(SLS_ERRORS).map((e) => e.errorCode));

export function isCatalogedRpcCode(code: string): boolean {
  return RPC.some((p) => p.test(code));
}

export function isCatalogedSlsCode(code: string): boolean {
  return SLS.has(code);
}
