/** The safety-limit settings: defaults, flag over variable, range checks naming the setting. */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/config.js';

describe('safety limit settings', () => {
  it('has the documented defaults', () => {
    expect(resolveConfig({}, {})).toMatchObject({
      throttleRps: 200,
      noncesPerKey: 200_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxRequestsPerSocket: 1_000,
      maxConnectionsPerIp: 256,
      maxTemplates: 10_000,
      maxTemplatesPerExporter: 1_000,
      maxTemplateFields: 500_000,
      maxDomains: 10_000,
      maxDomainsPerExporter: 64,
      queryTimeoutMs: 55_000,
      queryConcurrency: 15,
      searchConcurrency: 100,
      queryMaxResponseBytes: 10 * 1024 * 1024,
      queryMaxTerms: 30,
      queryMaxLikes: 256,
      queryMaxColumns: 1_000,
      queryMaxLiteralBytes: 16 * 1024,
    });
  });

  it('reads the query budget from its flags and variables', () => {
    const env = { VPCFLOW_QUERY_TIMEOUT_MS: '5000', VPCFLOW_QUERY_CONCURRENCY: '3' };
    expect(resolveConfig({ 'query-timeout-ms': '1500', 'search-concurrency': '7' }, env)).toMatchObject({
      queryTimeoutMs: 1500,
      queryConcurrency: 3,
      searchConcurrency: 7,
    });
    expect(() => resolveConfig({ 'query-timeout-ms': '10' }, {})).toThrow(
      /--query-timeout-ms \/ VPCFLOW_QUERY_TIMEOUT_MS must be an integer/,
    );
    expect(() => resolveConfig({ 'query-max-response-bytes': '1000' }, {})).toThrow(ConfigError);
  });

  it('reads each from its flag or variable, the flag winning', () => {
    const env = {
      VPCFLOW_THROTTLE_RPS: '5',
      VPCFLOW_MAX_TEMPLATES: '77',
      VPCFLOW_HEADERS_TIMEOUT_MS: '2000',
    };
    expect(resolveConfig({}, env)).toMatchObject({
      throttleRps: 5,
      maxTemplates: 77,
      headersTimeoutMs: 2000,
    });
    expect(resolveConfig({ 'throttle-rps': '0', 'max-templates': '9' }, env)).toMatchObject({
      throttleRps: 0,
      maxTemplates: 9,
    });
  });

  it('refuses values out of range with a message naming the setting', () => {
    expect(() => resolveConfig({ 'max-connections-per-ip': '0' }, {})).toThrow(
      /--max-connections-per-ip \/ VPCFLOW_MAX_CONNECTIONS_PER_IP must be an integer/,
    );
    expect(() => resolveConfig({ 'throttle-rps': 'lots' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ 'headers-timeout-ms': '20000', 'request-timeout-ms': '10000' }, {})).toThrow(
      /headers-timeout-ms must not be larger/,
    );
  });
});
