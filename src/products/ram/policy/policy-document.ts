/**
 * The RAM policy language (Version "1"): parsing and validation. A document is checked once, when it is
 * created (CreatePolicy, CreatePolicyVersion, CreateRole's trust policy, AssumeRole's session Policy),
 * and the parsed form is what the evaluator reads. Invalid documents are refused with RAM's
 * `MalformedPolicyDocument` (HTTP 400), whose message is the error detail (RAM error-code reference).
 *
 * Supported elements: Effect (Allow | Deny), Action / NotAction, Resource / NotResource, Condition
 * (the operators in CONDITION_OPERATORS), and Principal in trust policies only.
 */
import { isIP } from 'node:net';

export type Effect = 'Allow' | 'Deny';

/** Condition: operator -> key (lower-cased) -> values (OR-ed); keys AND-ed; operators AND-ed. */
export type Conditions = Record<string, Record<string, string[]>>;

export interface Statement {
  effect: Effect;
  /** Exactly one of action / notAction is set. */
  action?: string[];
  notAction?: string[];
  /** Exactly one of resource / notResource is set (trust policies have neither). */
  resource?: string[];
  notResource?: string[];
  condition: Conditions;
  /** Trust policies: `{"RAM": [...], "Service": [...]}` flattened to `RAM:acs:ram::1:root` etc. */
  principal?: Principal;
}

export interface Principal {
  ram: string[];
  service: string[];
  federated: string[];
}

export interface PolicyDocument {
  version: '1';
  statements: Statement[];
}

export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'IpAddress',
  'NotIpAddress',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export class PolicyDocumentError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'PolicyDocumentError';
  }
}

export type PolicyKind = 'identity' | 'trust';

const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** Parses and validates a policy document; throws PolicyDocumentError with the detail RAM reports. */
export function parsePolicyDocument(text: string, kind: PolicyKind = 'identity'): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PolicyDocumentError('The policy document is not a valid JSON.');
  }
  if (!isObject(raw)) throw new PolicyDocumentError('The policy document must be a JSON object.');
  for (const key of Object.keys(raw)) {
    if (key !== 'Version' && key !== 'Statement')
      throw new PolicyDocumentError(`Unknown element "${key}" in the policy document.`);
  }
  if (raw['Version'] === undefined) throw new PolicyDocumentError('The element "Version" is required.');
  if (raw['Version'] !== '1')
    throw new PolicyDocumentError(
      `The policy version "${String(raw['Version'])}" is not supported, use "1".`,
    );
  const rawStatements = raw['Statement'];
  if (rawStatements === undefined) throw new PolicyDocumentError('The element "Statement" is required.');
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  if (list.length === 0) throw new PolicyDocumentError('The element "Statement" must not be empty.');
  return { version: '1', statements: list.map((s, i) => parseStatement(s, i + 1, kind)) };
}

function parseStatement(raw: unknown, n: number, kind: PolicyKind): Statement {
  const where = `Statement ${n}`;
  if (!isObject(raw)) throw new PolicyDocumentError(`${where} must be a JSON object.`);
  const allowed =
    kind === 'trust'
      ? ['Effect', 'Action', 'Principal', 'Condition', 'Sid']
      : ['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid'];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) throw new PolicyDocumentError(`Unknown element "${key}" in ${where}.`);
  }
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny')
    throw new PolicyDocumentError(`${where}: the element "Effect" must be "Allow" or "Deny".`);
  const statement: Statement = { effect, condition: parseCondition(raw['Condition'], where) };

  const action = raw['Action'];
  const notAction = raw['NotAction'];
  if ((action === undefined) === (notAction === undefined))
    throw new PolicyDocumentError(`${where} must have exactly one of "Action" and "NotAction".`);
  if (action !== undefined) statement.action = stringList(action, `${where} Action`, checkAction);
  if (notAction !== undefined) statement.notAction = stringList(notAction, `${where} NotAction`, checkAction);

  if (kind === 'trust') {
    if (raw['Principal'] === undefined)
      throw new PolicyDocumentError(`${where}: the element "Principal" is required in a trust policy.`);
    statement.principal = parsePrincipal(raw['Principal'], where);
    for (const a of statement.action ?? []) {
      if (!/^sts:(AssumeRole|\*)$/i.test(a) && a !== '*')
        throw new PolicyDocumentError(
          `${where}: a trust policy may only allow "sts:AssumeRole", not "${a}".`,
        );
    }
    return statement;
  }
  const resource = raw['Resource'];
  const notResource = raw['NotResource'];
  if ((resource === undefined) === (notResource === undefined))
    throw new PolicyDocumentError(`${where} must have exactly one of "Resource" and "NotResource".`);
  if (resource !== undefined) statement.resource = stringList(resource, `${where} Resource`, checkResource);
  if (notResource !== undefined)
    statement.notResource = stringList(notResource, `${where} NotResource`, checkResource);
  return statement;
}

function checkAction(value: string, where: string): void {
  if (!ACTION.test(value))
    throw new PolicyDocumentError(`${where}: "${value}" is not a valid action (service:Action).`);
}

function checkResource(value: string, where: string): void {
  if (value === '*') return;
  // acs:<service>:<region>:<account>:<relative id>; service, region and account may be empty or wildcards.
  const parts = value.split(':');
  if (parts.length < 5 || parts[0] !== 'acs' || !parts[1] || parts.slice(4).join(':') === '')
    throw new PolicyDocumentError(
      `${where}: "${value}" is not a valid resource (acs:service:region:account:id).`,
    );
}

function parsePrincipal(raw: unknown, where: string): Principal {
  if (raw === '*') return { ram: ['*'], service: [], federated: [] };
  if (!isObject(raw)) throw new PolicyDocumentError(`${where}: the element "Principal" must be an object.`);
  const principal: Principal = { ram: [], service: [], federated: [] };
  for (const [key, value] of Object.entries(raw)) {
    const list = stringList(value, `${where} Principal.${key}`);
    if (key === 'RAM') principal.ram = list;
    else if (key === 'Service') principal.service = list;
    else if (key === 'Federated') principal.federated = list;
    else throw new PolicyDocumentError(`${where}: unknown principal type "${key}".`);
  }
  for (const p of principal.ram) {
    if (!/^(\*|acs:ram::(\d+|\*):(root|user\/.+|role\/.+)|\d+)$/.test(p))
      throw new PolicyDocumentError(`${where}: "${p}" is not a valid RAM principal.`);
  }
  return principal;
}

function parseCondition(raw: unknown, where: string): Conditions {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new PolicyDocumentError(`${where}: the element "Condition" must be an object.`);
  const out: Conditions = {};
  for (const [operator, block] of Object.entries(raw)) {
    if (!(CONDITION_OPERATORS as readonly string[]).includes(operator))
      throw new PolicyDocumentError(`${where}: unknown condition operator "${operator}".`);
    if (!isObject(block))
      throw new PolicyDocumentError(`${where}: the condition "${operator}" must map keys to values.`);
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:[A-Za-z0-9/_.-]+$/.test(key))
        throw new PolicyDocumentError(`${where}: "${key}" is not a valid condition key.`);
      const values = stringList(value, `${where} Condition ${operator}.${key}`, undefined, true);
      for (const v of values) checkConditionValue(operator as ConditionOperator, v, `${where} ${operator}`);
      keys[key.toLowerCase()] = values;
    }
    out[operator] = keys;
  }
  return out;
}

function checkConditionValue(op: ConditionOperator, value: string, where: string): void {
  if (op === 'IpAddress' || op === 'NotIpAddress') {
    const [ip, prefix, extra] = value.split('/');
    const family = isIP(ip ?? '');
    const max = family === 4 ? 32 : 128;
    const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (family === 0 || !okPrefix || extra !== undefined)
      throw new PolicyDocumentError(`${where}: "${value}" is not an IP address or CIDR block.`);
  } else if (op.startsWith('Date')) {
    if (Number.isNaN(Date.parse(value)))
      throw new PolicyDocumentError(`${where}: "${value}" is not an ISO 8601 date.`);
  } else if (op.startsWith('Numeric')) {
    if (value.trim() === '' || Number.isNaN(Number(value)))
      throw new PolicyDocumentError(`${where}: "${value}" is not a number.`);
  } else if (op === 'Bool') {
    if (!/^(true|false)$/i.test(value))
      throw new PolicyDocumentError(`${where}: "${value}" is not a boolean.`);
  }
}

/** A string or a non-empty list of strings; numbers and booleans are accepted in conditions. */
function stringList(
  raw: unknown,
  where: string,
  check?: (value: string, where: string) => void,
  scalars = false,
): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new PolicyDocumentError(`${where} must not be empty.`);
  return list.map((v) => {
    let s: string;
    if (typeof v === 'string') s = v;
    else if (scalars && (typeof v === 'number' || typeof v === 'boolean')) s = String(v);
    else throw new PolicyDocumentError(`${where} must be a string or a list of strings.`);
    check?.(s, where);
    return s;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
