/** Every operation declares its RAM authorization: an action of its own product, or 'none'. */
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/products/operations.js';
import { SLS_OPERATIONS } from '../src/products/sls/api/sls-operations.js';

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

  it('each SLS operation names a log: action', () => {
    for (const [name, spec] of Object.entries(SLS_OPERATIONS))
      expect(spec.action, name).toMatch(/^log:[A-Z]/);
  });
});
