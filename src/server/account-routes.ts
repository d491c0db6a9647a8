/**
 * `POST /_vpcflow/accounts`: the operator creates an account at run time. Body (JSON, optional):
 * `{"accountId": "16 digits"}`; without one a random ID is chosen. The reply carries the account's
 * first root AccessKey, secret included, once; it is sealed at rest and never shown again. Writing,
 * so it obeys the admin rule of the other writing endpoints (admin-routes.ts).
 */
import { randomInt } from 'node:crypto';
import { AccountExistsError, type IdentityService } from '../products/identity/identity-service.js';
import { newAccessKeyId, newAccessKeySecret } from '../products/ram/ram-ids.js';
import type { RawResponse } from '../protocol/request.js';

export async function createAccountRoute(
  identity: IdentityService,
  body: Buffer | undefined,
): Promise<RawResponse> {
  let accountId: string | undefined;
  if (body && body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return json(400, {
        error: 'InvalidBody',
        message: 'The body must be JSON: {"accountId": "16 digits"}',
      });
    }
    const id = (parsed as { accountId?: unknown } | null)?.accountId;
    if (id !== undefined && (typeof id !== 'string' || !/^\d{16}$/.test(id)))
      return json(400, { error: 'InvalidAccountId', message: 'accountId must be 16 digits' });
    accountId = id;
  }
  accountId ??= String(1 + randomInt(9)) + Array.from({ length: 15 }, () => String(randomInt(10))).join('');
  const accessKeyId = newAccessKeyId();
  const accessKeySecret = newAccessKeySecret();
  try {
    await identity.createAccount(accountId, accessKeyId, accessKeySecret);
  } catch (err) {
    if (err instanceof AccountExistsError)
      return json(409, { error: 'AccountAlreadyExists', message: `Account ${accountId} already exists` });
    throw err;
  }
  return json(201, { accountId, accessKeyId, accessKeySecret });
}

function json(status: number, body: object): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}
