// The base filter of record reads per dialect: DuckDB gets constants (its zone maps skip row groups only
// for those), quoted so that no value can end the literal; SQLite and PostgreSQL keep placeholders.
import { describe, expect, it } from 'vitest';
import { DuckDbRecordStore } from './duckdb-records.js';
import { recordFilter, searchSql } from './record-sql.js';

const STORE = { regionId: 'cn-hangzhou', projectName: "o'brien", logstoreName: 'flows' };
const FILTER = { from: 100, to: 200, eniIds: ['eni-a'] };

describe('record filter', () => {
  it('is all literals for DuckDB, quotes doubled', () => {
    const f = recordFilter('duckdb', STORE, FILTER);
    expect(f.params).toEqual([]);
    expect(f.sql).toBe(
      "region_id = 'cn-hangzhou' AND project_name = 'o''brien' AND logstore_name = 'flows' AND time >= 100 AND time < 200 AND eni_id IN ('eni-a')",
    );
  });

  it('keeps placeholders for PostgreSQL and SQLite', () => {
    expect(recordFilter('postgres', STORE, FILTER).params).toEqual([
      'cn-hangzhou',
      "o'brien",
      'flows',
      100,
      200,
      'eni-a',
    ]);
    expect(recordFilter('postgres', STORE, FILTER).sql).toContain('time >= $4::bigint');
    expect(recordFilter('sqlite', STORE, FILTER).sql).toContain('time >= ?');
  });

  it('selects exactly the logstore and range in DuckDB, whatever the names hold', async () => {
    const records = await DuckDbRecordStore.open({ path: ':memory:', memoryLimit: '256MB', threads: 1 });
    try {
      const row = {
        region_id: 'cn-hangzhou',
        project_name: "o'brien",
        logstore_name: 'flows',
        flow_log_id: 'fl-1',
        time: 150,
        topic: '',
        source: '',
        version: 1,
        vswitch_id: '',
        vm_id: '',
        vpc_id: '',
        account_id: '',
        eni_id: 'eni-a',
        region: 'cn-hangzhou',
        srcaddr: '10.0.0.1',
        srcport: 1,
        dstaddr: '10.0.0.2',
        dstport: 2,
        protocol: 6,
        direction: 'out',
        packets: 1,
        bytes: 2,
        start: 150,
        end: 160,
        log_status: 'OK',
        action: 'ACCEPT',
        tcp_flags: 0,
      };
      await records.append([row, { ...row, project_name: "o'brien' OR '1'='1" }, { ...row, time: 200 }]);
      const page = { offset: 0, limit: 10, reverse: false };
      const stmt = searchSql('duckdb', STORE, FILTER, { sql: '1=1', params: [] }, page);
      const rows = await records.query(stmt.sql, stmt.params);
      expect(rows.map((r) => [r['project_name'], r['time']])).toEqual([["o'brien", 150]]);
    } finally {
      await records.close();
    }
  });
});
