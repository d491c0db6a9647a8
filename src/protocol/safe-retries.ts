/**
 * ClientToken idempotency and DryRun, for any operation that declares them (`clientToken: true`,
 * `dryRun: true` in its definition). The gateway runs such a request through `runSafely`; the
 * bookkeeping lives behind `ClientTokenLedger`, which the app implements over the store. Nothing here
 * knows a product.
 *
 * What the real APIs document ("Ensure idempotence", VPC:
 * https://www.alibabacloud.com/help/en/vpc/developer-reference/ensure-idempotence and ECS:
 * https://www.alibabacloud.com/help/en/ecs/developer-reference/how-to-ensure-idempotence; the DryRun
 * parameter docs in the SDK models, e.g. @alicloud/vpc20160428 dist/models/DeleteVswitchRequest.d.ts;
 * the DryRunOperation row of the VPC and ECS API error tables):
 * - ClientToken is a client-generated, case-sensitive string of at most 64 ASCII characters;
 * - the same token with the same parameters returns the result of the first request and has no
 *   further effect; the same token with different parameters fails with IdempotentParameterMismatch
 *   (400, "Request uses a client token in a previous request but is not identical to that request.");
 * - DryRun=true runs the checks (required parameters, format, business restrictions) and answers
 *   DryRunOperation (400, "Request validation has been passed with DryRun flag set.") when they pass,
 *   or the error the request would have got.
 */
import { createHash } from 'node:crypto';
import { ApiError, ERROR_CATALOG } from './errors.js';
import type { StringSpec } from './params.js';

/** Who sent a token, for which operation. Tokens never match across accounts or operations. */
export interface TokenKey {
  readonly accountId: string;
  /** `Product.Action`, e.g. `Vpc.CreateVpc`. */
  readonly action: string;
  readonly clientToken: string;
}

export interface RememberedAnswer {
  readonly fingerprint: string;
  /** The response body without RequestId. */
  readonly answer: Record<string, unknown>;
}

/** Token bookkeeping inside one atomic unit of work. */
export interface TokenBook {
  /** The unexpired first answer for `key`, if any. */
  find(key: TokenKey, now: number): Promise<RememberedAnswer | undefined>;
  /** Records the first answer; also drops expired tokens. */
  keep(key: TokenKey, remembered: RememberedAnswer, now: number, expiresAt: number): Promise<void>;
}

export interface ClientTokenLedger {
  /**
   * Runs `work` as one atomic unit: every store write the handler makes inside it (its own
   * transactions join this one) and the token bookkeeping commit together, or, if `work` throws,
   * none of them do. Two units with the same token must not interleave (the SQLite store serialises
   * all transactions; a shared database must lock the key), so concurrent retries make one resource.
   */
  atomically<T>(work: (book: TokenBook) => Promise<T>): Promise<T>;
}

/** How the gateway validates the two parameters for operations that declare them. */
export const CLIENT_TOKEN_SPEC: StringSpec = {
  type: 'string',
  maxLength: 64,
  // Printable ASCII only, as documented ("can contain only ASCII characters").
  pattern: /^[\x20-\x7e]+$/,
  invalid: ERROR_CATALOG.InvalidClientTokenValueNotSupported,
};

/** Thrown inside the unit of work after a dry run's checks have passed, to roll it back. */
class DryRunPassed extends Error {}

export interface SafeRequest {
  /** Set when the operation declares ClientToken and the request carries one. */
  readonly key: TokenKey | undefined;
  /** Set when the operation declares DryRun and the request has DryRun=true. */
  readonly dryRun: boolean;
  /** The request's validated parameters; their fingerprint tells a true retry from a reused token. */
  readonly params: Record<string, unknown>;
  readonly tokenTtlMs: number;
  readonly now: () => number;
}

/**
 * Runs `handle` under the request's ClientToken and DryRun rules.
 * - DryRun: the handler runs for real inside the unit of work, so every check is the real one; the unit
 *   is then rolled back and DryRunOperation answered. A dry run neither reads nor records tokens.
 * - ClientToken: a remembered answer with the same fingerprint is returned without running anything; a
 *   different fingerprint is IdempotentParameterMismatch; otherwise the handler runs and its answer is
 *   kept in the same transaction as its writes. Only successes are kept: a failed request changes
 *   nothing, its token included, so a retry after fixing the cause runs afresh.
 */
export async function runSafely(
  ledger: ClientTokenLedger,
  req: SafeRequest,
  handle: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (req.dryRun) {
    try {
      await ledger.atomically(async () => {
        await handle();
        throw new DryRunPassed();
      });
    } catch (err) {
      if (err instanceof DryRunPassed) throw new ApiError(ERROR_CATALOG.DryRunOperation);
      throw err;
    }
    throw new Error('unreachable: a dry run always rolls back');
  }
  const key = req.key;
  if (!key) return handle();
  const fingerprint = fingerprintOf(req.params);
  return ledger.atomically(async (book) => {
    const now = req.now();
    const first = await book.find(key, now);
    if (first) {
      if (first.fingerprint !== fingerprint) throw new ApiError(ERROR_CATALOG.IdempotentParameterMismatch);
      return first.answer;
    }
    const answer = await handle();
    await book.keep(key, { fingerprint, answer }, now, now + req.tokenTtlMs);
    return answer;
  });
}

/**
 * A stable hash of the validated parameters: key order, encodings (GET query or POST form, `Name.N`
 * lists), defaults and enum spelling are normalised by validation, and the common parameters
 * (signature, nonce, timestamp, AccessKeyId, Format, Version, ClientToken, DryRun) are not in it.
 */
export function fingerprintOf(params: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(params)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
