import { describe, expect, it } from 'vitest';
import type { CompileOptions } from './compile-query.js';
import { compileQuery, findPipe } from './compile-query.js';
import { QueryError } from './errors.js';
import type { FieldDef } from './fields.js';
import { FLOW_LOG_FIELDS } from './fields.js';
import { likeToGlob } from './sql-rebuild.js';
import { quoteIdent } from './sql-writer.js';
import { likePattern } from './search-to-sql.js';

const SQLITE: CompileOptions = {
  dialect: 'sqlite',
  source: '(SELECT * FROM log_records WHERE store_id = ? AND time >= ? AND time < ?)',
  sourceParams: [1, 100, 200],
};
const PG: CompileOptions = {
  dialect: 'postgres',
  source: '(SELECT * FROM log_records WHERE store_id = $1 AND time >= $2 AND time < $3)',
  sourceParams: [1, 100, 200],
};

const where = (q: string, opts = SQLITE) => compileQuery(q, FLOW_LOG_FIELDS, opts).where;
function analytic(q: string, opts = SQLITE) {
  const a = compileQuery(q, FLOW_LOG_FIELDS, opts).analytic;
  if (!a) throw new Error('no analytic part');
  return a;
}
function compileError(q: string, opts = SQLITE): QueryError {
  try {
    compileQuery(q, FLOW_LOG_FIELDS, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).errorCode).toBe('ParameterInvalid');
    return e as QueryError;
  }
  throw new Error(`expected ${q} to be rejected`);
}

describe('compileQuery: search part to SQL', () => {
  it('compiles * to 1=1 with no parameters', () => {
    expect(compileQuery('*', FLOW_LOG_FIELDS, SQLITE)).toEqual({
      kind: 'search',
      where: { sql: '1=1', params: [] },
    });
  });

  it('matches text fields case-insensitively on the whole value, values bound', () => {
    expect(where('eni-id: ENI-X and direction: out')).toEqual({
      sql: '(lower("eni_id") = ? AND lower("direction") = ?)',
      params: ['eni-x', 'out'],
    });
  });

  it('compiles prefixes to LIKE with escaped metacharacters', () => {
    expect(where('vm-id: i-A_b%c\\\\d*')).toEqual({
      sql: `lower("vm_id") LIKE ? ESCAPE '\\'`,
      params: ['i-a\\_b\\%c\\\\d%'],
    });
    expect(likePattern([{ kind: 'lit', text: '50%_' }, { kind: 'one' }, { kind: 'star' }])).toBe(
      '50\\%\\__%',
    );
  });

  it('compiles field presence', () => {
    expect(where('vm-id: *').sql).toBe(`("vm_id" IS NOT NULL AND "vm_id" <> '')`);
    expect(where('bytes: *').sql).toBe('"bytes" IS NOT NULL');
  });

  it('compiles long fields numerically, binding integers as BigInt for SQLite', () => {
    expect(where('srcport > 1024 or dstport in [80 443]')).toEqual({
      sql: '("srcport" > ? OR ("dstport" >= ? AND "dstport" <= ?))',
      params: [1024n, 80n, 443n],
    });
    expect(where('dstport in (80 443)').sql).toBe('("dstport" > ? AND "dstport" < ?)');
    expect(where('bytes in [100 *]')).toEqual({ sql: '"bytes" >= ?', params: [100n] });
    expect(where('protocol: 6')).toEqual({ sql: '"protocol" = ?', params: [6n] });
    expect(where('bytes < 1.5')).toEqual({ sql: '"bytes" < ?', params: [1.5] });
  });

  it('never matches a non-numeric value on a long field', () => {
    expect(where('srcport: http').sql).toBe('1=0');
    expect(where('srcport: 8*').sql).toBe('1=0');
  });

  it('negates NULL-safely so records without the field satisfy not key: x', () => {
    expect(where('not action: REJECT').sql).toBe('NOT COALESCE(lower("action") = ?, FALSE)');
  });

  it('matches free text against every text field, and long fields for numbers', () => {
    const w = where('reject');
    expect(w.sql.match(/lower\(/g)?.length).toBe(FLOW_LOG_FIELDS.filter((f) => f.type === 'text').length);
    expect(w.sql).not.toContain('"bytes" =');
    expect(where('443').sql).toContain('"bytes" = ?');
  });

  it('numbers postgres placeholders after the caller base parameters, with casts', () => {
    expect(where('eni-id: a and bytes > 10 and bytes < 2.5', PG)).toEqual({
      sql: '(lower("eni_id") = $4::text AND "bytes" > $5::bigint AND "bytes" < $6::double precision)',
      params: ['a', 10, 2.5],
    });
  });

  it('rejects unknown keys with the SLS error', () => {
    const e = compileError('nosuch: 1');
    expect(e.message).toBe(
      'key (nosuch) is not config as key value config,if symbol : is in your log,please wrap : with quotation mark "',
    );
    expect(e.position).toBe(0);
  });

  it('rejects numeric comparison on text fields', () => {
    expect(compileError('srcaddr > 5').message).toBe('key (srcaddr) is not config as numberic column');
    expect(compileError('srcaddr in [1 2]').message).toBe('key (srcaddr) is not config as numberic column');
  });

  it('keeps field names case-sensitive in the search part', () => {
    expect(compileError('SRCADDR: 1').message).toContain('key (SRCADDR)');
  });

  it('binds injection attempts as plain values', () => {
    const w = where(`srcaddr: "'; drop table log_records; --"`);
    expect(w.sql).toBe('lower("srcaddr") = ?');
    expect(w.params).toEqual(["'; drop table log_records; --"]);
  });

  it('works with any field catalog', () => {
    const fields: FieldDef[] = [
      { name: 'status', column: 'status_code', type: 'long' },
      { name: 'msg', column: 'message', type: 'text' },
    ];
    expect(compileQuery('status >= 500 msg: time*', fields, SQLITE).where).toEqual({
      sql: `("status_code" >= ? AND lower("message") LIKE ? ESCAPE '\\')`,
      params: [500n, 'time%'],
    });
  });
});

describe('compileQuery: splitting search and SQL', () => {
  it('splits at the first pipe outside quotes', () => {
    expect(findPipe('a: "x|y" | select 1')).toBe(9);
    expect(findPipe('a: x\\|y | select 1')).toBe(8);
    expect(findPipe('a: b')).toBe(-1);
  });

  it('rejects an empty analytic statement', () => {
    expect(compileError('* |').message).toContain('empty');
  });
});

describe('compileQuery: analytic SQL rebuild', () => {
  it('rebuilds a top-N query over the caller source with positional parameters in text order', () => {
    const a = analytic(
      '* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 3',
    );
    expect(a).toEqual({
      sql:
        'SELECT "log"."srcaddr" AS "srcaddr", SUM("log"."bytes") AS "total" FROM ' +
        '(SELECT * FROM log_records WHERE store_id = ? AND time >= ? AND time < ?) AS "log" ' +
        'GROUP BY 1 ORDER BY "total" DESC NULLS LAST LIMIT 3',
      params: [1, 100, 200],
      columns: ['srcaddr', 'total'],
      columnTypes: { srcaddr: 'text', total: 'long' },
    });
  });

  it('puts select-list parameters before the source parameters for SQLite', () => {
    const a = analytic("action: ACCEPT | select bytes * 2 as b, 'x' as s where srcport > 7");
    expect(a.sql).toBe(
      'SELECT ("log"."bytes" * ?) AS "b", ? AS "s" FROM (SELECT * FROM log_records WHERE store_id = ? AND time >= ? AND time < ?) AS "log" ' +
        'WHERE lower("log"."action") = ? AND ("log"."srcport" > ?) LIMIT 100',
    );
    expect(a.params).toEqual([2n, 'x', 1, 100, 200, 'accept', 7n]);
  });

  it('numbers postgres parameters after the source and casts aggregates back', () => {
    const a = analytic(
      "action: ACCEPT | select bytes * 2 as b, avg(bytes) as a, sum(packets) as p where srcaddr = 'x' group by 1",
      PG,
    );
    expect(a.sql).toBe(
      'SELECT ("log"."bytes" * $4::bigint) AS "b", CAST(AVG("log"."bytes") AS double precision) AS "a", ' +
        'CAST(SUM("log"."packets") AS bigint) AS "p" FROM (SELECT * FROM log_records WHERE store_id = $1 AND time >= $2 AND time < $3) AS "log" ' +
        'WHERE lower("log"."action") = $5::text AND ("log"."srcaddr" = $6::text) GROUP BY 1 LIMIT 100',
    );
    expect(a.params).toEqual([1, 100, 200, 2, 'accept', 'x']);
  });

  it('applies the SLS default LIMIT 100 and the LIMIT offset, count form', () => {
    expect(analytic('* | select srcaddr').sql).toMatch(/ LIMIT 100$/);
    expect(analytic('* | select srcaddr limit 20, 10').sql).toMatch(/ LIMIT 10 OFFSET 20$/);
    expect(analytic('* | select srcaddr limit 0').sql).toMatch(/ LIMIT 0$/);
  });

  it('validates LIMIT bounds', () => {
    expect(compileError('* | select srcaddr limit 1000001').message).toContain('exceeds');
    expect(compileError('* | select srcaddr limit 5, 10001').message).toContain('exceeds 10000');
    expect(compileError('* | select srcaddr limit 999999, 10').message).toContain('max 1000000');
    expect(compileError('* | select srcaddr limit 5 offset 2').message).toContain('OFFSET');
  });

  it('names columns by alias, field name, or _colN (0-based position)', () => {
    const a = analytic('* | select "eni-id", count(*), sum(bytes) as s, bytes + 1 group by 1, 4');
    expect(a.columns).toEqual(['eni-id', '_col1', 's', '_col3']);
    expect(a.sql).toContain('"log"."eni_id" AS "eni-id"');
  });

  it('infers column types for string rendering', () => {
    const a = analytic(
      '* | select count(*) as c, avg(bytes) as a, max(srcaddr) as m, min(bytes) as n, bytes > 1 as b, bytes / 2.0 as d group by bytes',
    );
    expect(a.columnTypes).toEqual({
      c: 'long',
      a: 'double',
      m: 'text',
      n: 'long',
      b: 'boolean',
      d: 'double',
    });
  });

  it('expands * to every catalog field named as in SLS', () => {
    const a = analytic('* | select *');
    expect(a.columns).toEqual(FLOW_LOG_FIELDS.map((f) => f.name));
    expect(a.sql).toContain('"log"."time" AS "__time__"');
  });

  it('resolves identifiers case-insensitively and accepts FROM log, trailing semicolon', () => {
    const a = analytic('* | SELECT SrcAddr, COUNT(*) AS C FROM LOG GROUP BY SRCADDR ORDER BY c;');
    expect(a.sql).toBe(
      'SELECT "log"."srcaddr" AS "srcaddr", COUNT(*) AS "C" FROM (SELECT * FROM log_records WHERE store_id = ? AND time >= ? AND time < ?) AS "log" ' +
        'GROUP BY "log"."srcaddr" ORDER BY "C" ASC NULLS LAST LIMIT 100',
    );
  });

  it('supports GROUP BY alias and ordinal, HAVING, ORDER BY ordinal and expressions', () => {
    const a = analytic(
      '* | select protocol as p, count(*) as c group by p having count(*) > 1 order by 2 desc, sum(bytes)',
    );
    expect(a.sql).toContain(
      'GROUP BY 1 HAVING (COUNT(*) > ?) ORDER BY 2 DESC NULLS LAST, SUM("log"."bytes") ASC NULLS LAST',
    );
  });

  it('rebuilds WHERE with comparisons, in, between, like, is null, not', () => {
    const a = analytic(
      "* | select count(*) as c where (srcport between 1 and 1023 or dstport not in (22, 3389)) and not (srcaddr like '10._.%') and \"vm-id\" is not null and action <> 'REJECT'",
    );
    expect(a.sql).toContain(
      'WHERE ((((("log"."srcport" BETWEEN ? AND ?) OR ("log"."dstport" NOT IN (?, ?))) AND (NOT ("log"."srcaddr" GLOB ?))) AND ("log"."vm_id" IS NOT NULL)) AND ("log"."action" <> ?)) LIMIT 100',
    );
    expect(a.params.slice(3)).toEqual([1n, 1023n, 22n, 3389n, '10.?.*', 'REJECT']);
  });

  it('translates LIKE per dialect: GLOB for SQLite, LIKE without escape for postgres', () => {
    expect(likeToGlob('a%b_c*d?[e')).toBe('a*b?c[*]d[?][[]e');
    expect(analytic("* | select count(*) where srcaddr like '10.%'", PG).sql).toContain(
      `("log"."srcaddr" LIKE $4::text ESCAPE '')`,
    );
  });

  it('maps approx_distinct to an exact count(distinct)', () => {
    expect(analytic('* | select approx_distinct(srcaddr) as n').sql).toContain(
      'COUNT(DISTINCT "log"."srcaddr") AS "n"',
    );
  });

  it('quotes aliases safely', () => {
    const a = analytic(`* | select count(*) as "x'; drop table log_records; --"`);
    expect(a.sql).toContain(`COUNT(*) AS "x'; drop table log_records; --" FROM`);
    expect(a.columns).toEqual(["x'; drop table log_records; --"]);
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it('binds string literals, unescaping doubled quotes', () => {
    const a = analytic("* | select count(*) where srcaddr = 'it''s' or srcaddr = ''' or 1=1 --'");
    expect(a.params.slice(3)).toEqual(["it's", "' or 1=1 --"]);
    expect(a.sql).not.toContain('--');
  });

  it.each([
    ['* | select count(*) from log; drop table log_records', 'only one statement'],
    ['* | drop table log_records', 'only SELECT'],
    ['* | delete from log', 'only SELECT'],
    ['* | update log set bytes = 1', 'only SELECT'],
    ['* | insert into log (bytes) values (1)', 'only SELECT'],
    ['* | select * from log_records', 'logstore log_records does not exist'],
    ['* | select * from (select * from log)', 'subqueries'],
    ['* | select * from log a join log b on a.bytes = b.bytes', 'not supported'],
    ['* | select srcaddr from log union select dstaddr from log', 'UNION'],
    ['* | select srcaddr where srcaddr in (select dstaddr from log)', 'not supported'],
    ['* | with x as (select 1) select * from x', 'WITH'],
    ['* | select sleep(1)', 'function sleep'],
    ['* | select lower(srcaddr)', 'function lower'],
    ["* | select load_file('/etc/passwd')", 'function load_file'],
    ['* | select count(*) over () from log', 'OVER'],
    ["* | select srcaddr from log into outfile '/tmp/x'", 'INTO'],
    ['* | select case when bytes > 1 then 1 else 0 end', 'expression type case'],
    ['* | select cast(bytes as double)', 'expression type cast'],
    ["* | select count(*) where srcaddr regexp 'x'", 'operator REGEXP'],
    ['* | select count(*) where srcaddr like dstaddr', 'not a string literal'],
    ["* | select count(*) where srcaddr like 'a!%' escape '!'", 'ESCAPE'],
    ['* | select srcaddr group by srcaddr with rollup', 'ROLLUP'],
    ['* | select srcaddr from log for update', 'locking'],
    ['* | select x.srcaddr from log', "table-qualified column 'x."],
    ['* | select nosuch', "Column 'nosuch' no longer exists"],
    ['* | select sum(srcaddr)', 'Unexpected parameters (varchar) for function sum'],
    ['* | select avg(action)', 'Unexpected parameters (varchar) for function avg'],
    ['* | select srcaddr + 1', "'+' cannot be applied to varchar, bigint"],
    ['* | select count(*) where sum(bytes) > 1', 'WHERE clause cannot contain aggregations'],
    ['* | select sum(max(bytes))', 'Cannot nest aggregations'],
    [
      '* | select srcaddr, count(*)',
      "'srcaddr' must be an aggregate expression or appear in GROUP BY clause",
    ],
    ['* | select srcaddr, count(*) group by dstaddr', "'srcaddr' must be an aggregate expression"],
    ['* | select count(*) as c group by c', 'GROUP BY clause cannot contain aggregations'],
    ['* | select srcaddr group by 2', 'GROUP BY position 2 is not in select list'],
    ['* | select srcaddr order by 3', 'ORDER BY position 3 is not in select list'],
    ['* | select srcaddr limit srcport', 'syntax error'],
    ['* | select', 'syntax error'],
  ])('rejects %s', (q, detail) => {
    expect(compileError(q).message).toContain(detail);
  });

  it('reports SQL syntax error positions relative to the whole query', () => {
    const e = compileError('bytes: 1 | select from log');
    // node-sql-parser stops at `log` (it reads `from` as a column name)
    expect(e.position).toBe(23);
    expect(e.message).toMatch(/^line 1:24: syntax error in analytic statement/);
  });

  it('applies the search filter qualified inside the analytic query', () => {
    const a = analytic('srcport > 1024 and not action: REJECT | select count(*) as c');
    expect(a.sql).toContain(
      `WHERE ("log"."srcport" > ? AND NOT COALESCE(lower("log"."action") = ?, FALSE)) LIMIT 100`,
    );
    expect(a.params).toEqual([1, 100, 200, 1024n, 'reject']);
  });
});

// A smoke test, not a timing: the project has no timed tests (compile speed belongs in a bench).
describe('compileQuery: repeated compiles', () => {
  it('compiles searches, cached and uncached analytic statements the same way each time', () => {
    const queries = [
      'eni-id: eni-x and direction: out',
      'srcport > 1024 or dstport in [80 443] and not action: REJECT',
      '(srcaddr: 10.0.* or dstaddr: 10.0.*) and protocol: 6 reject',
      '* | select srcaddr, sum(bytes) as total group by srcaddr order by total desc limit 3',
    ];
    for (const q of queries) {
      const first = compileQuery(q, FLOW_LOG_FIELDS, SQLITE);
      for (let i = 0; i < 50; i++) expect(compileQuery(q, FLOW_LOG_FIELDS, SQLITE)).toEqual(first);
    }
    // Unique SQL texts miss the AST cache and go through node-sql-parser each time.
    for (let i = 0; i < 20; i++) {
      const c = compileQuery(
        `action: ACCEPT | select srcaddr, sum(bytes) as total where srcport > ${i} group by srcaddr order by total desc limit 3`,
        FLOW_LOG_FIELDS,
        SQLITE,
      );
      expect(c.kind).toBe('analytic');
    }
  });
});
