// Pure vectors for the signature helpers; the end-to-end checks against the real clients are in
// sls-clients.test.ts and sls-fixtures.test.ts.
import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { authFailureToSlsError, verifySlsRequest } from './sls-auth.js';
import {
  buildSlsV1StringToSign,
  canonicalizeSlsV1Resource,
  parseHttpDate,
  signSlsV1,
} from './sls-signature-v1.js';
import {
  EMPTY_BODY_SHA256,
  buildSlsV4CanonicalRequest,
  canonicalizeSlsV4Query,
  percentEncodeLikeSdk,
  percentEncodeRfc3986,
  slsV4SigningKey,
} from './sls-signature-v4.js';

describe('v1 helpers', () => {
  it('builds the documented string to sign', () => {
    const s = buildSlsV1StringToSign({
      method: 'GET',
      path: '/logstores/ls',
      query: { type: 'log', from: '1', query: 'a: b | select *' },
      headers: {
        date: 'Mon, 03 Jan 2010 08:33:47 GMT',
        'x-log-signaturemethod': 'hmac-sha1',
        'x-log-apiversion': '0.6.0',
        'x-acs-security-token': 'tok',
        'user-agent': 'x',
      },
    });
    expect(s).toBe(
      'GET\n\n\nMon, 03 Jan 2010 08:33:47 GMT\nx-acs-security-token:tok\nx-log-apiversion:0.6.0\nx-log-signaturemethod:hmac-sha1\n' +
        '/logstores/ls?from=1&query=a: b | select *&type=log',
    );
  });

  it('knows the two query orderings and bare keys', () => {
    const q = { a: '1', 'a-b': '2', c: '' };
    expect(canonicalizeSlsV1Resource('/', q)).toBe('/?a=1&a-b=2&c=');
    expect(canonicalizeSlsV1Resource('/', q, { sort: 'pair', bareEmpty: false })).toBe('/?a-b=2&a=1&c=');
    expect(canonicalizeSlsV1Resource('/', q, { sort: 'key', bareEmpty: true })).toBe('/?a=1&a-b=2&c');
    expect(canonicalizeSlsV1Resource('/', {})).toBe('/');
  });

  it('accepts @alicloud/log pair ordering when it differs', () => {
    const headers = { date: new Date().toUTCString(), 'x-log-signaturemethod': 'hmac-sha1' };
    const request = {
      method: 'GET',
      path: '/logstores',
      query: { a: '1', 'a-b': '2' },
      headers,
      body: Buffer.alloc(0),
    };
    const pairString = buildSlsV1StringToSign(request, 'prefix', { sort: 'pair', bareEmpty: false });
    const signed = { ...headers, authorization: `LOG ak:${signSlsV1(pairString, 'sk', 'sha1')}` };
    expect(verifySlsRequest({ ...request, headers: signed }, { lookupSecret: () => 'sk' })).toMatchObject({
      ok: true,
    });
  });

  it('parses RFC 1123 dates only', () => {
    expect(parseHttpDate('Wed, 25 Nov 2026 01:43:25 GMT')?.toISOString()).toBe('2026-11-25T01:43:25.000Z');
    expect(parseHttpDate('2026-11-25T01:43:25Z')).toBeUndefined();
    expect(parseHttpDate('1700000000')).toBeUndefined();
  });

  it('maps malformed headers and methods to SLS errors', () => {
    const base = { method: 'GET', path: '/', query: {}, body: Buffer.alloc(0) };
    const date = new Date().toUTCString();
    const fail = (headers: Record<string, string>) => {
      const r = verifySlsRequest({ ...base, headers }, { lookupSecret: () => 'sk' });
      if (r.ok) throw new Error('expected a failure');
      return authFailureToSlsError(r.failure);
    };
    expect(fail({})).toMatchObject({ errorCode: 'MissAccessKeyId', httpStatus: 400 });
    expect(fail({ authorization: 'LOG nocolon', date })).toMatchObject({ errorCode: 'ParameterInvalid' });
    expect(fail({ authorization: 'Bearer x', date })).toMatchObject({ errorCode: 'ParameterInvalid' });
    expect(fail({ authorization: 'LOG a:b', date, 'x-log-signaturemethod': 'hmac-md5' })).toMatchObject({
      errorCode: 'InvalidSignatureMethod',
    });
    expect(fail({ authorization: 'LOG a:b' })).toMatchObject({ errorCode: 'MissingDate' });
    expect(fail({ authorization: 'LOG a:b', date: 'yesterday' })).toMatchObject({
      errorCode: 'InvalidDateFormat',
    });
    expect(fail({ authorization: 'LOG a:b', date })).toMatchObject({
      errorCode: 'SignatureNotMatch',
      httpStatus: 401,
    });
  });
});

describe('v4 helpers', () => {
  it('reproduces the SDK percentEncode quirk: only the first * is encoded', () => {
    expect(percentEncodeLikeSdk('* | select count(*)')).toBe('%2A%20%7C%20select%20count(*)');
    expect(percentEncodeRfc3986('* | select count(*)')).toBe('%2A%20%7C%20select%20count%28%2A%29');
    expect(canonicalizeSlsV4Query({ type: 'log', topic: '', from: '1' })).toBe('from=1&topic&type=log');
  });

  it('derives the signing key as gateway-sls does', () => {
    const h = (k: string | Buffer, d: string) => createHmac('sha256', k).update(d).digest();
    const expected = h(h(h(h('aliyun_v4sk', '20240204'), 'cn-hangzhou'), 'sls'), 'aliyun_v4_request');
    expect(slsV4SigningKey('sk', '20240204', 'cn-hangzhou').equals(expected)).toBe(true);
  });

  it('signs host, content-type and x-log-/x-acs- headers, sorted', () => {
    const canonical = buildSlsV4CanonicalRequest(
      {
        method: 'GET',
        path: '/logstores/ls',
        query: { type: 'log' },
        headers: {
          host: 'p.localhost:1',
          'x-log-date': '20240204T113158Z',
          'user-agent': 'x',
          accept: 'application/json',
        },
      },
      EMPTY_BODY_SHA256,
    );
    expect(canonical).toBe(
      `GET\n/logstores/ls\ntype=log\nhost:p.localhost:1\nx-log-date:20240204T113158Z\n\nhost;x-log-date\n${EMPTY_BODY_SHA256}`,
    );
  });
});
