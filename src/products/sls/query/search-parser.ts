/**
 * Parser for the SLS *search statement* (the part before `|`). Produces a small AST; turning it into
 * SQL is search-to-sql.ts's job, so this file knows nothing about columns or dialects.
 *
 * Grammar (keywords `and` / `or` / `not` / `in` are case-insensitive, as in SLS):
 *
 *   query   := orExpr? EOF                       empty or `*` = every log
 *   orExpr  := andExpr ( OR andExpr )*
 *   andExpr := unary ( AND? unary )*            juxtaposition = implicit AND
 *   unary   := NOT unary | primary              so `a not b` = `a AND NOT b` (SLS's binary "not")
 *   primary := '(' orExpr ')' | term
 *   term    := key ':' value                    key: value, key: prefix*, key: *, key: "phrase"
 *            | key ':' range                    key: [1 100] (also `key: [1, 100]`)
 *            | key ('>'|'>='|'<'|'<='|'=') num
 *            | key IN range                     key in [1 100], key in (1 100]
 *            | value                            free text
 *   range   := ('['|'(') bound ','? bound (']'|')')    bound := number | '*' (unbounded)
 *
 * Precedence not > and > or follows the SLS "Logical operators" page ("in descending order of priority:
 * not, and, or"). Values: `*` matches any run of characters and `?` one character (SLS fuzzy search);
 * inside double quotes both are literal; `\` escapes the next character everywhere.
 */
import { searchSyntaxError } from './errors.js';

/** A value pattern: literal text interleaved with `*` / `?` wildcards. */
export type PatternPart = { kind: 'lit'; text: string } | { kind: 'star' } | { kind: 'one' };

export interface SearchValue {
  parts: PatternPart[];
  /** true when the value contains at least one unescaped, unquoted wildcard. */
  wildcard: boolean;
  /** the value with wildcards rendered back as `*` / `?` (for numbers and messages). */
  text: string;
  quoted: boolean;
}

export type CompareOp = '>' | '>=' | '<' | '<=' | '=';

export interface RangeBound {
  value: number;
  inclusive: boolean;
}

export type SearchNode =
  | { kind: 'all' }
  | { kind: 'and'; items: SearchNode[] }
  | { kind: 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  /** `key: value`, or free text when key is null. */
  | { kind: 'match'; key: string | null; value: SearchValue; pos: number }
  | { kind: 'compare'; key: string; op: CompareOp; value: number; pos: number }
  | { kind: 'range'; key: string; lo: RangeBound | null; hi: RangeBound | null; pos: number };

type TokenKind = 'word' | 'quoted' | '(' | ')' | '[' | ']' | ':' | ',' | 'op' | 'eof';

interface Token {
  kind: TokenKind;
  pos: number;
  /** op text, or the unescaped text of a word/quoted token */
  text: string;
  parts: PatternPart[];
  wildcard: boolean;
  /** a bare word with no escapes, eligible to be a keyword */
  plain: boolean;
}

const MAX_DEPTH = 64;
const MAX_LENGTH = 16 * 1024;
const WORD_STOP = new Set([
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\v',
  '(',
  ')',
  '[',
  ']',
  ':',
  '"',
  '<',
  '>',
  '=',
  ',',
]);

function pushLit(parts: PatternPart[], ch: string): void {
  const last = parts[parts.length - 1];
  if (last && last.kind === 'lit') last.text += ch;
  else parts.push({ kind: 'lit', text: ch });
}

function partsText(parts: PatternPart[]): string {
  return parts.map((p) => (p.kind === 'lit' ? p.text : p.kind === 'star' ? '*' : '?')).join('');
}

function tokenize(src: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const simple = (kind: TokenKind, text: string, pos: number): Token => ({
    kind,
    pos: pos + offset,
    text,
    parts: [],
    wildcard: false,
    plain: false,
  });
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ':' || ch === ',') {
      tokens.push(simple(ch, ch, start));
      i++;
      continue;
    }
    if (ch === '<' || ch === '>' || ch === '=') {
      const two = src.slice(i, i + 2);
      const op = two === '>=' || two === '<=' ? two : ch;
      tokens.push(simple('op', op, start));
      i += op.length;
      continue;
    }
    if (ch === '"') {
      // Phrase: everything up to the closing quote is literal; `\` escapes the next character.
      const parts: PatternPart[] = [];
      i++;
      let closed = false;
      while (i < src.length) {
        const c = src[i] as string;
        if (c === '\\') {
          if (i + 1 >= src.length) break;
          pushLit(parts, src[i + 1] as string);
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        pushLit(parts, c);
        i++;
      }
      if (!closed) throw searchSyntaxError('unterminated double-quoted string', start + offset);
      tokens.push({
        kind: 'quoted',
        pos: start + offset,
        text: partsText(parts),
        parts,
        wildcard: false,
        plain: false,
      });
      continue;
    }
    // Bare word: runs until whitespace or a syntax character.
    const parts: PatternPart[] = [];
    let wildcard = false;
    let plain = true;
    while (i < src.length) {
      const c = src[i] as string;
      if (WORD_STOP.has(c) || /\s/.test(c)) break;
      if (c === '\\') {
        if (i + 1 >= src.length) throw searchSyntaxError('dangling escape character', i + offset);
        pushLit(parts, src[i + 1] as string);
        plain = false;
        i += 2;
        continue;
      }
      if (c === '*') {
        parts.push({ kind: 'star' });
        wildcard = true;
      } else if (c === '?') {
        parts.push({ kind: 'one' });
        wildcard = true;
      } else {
        pushLit(parts, c);
      }
      i++;
    }
    tokens.push({ kind: 'word', pos: start + offset, text: partsText(parts), parts, wildcard, plain });
  }
  tokens.push(simple('eof', '', src.length));
  return tokens;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | null {
  if (!NUMBER_RE.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

class SearchParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(ahead = 0): Token {
    return (this.tokens[this.i + ahead] ?? this.tokens[this.tokens.length - 1]) as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKeyword(t: Token, kw: 'and' | 'or' | 'not' | 'in'): boolean {
    return t.kind === 'word' && t.plain && t.text.toLowerCase() === kw;
  }

  private unexpected(t: Token): never {
    const what = t.kind === 'eof' ? 'end of query' : `'${t.text}'`;
    throw searchSyntaxError(`syntax error, unexpected ${what}`, t.pos);
  }

  parseQuery(): SearchNode {
    if (this.peek().kind === 'eof') return { kind: 'all' };
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t);
    return node;
  }

  private parseOr(): SearchNode {
    const items = [this.parseAnd()];
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as SearchNode) : { kind: 'or', items };
  }

  private startsOperand(t: Token): boolean {
    if (t.kind === 'word')
      return !(this.isKeyword(t, 'and') || this.isKeyword(t, 'or') || this.isKeyword(t, 'in'));
    return t.kind === 'quoted' || t.kind === '(';
  }

  private parseAnd(): SearchNode {
    const items = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (this.isKeyword(t, 'and')) {
        this.next();
        items.push(this.parseUnary());
      } else if (this.startsOperand(t)) {
        // Implicit AND between juxtaposed terms; also covers binary `a not b`.
        items.push(this.parseUnary());
      } else {
        break;
      }
    }
    return items.length === 1 ? (items[0] as SearchNode) : { kind: 'and', items };
  }

  private parseUnary(): SearchNode {
    const t = this.peek();
    if (this.isKeyword(t, 'not')) {
      this.next();
      this.enter(t);
      const item = this.parseUnary();
      this.depth--;
      return { kind: 'not', item };
    }
    return this.parsePrimary();
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw searchSyntaxError('query nested too deeply', t.pos);
  }

  private parsePrimary(): SearchNode {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      this.enter(t);
      const node = this.parseOr();
      this.depth--;
      const close = this.next();
      if (close.kind !== ')') this.unexpected(close);
      return node;
    }
    if (t.kind === 'word' || t.kind === 'quoted') {
      if (t.kind === 'word' && !this.startsOperand(t)) this.unexpected(t);
      return this.parseTerm();
    }
    return this.unexpected(t);
  }

  private parseTerm(): SearchNode {
    const head = this.next();
    const after = this.peek();
    const asKey = (): string => {
      if (head.wildcard) throw searchSyntaxError(`wildcard not allowed in key '${head.text}'`, head.pos);
      return head.text;
    };
    if (after.kind === ':') {
      const key = asKey();
      this.next();
      const v = this.peek();
      if (v.kind === '[') return this.parseRange(key, head.pos);
      if (v.kind === 'word' || v.kind === 'quoted') {
        this.next();
        return { kind: 'match', key, value: toValue(v), pos: head.pos };
      }
      throw searchSyntaxError(`syntax error, expected a value after '${key}:'`, v.pos);
    }
    if (after.kind === 'op') {
      const key = asKey();
      this.next();
      const v = this.next();
      const n = v.kind === 'word' || v.kind === 'quoted' ? parseNumber(v.text) : null;
      if (n === null) throw searchSyntaxError(`syntax error, expected a number after '${after.text}'`, v.pos);
      return { kind: 'compare', key, op: after.text as CompareOp, value: n, pos: head.pos };
    }
    if (this.isKeyword(after, 'in')) {
      const key = asKey();
      this.next();
      return this.parseRange(key, head.pos);
    }
    if (head.kind === 'word' && head.parts.length === 1 && head.parts[0]?.kind === 'star')
      return { kind: 'all' };
    return { kind: 'match', key: null, value: toValue(head), pos: head.pos };
  }

  private parseRange(key: string, pos: number): SearchNode {
    const open = this.next();
    if (open.kind !== '[' && open.kind !== '(') {
      throw searchSyntaxError(`syntax error, expected '[' or '(' to start a range for '${key}'`, open.pos);
    }
    const lo = this.parseBound();
    if (this.peek().kind === ',') this.next();
    const hi = this.parseBound();
    const close = this.next();
    if (close.kind !== ']' && close.kind !== ')') {
      throw searchSyntaxError(`syntax error, expected ']' or ')' to close the range for '${key}'`, close.pos);
    }
    return {
      kind: 'range',
      key,
      lo: lo === null ? null : { value: lo, inclusive: open.kind === '[' },
      hi: hi === null ? null : { value: hi, inclusive: close.kind === ']' },
      pos,
    };
  }

  private parseBound(): number | null {
    const t = this.next();
    if (t.kind === 'word' && t.text === '*' && t.wildcard) return null;
    const n = t.kind === 'word' || t.kind === 'quoted' ? parseNumber(t.text) : null;
    if (n === null) throw searchSyntaxError('syntax error, expected a number or * as a range bound', t.pos);
    return n;
  }
}

function toValue(t: Token): SearchValue {
  return { parts: t.parts, wildcard: t.wildcard, text: t.text, quoted: t.kind === 'quoted' };
}

/**
 * Parse a search statement. `offset` is where `src` starts inside the full query, so error positions
 * point into what the client sent.
 */
export function parseSearch(src: string, offset = 0): SearchNode {
  if (src.length > MAX_LENGTH) throw searchSyntaxError(`query longer than ${MAX_LENGTH} characters`, offset);
  return new SearchParser(tokenize(src, offset)).parseQuery();
}
