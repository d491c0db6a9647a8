import { describe, expect, it } from 'vitest';
import { evaluatePolicies, evaluateSession } from './evaluate.js';
import { parsePolicyDocument, PolicyDocumentError } from './policy-document.js';
import { SYSTEM_POLICIES, systemPolicy } from './system-policies.js';
import { trustAllows } from './trust.js';

const doc = (statements: object[]) =>
  parsePolicyDocument(JSON.stringify({ Version: '1', Statement: statements }));
const FL1 = 'acs:vpc:cn-hangzhou:111:flowlog/fl-1';
const FL2 = 'acs:vpc:cn-hangzhou:111:flowlog/fl-2';
const ctx = {
  'acs:sourceip': '10.0.0.5',
  'acs:currenttime': '2026-01-01T00:00:00Z',
  'acs:securetransport': 'false',
};
const req = (action: string, resources = [FL1], context: Record<string, string> = ctx) => ({
  action,
  resources,
  context,
});

describe('policy evaluation', () => {
  it('no policy is an implicit deny', () => {
    expect(evaluatePolicies([], req('vpc:DescribeFlowLogs'))).toBe('ImplicitDeny');
  });

  it('Action wildcards match case-insensitively, service prefix included', () => {
    const p = [doc([{ Effect: 'Allow', Action: 'vpc:Describe*', Resource: '*' }])];
    expect(evaluatePolicies(p, req('vpc:DescribeFlowLogs'))).toBe('Allow');
    expect(evaluatePolicies(p, req('VPC:describeflowlogs'))).toBe('Allow');
    expect(evaluatePolicies(p, req('vpc:CreateFlowLog'))).toBe('ImplicitDeny');
    expect(evaluatePolicies(p, req('ecs:DescribeVpcs'))).toBe('ImplicitDeny');
    const all = [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])];
    expect(evaluatePolicies(all, req('ram:CreateUser'))).toBe('Allow');
  });

  it('an explicit Deny wins over any Allow', () => {
    const p = [
      doc([{ Effect: 'Allow', Action: 'vpc:*', Resource: '*' }]),
      doc([{ Effect: 'Deny', Action: 'vpc:DeleteFlowLog', Resource: FL1 }]),
    ];
    expect(evaluatePolicies(p, req('vpc:DeleteFlowLog'))).toBe('ExplicitDeny');
    expect(evaluatePolicies(p, req('vpc:DeleteFlowLog', [FL2]))).toBe('Allow');
  });

  it('Resource ARNs scope to one flow log; wildcards cross segments; case-sensitive', () => {
    const p = [doc([{ Effect: 'Allow', Action: 'vpc:*FlowLog*', Resource: 'acs:vpc:*:111:flowlog/fl-1' }])];
    expect(evaluatePolicies(p, req('vpc:ModifyFlowLogAttribute', [FL1]))).toBe('Allow');
    expect(evaluatePolicies(p, req('vpc:ModifyFlowLogAttribute', [FL2]))).toBe('ImplicitDeny');
    expect(evaluatePolicies(p, req('vpc:ModifyFlowLogAttribute', [FL1.toUpperCase()]))).toBe('ImplicitDeny');
    // Every resource must be allowed.
    expect(evaluatePolicies(p, req('vpc:ModifyFlowLogAttribute', [FL1, FL2]))).toBe('ImplicitDeny');
    const q = [doc([{ Effect: 'Allow', Action: 'log:GetLogs', Resource: 'acs:log:*:*:project/p1/*' }])];
    expect(evaluatePolicies(q, req('log:GetLogs', ['acs:log:cn-hangzhou:111:project/p1/logstore/s1']))).toBe(
      'Allow',
    );
    expect(evaluatePolicies(q, req('log:GetLogs', ['acs:log:cn-hangzhou:111:project/p2/logstore/s1']))).toBe(
      'ImplicitDeny',
    );
  });

  it('NotAction and NotResource invert the match', () => {
    const p = [doc([{ Effect: 'Allow', NotAction: 'vpc:Delete*', NotResource: FL2 }])];
    expect(evaluatePolicies(p, req('vpc:CreateFlowLog'))).toBe('Allow');
    expect(evaluatePolicies(p, req('vpc:DeleteFlowLog'))).toBe('ImplicitDeny');
    expect(evaluatePolicies(p, req('vpc:CreateFlowLog', [FL2]))).toBe('ImplicitDeny');
  });

  it('acs:SourceIp with IpAddress / NotIpAddress, IPv4 and IPv6', () => {
    const allow = [
      doc([
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/24', '::1'] } },
        },
      ]),
    ];
    expect(evaluatePolicies(allow, req('vpc:DescribeFlowLogs'))).toBe('Allow');
    expect(
      evaluatePolicies(allow, req('vpc:DescribeFlowLogs', [FL1], { ...ctx, 'acs:sourceip': '10.0.1.5' })),
    ).toBe('ImplicitDeny');
    expect(
      evaluatePolicies(allow, req('vpc:DescribeFlowLogs', [FL1], { ...ctx, 'acs:sourceip': '::1' })),
    ).toBe('Allow');
    const deny = [
      doc([
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
        },
      ]),
    ];
    expect(evaluatePolicies(deny, req('vpc:DescribeFlowLogs'))).toBe('Allow');
    expect(
      evaluatePolicies(deny, req('vpc:DescribeFlowLogs', [FL1], { ...ctx, 'acs:sourceip': '127.0.0.1' })),
    ).toBe('ExplicitDeny');
  });

  it('acs:CurrentTime with DateLessThan / DateGreaterThan; acs:SecureTransport with Bool', () => {
    const p = [
      doc([
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: {
            DateGreaterThan: { 'acs:CurrentTime': '2025-12-31T23:00:00Z' },
            DateLessThan: { 'acs:CurrentTime': '2026-01-01T08:00:00+08:00' },
          },
        },
      ]),
    ];
    expect(evaluatePolicies(p, req('vpc:DescribeFlowLogs'))).toBe('ImplicitDeny'); // 08:00+08:00 is 00:00Z
    expect(
      evaluatePolicies(
        p,
        req('vpc:DescribeFlowLogs', [FL1], { ...ctx, 'acs:currenttime': '2025-12-31T23:30:00Z' }),
      ),
    ).toBe('Allow');
    const tls = [
      doc([
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'acs:SecureTransport': 'true' } },
        },
      ]),
    ];
    expect(evaluatePolicies(tls, req('vpc:DescribeFlowLogs'))).toBe('ImplicitDeny');
    expect(
      evaluatePolicies(tls, req('vpc:DescribeFlowLogs', [FL1], { ...ctx, 'acs:securetransport': 'true' })),
    ).toBe('Allow');
  });

  it('a condition on a key the request lacks never holds', () => {
    const p = [
      doc([
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'acs:MFAPresent': 'true' } },
        },
      ]),
    ];
    expect(evaluatePolicies(p, req('vpc:DescribeFlowLogs'))).toBe('ImplicitDeny');
  });

  it('a session policy narrows the identity policies; a Deny in either wins', () => {
    const identity = [doc([{ Effect: 'Allow', Action: 'vpc:*', Resource: '*' }])];
    const session = doc([{ Effect: 'Allow', Action: 'vpc:Describe*', Resource: '*' }]);
    expect(evaluateSession(identity, session, req('vpc:DescribeFlowLogs'))).toBe('Allow');
    expect(evaluateSession(identity, session, req('vpc:CreateFlowLog'))).toBe('ImplicitDeny');
    expect(evaluateSession([], session, req('vpc:DescribeFlowLogs'))).toBe('ImplicitDeny');
    const denying = doc([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'vpc:Describe*', Resource: '*' },
    ]);
    expect(evaluateSession(identity, denying, req('vpc:DescribeFlowLogs'))).toBe('ExplicitDeny');
  });
});

describe('policy validation (MalformedPolicyDocument details)', () => {
  const bad: Array<[string, string]> = [
    ['not json', 'not a valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{"Statement":[]}', '"Version" is required'],
    ['{"Version":"2012-10-17","Statement":[]}', 'not supported'],
    ['{"Version":"1"}', '"Statement" is required'],
    ['{"Version":"1","Statement":[]}', 'must not be empty'],
    ['{"Version":"1","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}', '"Effect"'],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}', '"Action" and "NotAction"'],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Action":"*"}]}', '"Resource" and "NotResource"'],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"DescribeVpcs","Resource":"*"}]}',
      'not a valid action',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::x"}]}',
      'not a valid resource',
    ],
    ['{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":[]}]}', 'must not be empty'],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":1,"Resource":"*"}]}',
      'string or a list of strings',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Foo":1}]}',
      'Unknown element "Foo"',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpIn":{"acs:SourceIp":"1.2.3.4"}}}]}',
      'unknown condition operator',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"1.2.3.400"}}}]}',
      'not an IP address',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"soon"}}}]}',
      'not an ISO 8601 date',
    ],
    [
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"yes"}}}]}',
      'not a boolean',
    ],
  ];
  it.each(bad)('%s', (text, detail) => {
    expect(() => parsePolicyDocument(text)).toThrow(PolicyDocumentError);
    expect(() => parsePolicyDocument(text)).toThrow(detail);
  });

  it('every system policy parses', () => {
    for (const p of SYSTEM_POLICIES) expect(() => parsePolicyDocument(p.document)).not.toThrow();
  });

  it('AliyunVPCReadOnlyAccess allows describe and refuses create', () => {
    const ro = [parsePolicyDocument(systemPolicy('AliyunVPCReadOnlyAccess')!.document)];
    expect(evaluatePolicies(ro, req('vpc:DescribeFlowLogs'))).toBe('Allow');
    expect(evaluatePolicies(ro, req('vpc:DescribeVpcs'))).toBe('Allow');
    expect(evaluatePolicies(ro, req('vpc:CreateFlowLog'))).toBe('ImplicitDeny');
  });
});

describe('trust policies', () => {
  const trust = (principal: object) =>
    parsePolicyDocument(
      JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }],
      }),
      'trust',
    );
  it('root trusts every identity of the account; a user principal trusts that user only', () => {
    const root = trust({ RAM: ['acs:ram::111:root'] });
    expect(trustAllows(root, { accountId: '111', relative: 'user/alice' }, ctx)).toBe(true);
    expect(trustAllows(root, { accountId: '222', relative: 'root' }, ctx)).toBe(false);
    const alice = trust({ RAM: 'acs:ram::111:user/alice' });
    expect(trustAllows(alice, { accountId: '111', relative: 'user/alice' }, ctx)).toBe(true);
    expect(trustAllows(alice, { accountId: '111', relative: 'user/bob' }, ctx)).toBe(false);
    expect(trustAllows(trust({ RAM: '111' }), { accountId: '111', relative: 'root' }, ctx)).toBe(true);
  });
  it('a trust policy needs a Principal and only sts:AssumeRole', () => {
    expect(() =>
      parsePolicyDocument(
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
        'trust',
      ),
    ).toThrow('"Principal" is required');
    expect(() =>
      parsePolicyDocument(
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"vpc:*","Principal":{"RAM":"111"}}]}',
        'trust',
      ),
    ).toThrow('only allow');
  });
});
