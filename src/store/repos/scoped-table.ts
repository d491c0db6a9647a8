/**
 * One table of account- and region-scoped resources keyed by an ID column (VPCs, vSwitches, security
 * groups, ENIs): the insert, get and delete every such table has, written once. The column list is the
 * row type's keys, so an insert names every column of the row and nothing else.
 */
import type { SqlExecutor } from '../sql-db.js';

export class ScopedTable<Row extends object> {
  private readonly insertSql: string;
  private readonly getSql: string;
  private readonly deleteSql: string;

  constructor(
    private readonly db: SqlExecutor,
    readonly table: string,
    readonly idColumn: keyof Row & string,
    private readonly columns: readonly (keyof Row & string)[],
  ) {
    this.insertSql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const byId = `${idColumn} = ? AND account_id = ? AND region_id = ?`;
    this.getSql = `SELECT * FROM ${table} WHERE ${byId}`;
    this.deleteSql = `DELETE FROM ${table} WHERE ${byId}`;
  }

  async insert(row: Row): Promise<void> {
    await this.db.run(
      this.insertSql,
      this.columns.map((c) => row[c]),
    );
  }

  get(accountId: string, regionId: string, id: string): Promise<Row | undefined> {
    return this.db.get<Row>(this.getSql, [id, accountId, regionId]);
  }

  /** True when the row was there (and is gone). */
  async delete(accountId: string, regionId: string, id: string): Promise<boolean> {
    return (await this.db.run(this.deleteSql, [id, accountId, regionId])).changes === 1;
  }
}
