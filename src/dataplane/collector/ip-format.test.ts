import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, unmapIPv4 } from './ip-format.js';
import { ip } from './message-builder.js';

describe('address formatting', () => {
  it('formats IPv4', () => {
    expect(formatIPv4(Buffer.from([0, 10, 0, 0, 255]), 1)).toBe('10.0.0.255');
  });

  it.each([
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // single zero group not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'], // IPv4-mapped (RFC 5952 §5)
    ['2001:DB8:ABCD:12:0:0:0:0', '2001:db8:abcd:12::'],
  ])('formats %s as %s (RFC 5952)', (input, want) => {
    expect(formatIPv6(Buffer.concat([Buffer.alloc(3), ip(input)]), 3)).toBe(want);
  });

  it('unmaps IPv4-mapped peer addresses only', () => {
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::ffff:7f00:1')).toBe('::ffff:7f00:1');
    expect(unmapIPv4('2001:db8::1')).toBe('2001:db8::1');
  });
});
