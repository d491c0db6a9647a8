import { describe, expect, it } from 'vitest';
import { QueryError } from './errors.js';
import type { SearchNode } from './search-parser.js';
import { parseSearch } from './search-parser.js';

/** Compact rendering of the AST so expectations stay readable. */
function show(node: SearchNode): string {
  switch (node.kind) {
    case 'all':
      return '*';
    case 'and':
      return `and(${node.items.map(show).join(', ')})`;
    case 'or':
      return `or(${node.items.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.item)})`;
    case 'match': {
      const v = node.value.parts
        .map((p) => (p.kind === 'lit' ? p.text : p.kind === 'star' ? '<*>' : '<?>'))
        .join('');
      return node.key === null ? `text[${v}]` : `${node.key}=[${v}]`;
    }
    case 'compare':
      return `${node.key}${node.op}${node.value}`;
    case 'range': {
      const lo = node.lo ? `${node.lo.inclusive ? '[' : '('}${node.lo.value}` : '(*';
      const hi = node.hi ? `${node.hi.value}${node.hi.inclusive ? ']' : ')'}` : '*)';
      return `${node.key} in ${lo},${hi}`;
    }
  }
}

const p = (q: string): string => show(parseSearch(q));

function parseError(q: string): QueryError {
  try {
    parseSearch(q);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return e as QueryError;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('search parser: terms', () => {
  it('treats empty, blank and * as match-all', () => {
    expect(p('')).toBe('*');
    expect(p('   ')).toBe('*');
    expect(p('*')).toBe('*');
  });

  it('parses key: value with or without spaces around the colon', () => {
    expect(p('srcaddr: 10.0.0.1')).toBe('srcaddr=[10.0.0.1]');
    expect(p('srcaddr:10.0.0.1')).toBe('srcaddr=[10.0.0.1]');
    expect(p('eni-id : eni-abc')).toBe('eni-id=[eni-abc]');
  });

  it('parses prefix, single-char wildcards and field presence', () => {
    expect(p('eni-id: eni-1*')).toBe('eni-id=[eni-1<*>]');
    expect(p('srcaddr: 10.0.?.1')).toBe('srcaddr=[10.0.<?>.1]');
    expect(p('vm-id: *')).toBe('vm-id=[<*>]');
  });

  it('parses quoted phrases literally (wildcards and keywords inside quotes are text)', () => {
    expect(p('action: "ACCEPT"')).toBe('action=[ACCEPT]');
    expect(p('vm-id: "a b*"')).toBe('vm-id=[a b*]');
    expect(p('"and"')).toBe('text[and]');
    expect(p('"eni-id": eni-1')).toBe('eni-id=[eni-1]');
    expect(p('vm-id: "say \\"hi\\""')).toBe('vm-id=[say "hi"]');
  });

  it('honours backslash escapes in bare words', () => {
    expect(p('vm-id: a\\*b')).toBe('vm-id=[a*b]');
    const node = parseSearch('vm-id: a\\*b');
    expect(node.kind === 'match' && node.value.wildcard).toBe(false);
    expect(p('\\and')).toBe('text[and]');
  });

  it('parses numeric comparisons, with and without spaces', () => {
    expect(p('srcport > 1024')).toBe('srcport>1024');
    expect(p('srcport>1024')).toBe('srcport>1024');
    expect(p('bytes >= 10')).toBe('bytes>=10');
    expect(p('bytes < 10')).toBe('bytes<10');
    expect(p('bytes <= 10.5')).toBe('bytes<=10.5');
    expect(p('protocol = 6')).toBe('protocol=6');
    expect(p('bytes > -1')).toBe('bytes>-1');
  });

  it('parses ranges with in [a b], (a b], [a, b), open bounds and key: [a b]', () => {
    expect(p('dstport in [80 443]')).toBe('dstport in [80,443]');
    expect(p('dstport IN (80 443]')).toBe('dstport in (80,443]');
    expect(p('dstport in [80, 443)')).toBe('dstport in [80,443)');
    expect(p('bytes in [100 *]')).toBe('bytes in [100,*)');
    expect(p('bytes: [* 100]')).toBe('bytes in (*,100]');
  });

  it('parses free text terms', () => {
    expect(p('10.0.0.1')).toBe('text[10.0.0.1]');
    expect(p('REJECT 443')).toBe('and(text[REJECT], text[443])');
    expect(p('eni-*')).toBe('text[eni-<*>]');
  });
});

describe('search parser: operators', () => {
  it('joins juxtaposed terms with an implicit AND', () => {
    expect(p('a: 1 b: 2 c')).toBe('and(a=[1], b=[2], text[c])');
  });

  it('accepts and/or/not in any case', () => {
    expect(p('a: 1 AND b: 2')).toBe('and(a=[1], b=[2])');
    expect(p('a: 1 Or b: 2')).toBe('or(a=[1], b=[2])');
    expect(p('NOT a: 1')).toBe('not(a=[1])');
  });

  it('binds not tighter than and, and tighter than or', () => {
    expect(p('a: 1 or b: 2 and c: 3')).toBe('or(a=[1], and(b=[2], c=[3]))');
    expect(p('a: 1 and b: 2 or c: 3')).toBe('or(and(a=[1], b=[2]), c=[3])');
    expect(p('not a: 1 and b: 2')).toBe('and(not(a=[1]), b=[2])');
    expect(p('not a: 1 or b: 2')).toBe('or(not(a=[1]), b=[2])');
    expect(p('not not a: 1')).toBe('not(not(a=[1]))');
  });

  it('reads binary not as AND NOT (SLS: query1 not query2 = query1 - query2)', () => {
    expect(p('a: 1 not b: 2')).toBe('and(a=[1], not(b=[2]))');
  });

  it('groups with parentheses', () => {
    expect(p('(a: 1 or b: 2) and c: 3')).toBe('and(or(a=[1], b=[2]), c=[3])');
    expect(p('not (a: 1 or b: 2)')).toBe('not(or(a=[1], b=[2]))');
    expect(p('((a: 1))')).toBe('a=[1]');
  });

  it('keeps positions for error reporting', () => {
    const node = parseSearch('a: 1 and    bytes > 3');
    expect(node.kind === 'and' && node.items[1]?.kind === 'compare' && node.items[1].pos).toBe(12);
  });
});

describe('search parser: errors', () => {
  it.each([
    ['(a: 1', 'unexpected end of query'],
    ['a: 1)', "unexpected ')'"],
    ['a:', "expected a value after 'a:'"],
    ['and a: 1', "unexpected 'and'"],
    ['a: 1 or', 'unexpected end of query'],
    ['a: 1 and and b: 2', "unexpected 'and'"],
    ['srcport > abc', 'expected a number'],
    ['srcport in [1', 'expected a number or *'],
    ['srcport in [1 2', "expected ']' or ')'"],
    ['srcport in 1', "expected '[' or '('"],
    ['a: "unterminated', 'unterminated double-quoted string'],
    ['a: (b or c)', "expected a value after 'a:'"],
    ['e*: 1', 'wildcard not allowed in key'],
    ['a: b\\', 'dangling escape'],
  ])('rejects %s', (q, detail) => {
    const e = parseError(q);
    expect(e.errorCode).toBe('ParameterInvalid');
    expect(e.message).toMatch(/^parse search query error,please read query syntax document,error detail:/);
    expect(e.message).toContain(detail);
    expect(e.position).toBeTypeOf('number');
  });

  it('reports the 1-based position of the offending token', () => {
    const e = parseError('a: 1 )');
    expect(e.position).toBe(5);
    expect(e.message).toContain('at position 6');
  });

  it('limits nesting depth instead of overflowing the stack', () => {
    expect(() => parseSearch(`${'('.repeat(200)}a: 1${')'.repeat(200)}`)).toThrow(/nested too deeply/);
    expect(() => parseSearch(`${'not '.repeat(200)}a: 1`)).toThrow(/nested too deeply/);
  });
});
