import { describe, expect, it } from 'vitest';
import { percentEncode } from './encode.js';
import { v1Sign, v1StringToSign } from './signature-v1.js';
import { parseV3Authorization, v3CanonicalRequest, v3Sign, v3StringToSign } from './signature-v3.js';

// Test vectors computed with the SDK's own OpenApiUtil functions (`getRPCSignature`, `getAuthorization` in
// `@alicloud/openapi-core` 1.0.8 src/utils.ts).
describe('signature v1 (OpenApiUtil.getRPCSignature vectors)', () => {
  const params = {
    AccessKeyId: 'testid',
    Action: 'DescribeFlowLogs',
    Description: 'a b*c',
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2026-01-01T00:00:00Z',
    Version: '2016-04-28',
  };

  it('builds the documented string to sign', () => {
    expect(v1StringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeFlowLogs%26Description%3Da%2520b%252Ac%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2026-01-01T00%253A00%253A00Z%26Version%3D2016-04-28',
    );
  });

  it('computes the documented signature', () => {
    expect(v1Sign(v1StringToSign('GET', params), 'testsecret')).toBe('NON2x0b68J9Jk+qmJvIQ6qYWJM4=');
  });

  it('ignores a Signature parameter when building the string to sign', () => {
    expect(v1StringToSign('GET', { ...params, Signature: 'x' })).toBe(v1StringToSign('GET', params));
  });
});

describe('signature v3 (OpenApiUtil.getAuthorization vectors)', () => {
  const headers: Record<string, string> = {
    host: '127.0.0.1:8080',
    'x-acs-action': 'DescribeFlowLogs',
    'x-acs-version': '2016-04-28',
    'x-acs-date': '2026-01-01T00:00:00Z',
    'x-acs-signature-nonce': '3ee8c1b883d344afa94f4e0ad82fd6cf',
    'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    accept: 'application/json',
  };
  const signedHeaders = [
    'host',
    'x-acs-action',
    'x-acs-content-sha256',
    'x-acs-date',
    'x-acs-signature-nonce',
    'x-acs-version',
  ];
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: { RegionId: 'cn-hangzhou', PageSize: '20', Description: 'a b*c' },
    header: (n) => headers[n],
    signedHeaders,
    payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  });

  it('builds the documented canonical request', () => {
    expect(canonical).toBe(
      'POST\n/\nDescription=a%20b%2Ac&PageSize=20&RegionId=cn-hangzhou\nhost:127.0.0.1:8080\nx-acs-action:DescribeFlowLogs\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2026-01-01T00:00:00Z\nx-acs-signature-nonce:3ee8c1b883d344afa94f4e0ad82fd6cf\nx-acs-version:2016-04-28\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('computes the documented signature', () => {
    expect(v3Sign(v3StringToSign(canonical), 'testsecret')).toBe(
      '740086998893ec3a444f129d656ecdda37692ea2a358bc56823d358e052ea1d9',
    );
  });

  it('parses the Authorization header', () => {
    const auth = parseV3Authorization(
      'ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature=7400',
    );
    expect(auth).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      accessKeyId: 'testid',
      signedHeaders: ['host', 'x-acs-action'],
      signature: '7400',
    });
    expect(parseV3Authorization('ACS3-HMAC-SHA256 Credential=testid')).toBeUndefined();
    expect(parseV3Authorization('garbage')).toBeUndefined();
  });
});

describe('percentEncode', () => {
  it('encodes as RFC 3986 with the characters encodeURIComponent leaves', () => {
    expect(percentEncode("a b!'()*~-_.")).toBe('a%20b%21%27%28%29%2A~-_.');
    expect(percentEncode('中')).toBe('%E4%B8%AD');
  });
});
