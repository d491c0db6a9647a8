import { describe, expect, it } from 'vitest';
import { validateSlsParams, type SlsRequestParts } from './sls-params.js';

const parts = (over: Partial<SlsRequestParts> = {}): SlsRequestParts => ({
  hostProject: undefined,
  path: {},
  query: {},
  headers: {},
  body: Buffer.alloc(0),
  ...over,
});

describe('validateSlsParams', () => {
  it('reads each place: Host, path, query, header (any case), body', () => {
    const specs = {
      project: { type: 'string', in: 'host', required: true },
      logstore: { type: 'string', in: 'path', required: true },
      size: { type: 'integer', in: 'query', default: 10 },
      'x-log-hint': { type: 'string', in: 'header' },
      reverse: { type: 'boolean', in: 'body', default: false },
    } as const;
    const p = validateSlsParams(
      specs,
      parts({
        hostProject: 'proj',
        path: { logstore: 'ls' },
        query: { size: '5' },
        headers: { 'x-log-hint': 'h' },
        body: Buffer.from('{"reverse":true}'),
      }),
    );
    expect(p).toEqual({ project: 'proj', logstore: 'ls', size: 5, 'x-log-hint': 'h', reverse: true });
  });

  it('tries several places in order; empty counts as absent', () => {
    const specs = { name: { type: 'string', in: ['body', 'host'], required: true } } as const;
    const body = (json: string) => Buffer.from(json);
    expect(validateSlsParams(specs, parts({ hostProject: 'h', body: body('{"name":"b"}') })).name).toBe('b');
    expect(validateSlsParams(specs, parts({ hostProject: 'h', body: body('{"name":""}') })).name).toBe('h');
  });

  it('clamps, and refuses a value below the parameter it must not precede', () => {
    const specs = {
      from: { type: 'integer', in: 'query', required: true },
      to: { type: 'integer', in: 'query', required: true, notBelow: 'from' },
      line: { type: 'integer', in: 'query', min: 0, clampTo: 100, default: 100 },
    } as const;
    expect(validateSlsParams(specs, parts({ query: { from: '1', to: '1', line: '900' } })).line).toBe(100);
    expect(() => validateSlsParams(specs, parts({ query: { from: '2', to: '1' } }))).toThrow(
      'to : 1 pair is invalid',
    );
  });

  it('parses the body only when a parameter lives there', () => {
    const query = { q: { type: 'string', in: 'query' } } as const;
    expect(validateSlsParams(query, parts({ body: Buffer.from('not json') }))).toEqual({});
    const body = { q: { type: 'string', in: 'body' } } as const;
    expect(() => validateSlsParams(body, parts({ body: Buffer.from('not json') }))).toThrow(
      'The request body is not valid JSON object.',
    );
  });
});
