import { describe, expect, it } from 'vitest';

import {
  isSlsRequest,
  isValidSlsLogstoreName,
  isValidSlsProjectName,
  matchSlsRoute,
  parseSlsHost,
  parseSlsUrl,
  withSlsProjectHeader,
} from './sls-request.js';

describe('isSlsRequest', () => {
  it('recognises the SLS markers', () => {
    expect(isSlsRequest({ 'x-log-apiversion': '0.6.0' })).toBe(true);
    expect(isSlsRequest({ authorization: 'LOG ak:sig' })).toBe(true);
    expect(
      isSlsRequest({
        authorization:
          'SLS4-HMAC-SHA256 Credential=a/20240101/cn-hangzhou/sls/aliyun_v4_request,Signature=00',
      }),
    ).toBe(true);
    expect(isSlsRequest({ authorization: 'ACS3-HMAC-SHA256 Credential=a' })).toBe(false);
    expect(isSlsRequest({})).toBe(false);
  });
});

describe('project and logstore names', () => {
  it('follows the SLS rules', () => {
    expect(isValidSlsProjectName('flow-proj')).toBe(true);
    expect(isValidSlsProjectName('abc')).toBe(true);
    expect(isValidSlsProjectName('a'.repeat(63))).toBe(true);
    for (const bad of ['ab', 'a'.repeat(64), 'Flow', 'flow_proj', '-flow', 'flow-', 'fl.ow']) {
      expect(isValidSlsProjectName(bad), bad).toBe(false);
    }
    expect(isValidSlsLogstoreName('flow_store-1')).toBe(true);
    expect(isValidSlsLogstoreName('_flow')).toBe(false);
  });
});

describe('parseSlsHost', () => {
  it('reads {project}.localhost, {project}.{region}.localhost and {project}.127.0.0.1', () => {
    expect(parseSlsHost('flow-proj.localhost:8080')).toEqual({
      ok: true,
      project: 'flow-proj',
      region: undefined,
      endpoint: 'localhost',
    });
    expect(parseSlsHost('flow-proj.cn-hangzhou.localhost:8080')).toEqual({
      ok: true,
      project: 'flow-proj',
      region: 'cn-hangzhou',
      endpoint: 'cn-hangzhou.localhost',
    });
    expect(parseSlsHost('flow-proj.127.0.0.1:8080')).toEqual({
      ok: true,
      project: 'flow-proj',
      region: undefined,
      endpoint: '127.0.0.1',
    });
  });

  it('sees the bare endpoint as no project', () => {
    expect(parseSlsHost('127.0.0.1:8080')).toMatchObject({ ok: true, project: undefined });
    expect(parseSlsHost('localhost:8080')).toMatchObject({ ok: true, project: undefined });
    expect(parseSlsHost('[::1]:8080')).toMatchObject({ ok: true, project: undefined });
    expect(parseSlsHost('cn-hangzhou.localhost:1', { regions: ['cn-hangzhou'] })).toMatchObject({
      ok: true,
      project: undefined,
      region: 'cn-hangzhou',
    });
  });

  it('supports configured endpoints and rejects bad projects and unknown hosts', () => {
    expect(parseSlsHost('p1p.sls.example.internal', { endpoints: ['sls.example.internal'] })).toMatchObject({
      ok: true,
      project: 'p1p',
      endpoint: 'sls.example.internal',
    });
    expect(parseSlsHost('sls.example.internal:80', { endpoints: ['sls.example.internal'] })).toMatchObject({
      ok: true,
      project: undefined,
    });
    expect(parseSlsHost('Bad_Name.localhost:1')).toMatchObject({ ok: false, reason: 'invalid-project' });
    expect(parseSlsHost('ab.localhost:1')).toMatchObject({ ok: false, reason: 'invalid-project' });
    expect(parseSlsHost('a.b.c.localhost:1')).toMatchObject({ ok: false, reason: 'invalid-project' });
    expect(parseSlsHost('x.y.127.0.0.1:1')).toMatchObject({ ok: false, reason: 'invalid-project' });
    expect(parseSlsHost('example.com')).toMatchObject({ ok: false, reason: 'unknown-host' });
    expect(parseSlsHost(undefined)).toMatchObject({ ok: false, reason: 'missing-host' });
  });
});

describe('parseSlsUrl', () => {
  it('splits the path and decodes the query like the clients encode it', () => {
    expect(
      parseSlsUrl('/logstores/ls?type=log&query=srcaddr%3A%2010.1.2.3%20%7C%20select%20count(*)&topic='),
    ).toEqual({
      path: '/logstores/ls',
      query: { type: 'log', query: 'srcaddr: 10.1.2.3 | select count(*)', topic: '' },
    });
    expect(parseSlsUrl('/?')).toEqual({ path: '/', query: {} });
    expect(parseSlsUrl('/x?a=1+2&a=3&b')).toEqual({ path: '/x', query: { a: '1 2', b: '' } });
    expect(parseSlsUrl('/x?bad=%E0%A4%A')).toEqual({ path: '/x', query: { bad: '%E0%A4%A' } });
  });
});

describe('matchSlsRoute', () => {
  const m = (method: string, url: string, project?: string | null) => {
    const { path, query } = parseSlsUrl(url);
    return matchSlsRoute(method, path, query, project);
  };

  it('routes every served operation', () => {
    expect(m('POST', '/', null)?.operation).toBe('CreateProject');
    expect(m('POST', '/', 'p1p')?.operation).toBe('CreateProject');
    expect(m('GET', '/', 'p1p')?.operation).toBe('GetProject');
    expect(m('GET', '/?offset=0&size=10', null)?.operation).toBe('ListProject');
    expect(m('DELETE', '/', 'p1p')?.operation).toBe('DeleteProject');
    expect(m('POST', '/logstores', 'p1p')?.operation).toBe('CreateLogStore');
    expect(m('GET', '/logstores?offset=0&size=100', 'p1p')?.operation).toBe('ListLogStores');
    expect(m('GET', '/logstores/ls', 'p1p')).toMatchObject({
      operation: 'GetLogStore',
      params: { logstore: 'ls' },
    });
    expect(m('PUT', '/logstores/ls', 'p1p')?.operation).toBe('UpdateLogStore');
    expect(m('DELETE', '/logstores/ls', 'p1p')?.operation).toBe('DeleteLogStore');
    expect(m('GET', '/logstores/ls?type=log&from=1&to=2', 'p1p')).toMatchObject({
      operation: 'GetLogs',
      params: { logstore: 'ls' },
    });
    expect(m('POST', '/logstores/ls/logs', 'p1p')).toMatchObject({
      operation: 'GetLogsV2',
      params: { logstore: 'ls' },
    });
  });

  it('applies the project condition only when told whether there is one', () => {
    expect(m('GET', '/')?.operation).toBe('GetProject');
    expect(m('GET', '/logstores/ls?type=log', null)).toBeUndefined();
    expect(m('DELETE', '/', null)).toBeUndefined();
    expect(m('GET', '/logstores/ls?type=log')?.operation).toBe('GetLogs');
  });

  it('returns undefined for what is not served', () => {
    expect(m('GET', '/logstores/ls?type=histogram', 'p1p')).toBeUndefined();
    expect(m('PATCH', '/logstores/ls', 'p1p')).toBeUndefined();
    expect(m('GET', '/logstores/ls/shards', 'p1p')).toBeUndefined();
    expect(m('GET', '/logstores//logs', 'p1p')).toBeUndefined();
  });
});

describe('withSlsProjectHeader (x-log-project, for same-origin browser clients)', () => {
  it('names the project when the Host is the bare endpoint', () => {
    expect(withSlsProjectHeader(parseSlsHost('127.0.0.1:8080'), 'flow-proj')).toEqual({
      ok: true,
      project: 'flow-proj',
      region: undefined,
      endpoint: '127.0.0.1',
    });
    expect(withSlsProjectHeader(parseSlsHost('localhost:8080'), ' flow-proj ')).toMatchObject({
      ok: true,
      project: 'flow-proj',
    });
  });

  it('changes nothing without the header, and agrees with a Host that names the same project', () => {
    expect(withSlsProjectHeader(parseSlsHost('localhost'), undefined)).toEqual(parseSlsHost('localhost'));
    expect(withSlsProjectHeader(parseSlsHost('flow-proj.localhost'), 'flow-proj')).toMatchObject({
      ok: true,
      project: 'flow-proj',
    });
  });

  it('rejects an invalid name and a Host that names another project', () => {
    expect(withSlsProjectHeader(parseSlsHost('localhost'), 'Bad_Name')).toEqual({
      ok: false,
      reason: 'invalid-project',
      host: 'Bad_Name',
    });
    expect(withSlsProjectHeader(parseSlsHost('flow-proj.localhost'), 'other-proj')).toMatchObject({
      ok: false,
      reason: 'invalid-project',
    });
    const unknown = parseSlsHost('example.com');
    expect(withSlsProjectHeader(unknown, 'flow-proj')).toEqual(unknown);
  });
});
