import { describe, expect, it } from 'vitest';
import { formatDouble, formatValue, toStringRow } from './string-row.js';

describe('toStringRow', () => {
  it('prints every value as a string the way SLS does', () => {
    expect(
      toStringRow({ a: 42, b: 'x', c: null, d: undefined, e: 12n, f: true, g: 2.5, h: -7, i: 1e21 }),
    ).toEqual({
      a: '42',
      b: 'x',
      c: 'null',
      d: 'null',
      e: '12',
      f: 'true',
      g: '2.5',
      h: '-7',
      i: '1000000000000000000000',
    });
  });

  it('uses column types for doubles and booleans', () => {
    expect(
      toStringRow(
        { avg: 100, avg2: 2.5, ok: 1, no: 0, n: 3 },
        { avg: 'double', avg2: 'double', ok: 'boolean', no: 'boolean' },
      ),
    ).toEqual({ avg: '100.0', avg2: '2.5', ok: 'true', no: 'false', n: '3' });
  });

  it('formats doubles like Java Double.toString (Presto)', () => {
    expect(formatDouble(0)).toBe('0.0');
    expect(formatDouble(1)).toBe('1.0');
    expect(formatDouble(1234.5678)).toBe('1234.5678');
    expect(formatDouble(0.001)).toBe('0.001');
    expect(formatDouble(0.0001)).toBe('1.0E-4');
    expect(formatDouble(9_999_999)).toBe('9999999.0');
    expect(formatDouble(10_000_000)).toBe('1.0E7');
    expect(formatDouble(123_456_789.5)).toBe('1.234567895E8');
    expect(formatDouble(-2.5e-7)).toBe('-2.5E-7');
    expect(formatDouble(Number.NaN)).toBe('NaN');
    expect(formatDouble(-Infinity)).toBe('-Infinity');
  });

  it('handles other driver value shapes', () => {
    expect(formatValue(Buffer.from('abc'))).toBe('abc');
    expect(formatValue(5n, 'double')).toBe('5.0');
    expect(formatValue('7', 'long')).toBe('7');
  });
});
