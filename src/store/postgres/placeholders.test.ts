import { describe, expect, it } from 'vitest';
import { toPostgresPlaceholders } from './placeholders.js';

describe('? placeholders to $n', () => {
  it('numbers bare question marks in order', () => {
    expect(toPostgresPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4',
    );
  });

  it('leaves question marks in literals, quoted identifiers, comments and dollar quotes alone', () => {
    expect(
      toPostgresPlaceholders(
        `SELECT 'why?', 'it''s?', "odd?col" FROM t -- really?\nWHERE a = ? /* b = ? */ AND c = $$?$$ AND d = ?`,
      ),
    ).toBe(
      `SELECT 'why?', 'it''s?', "odd?col" FROM t -- really?\nWHERE a = $1 /* b = ? */ AND c = $$?$$ AND d = $2`,
    );
  });

  it('passes statements already numbered ($n, the SLS compiler) through unchanged', () => {
    const sql = 'SELECT * FROM log_records WHERE store_id = $1 AND time >= $2::bigint';
    expect(toPostgresPlaceholders(sql)).toBe(sql);
  });
});
