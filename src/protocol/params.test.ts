import { describe, expect, it } from 'vitest';
import { ApiError, ERROR_CATALOG } from './errors.js';
import { validateParams, type ParamSpecs } from './params.js';

const specs = {
  RegionId: { type: 'string', required: true },
  Name: { type: 'string', minLength: 1, maxLength: 5, forbiddenPrefixes: ['http://', 'https://'] },
  Kind: { type: 'string', enum: ['VPC', 'VSwitch'], enumIgnoreCase: true },
  Size: { type: 'integer', min: 1, max: 50, default: 20 },
  Interval: { type: 'integer', enum: [1, 5, 10] },
  All: { type: 'boolean', default: false },
  Path: { type: 'list', item: { type: 'string', enum: ['all', 'vbr'] }, maxItems: 2 },
  Tag: {
    type: 'objectList',
    fields: { Key: { type: 'string', required: true }, Value: { type: 'string' } },
    maxItems: 2,
  },
} as const satisfies ParamSpecs;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('validateParams', () => {
  it('returns typed values with defaults and lists in index order', () => {
    const p = validateParams(specs, {
      RegionId: 'cn-hangzhou',
      Kind: 'vswitch',
      'Path.2': 'vbr',
      'Path.1': 'all',
      'Tag.2.Key': 'b',
      'Tag.1.Key': 'a',
      'Tag.1.Value': 'x',
      Unknown: 'ignored',
    });
    expect(p).toEqual({
      RegionId: 'cn-hangzhou',
      Kind: 'VSwitch',
      Size: 20,
      All: false,
      Path: ['all', 'vbr'],
      Tag: [{ Key: 'a', Value: 'x' }, { Key: 'b' }],
    });
  });

  it('names the missing parameter in the Missing{Name} code', () => {
    expect(codeOf(() => validateParams(specs, {}))).toBe('MissingRegionId');
    expect(codeOf(() => validateParams(specs, { RegionId: 'r', 'Tag.1.Value': 'v' }))).toBe(
      'MissingTag.1.Key',
    );
  });

  it.each([
    [{ Name: 'toolong' }],
    [{ Name: 'http://x' }],
    [{ Kind: 'Router' }],
    [{ Size: '0' }],
    [{ Size: '51' }],
    [{ Size: '1.5' }],
    [{ Size: 'ten' }],
    [{ Interval: '2' }],
    [{ All: 'yes' }],
    [{ 'Path.1': 'nat' }],
    [{ 'Path.1': 'all', 'Path.2': 'all', 'Path.3': 'all' }],
    [{ 'Tag.1.Key': 'a', 'Tag.2.Key': 'b', 'Tag.3.Key': 'c' }],
  ])('refuses %j with the operation error', (extra) => {
    expect(codeOf(() => validateParams(specs, { RegionId: 'r', ...extra }))).toBe('InvalidParameter');
    expect(
      codeOf(() => validateParams(specs, { RegionId: 'r', ...extra }, ERROR_CATALOG.ParameterInvalid)),
    ).toBe('ParameterInvalid');
  });

  it('treats an empty value as absent', () => {
    expect(validateParams(specs, { RegionId: 'r', Size: '' }).Size).toBe(20);
    expect(codeOf(() => validateParams(specs, { RegionId: '' }))).toBe('MissingRegionId');
  });
});
