/** Every operation declares its RAM authorization: an action of its own product, or 'none'. */
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/products/operations.js';
import { buildSlsRegistry } from '../src/products/sls/api/sls-operations.js';
import { SLS_ROUTES } from '../src/protocol/sls/sls-request.js';

describe('RAM declarations', () => {
  it('each RPC operation names its action (service prefix of its product) and builds ARNs', () => {
    const scope = { accountId: '1234567890123456', regionId: 'cn-hangzhou' };
    for (const op of buildRegistry().all()) {
      const name = `${op.product.code}.${op.action}`;
      expect(op.authorization, name).toBeDefined();
      if (op.authorization === 'none' || op.authorization === undefined) continue;
      const code = op.product.ramCode ?? op.product.code.toLowerCase();
      expect(op.authorization.action, name).toBe(`${code}:${op.action}`);
      // ARNs from parameters as the validator leaves them (lists empty, scalars absent).
      const empty = Object.fromEntries(
        Object.entries(op.params).map(([k, spec]) => [
          k,
          spec.type === 'list' || spec.type === 'objectList' ? [] : 'x',
        ]),
      );
      // AssumeRole's resource is its RoleArn parameter itself.
      if (op.action === 'AssumeRole') continue;
      const arns = op.authorization.resources(empty as never, scope);
      for (const arn of typeof arns === 'string' ? [arns] : arns)
        expect(arn, name).toMatch(/^(\*|acs:[a-z]+:)/);
    }
  });

  it('each SLS operation names a log: action and builds its ARN from its parameters', async () => {
    const registry = buildSlsRegistry();
    const scope = { accountId: '1234567890123456', region: () => Promise.resolve('cn-hangzhou') };
    for (const op of registry.all()) {
      // SLS documents one action for both query operations; `log:GetLogs` does not exist.
      const action = op.name === 'GetLogs' || op.name === 'GetLogsV2' ? 'GetLogStoreLogs' : op.name;
      expect(op.authorization.action, op.name).toBe(`log:${action}`);
      const params = Object.fromEntries(
        Object.entries(op.params).map(([k, spec]) => [k, spec.type === 'string' ? 'x' : 0]),
      );
      const arn = await op.authorization.resource(params as never, scope);
      expect(arn, op.name).toMatch(
        /^acs:log:cn-hangzhou:1234567890123456:project\/(x|\*)(\/logstore\/(x|\*))?$/,
      );
    }
  });

  it('every SLS route names a registered operation, and every operation has a route', () => {
    const registry = buildSlsRegistry();
    for (const route of SLS_ROUTES) expect(registry.find(route.operation), route.operation).toBeDefined();
    const routed = new Set(SLS_ROUTES.map((r) => r.operation));
    for (const op of registry.all()) expect(routed.has(op.name), op.name).toBe(true);
  });
});
