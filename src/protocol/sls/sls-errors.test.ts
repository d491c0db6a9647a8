import { describe, expect, it } from 'vitest';

import { SLS_ERRORS, newSlsRequestId, renderSlsError, slsError } from './sls-errors.js';

describe('SLS error catalog', () => {
  it('fills placeholders with the live-service wording', () => {
    expect(slsError('ProjectNotExist', { project: 'flow-proj' }).message).toBe(
      'The Project does not exist : flow-proj',
    );
    expect(slsError('LogStoreNotExist', { logstore: 'ls' }).message).toBe('logstore ls does not exist');
    expect(slsError('ProjectAlreadyExist', { project: 'p1p' }).message).toBe('Project p1p already exist');
    expect(slsError('LogStoreAlreadyExist', { logstore: 'ls' }).message).toBe('logstore ls already exists');
    expect(slsError('SignatureNotMatch', { signature: 'abc=' }).message).toBe('signature abc= not match');
    expect(slsError('AccessKeyIdNotFound', { accessKeyId: 'AK' })).toMatchObject({
      errorCode: 'Unauthorized',
      httpStatus: 401,
      message: 'AccessKeyId not found: AK',
    });
  });

  it('has a valid status and no stray braces in every entry', () => {
    for (const [id, entry] of Object.entries(SLS_ERRORS)) {
      expect(entry.httpStatus, id).toBeGreaterThanOrEqual(400);
      expect(entry.httpStatus, id).toBeLessThan(600);
      expect(entry.message.replace(/\{\w+\}/g, ''), id).not.toMatch(/[{}]/);
      expect(entry.errorCode, id).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });

  it('uses the statuses SLS documents', () => {
    const status = (id: keyof typeof SLS_ERRORS) => SLS_ERRORS[id].httpStatus;
    expect(status('ProjectNotExist')).toBe(404);
    expect(status('LogStoreNotExist')).toBe(404);
    expect(status('ProjectAlreadyExist')).toBe(400);
    expect(status('LogStoreAlreadyExist')).toBe(400);
    expect(status('SignatureNotMatch')).toBe(401);
    expect(status('Unauthorized')).toBe(401);
    expect(status('InvalidAccessKeyId')).toBe(401);
    expect(status('ParameterInvalid')).toBe(400);
    expect(status('RequestTimeExpired')).toBe(400);
    expect(status('PostBodyTooLarge')).toBe(400);
    expect(status('InternalServerError')).toBe(500);
    expect(status('InvalidMethod')).toBe(405);
    // The query budget (provoked in test/query-budget.test.ts): a 4xx, never a 5xx.
    expect(status('ExceedQuota')).toBe(403);
    expect(status('RequestTimeout')).toBe(408);
    expect(slsError('ExceedQuota', { limit: 15, kind: 'query' }).message).toBe(
      'user can only run 15 query concurrently',
    );
  });
});

describe('renderSlsError', () => {
  it('produces the SLS envelope and headers', () => {
    const now = new Date('2024-02-04T11:31:58Z');
    const res = renderSlsError(slsError('ProjectNotExist', { project: 'p1p' }), { requestId: 'ABC', now });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({
      errorCode: 'ProjectNotExist',
      errorMessage: 'The Project does not exist : p1p',
    });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json',
      'x-log-requestid': 'ABC',
      server: 'AliyunSLS',
      date: 'Sun, 04 Feb 2024 11:31:58 GMT',
      'x-log-time': String(Date.parse('2024-02-04T11:31:58Z') / 1000),
      'content-length': String(Buffer.byteLength(res.body)),
    });
  });

  it('makes request ids like SLS: 24 upper-case hex, Unix seconds first', () => {
    const id = newSlsRequestId(new Date(1510644428_000));
    expect(id).toMatch(/^[0-9A-F]{24}$/);
    expect(id.startsWith('5A0A9ACC')).toBe(true);
    expect(renderSlsError(slsError('ServerBusy')).headers['x-log-requestid']).toMatch(/^[0-9A-F]{24}$/);
  });
});
