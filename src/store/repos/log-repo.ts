/** Log projects and logstores: where flow-log records are delivered. */
import type { SqlExecutor } from '../sql-db.js';

export interface LogProjectRow {
  region_id: string;
  project_name: string;
  account_id: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface LogstoreRow {
  region_id: string;
  project_name: string;
  logstore_name: string;
  ttl_days: number;
  shard_count: number;
  created_at: number;
  updated_at: number;
}

export class LogRepo {
  constructor(private readonly db: SqlExecutor) {}

  async getProject(regionId: string, projectName: string): Promise<LogProjectRow | undefined> {
    return this.db.get<LogProjectRow>('SELECT * FROM log_projects WHERE region_id = ? AND project_name = ?', [
      regionId,
      projectName,
    ]);
  }

  /** Creates the project if its name is free; false if it exists (for any account). */
  async insertProject(row: LogProjectRow): Promise<boolean> {
    const res = await this.db.run(
      `INSERT INTO log_projects (region_id, project_name, account_id, description, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (region_id, project_name) DO NOTHING`,
      [row.region_id, row.project_name, row.account_id, row.description, row.created_at, row.updated_at],
    );
    return res.changes === 1;
  }

  async listProjects(accountId: string, regionId: string): Promise<LogProjectRow[]> {
    return this.db.all<LogProjectRow>(
      'SELECT * FROM log_projects WHERE account_id = ? AND region_id = ? ORDER BY project_name',
      [accountId, regionId],
    );
  }

  async deleteProject(regionId: string, projectName: string): Promise<boolean> {
    await this.db.run('DELETE FROM logstores WHERE region_id = ? AND project_name = ?', [
      regionId,
      projectName,
    ]);
    const res = await this.db.run('DELETE FROM log_projects WHERE region_id = ? AND project_name = ?', [
      regionId,
      projectName,
    ]);
    return res.changes === 1;
  }

  async getLogstore(
    regionId: string,
    projectName: string,
    logstoreName: string,
  ): Promise<LogstoreRow | undefined> {
    return this.db.get<LogstoreRow>(
      'SELECT * FROM logstores WHERE region_id = ? AND project_name = ? AND logstore_name = ?',
      [regionId, projectName, logstoreName],
    );
  }

  /** Creates the logstore if its name is free in the project; false if it exists. */
  async insertLogstore(row: LogstoreRow): Promise<boolean> {
    const res = await this.db.run(
      `INSERT INTO logstores (region_id, project_name, logstore_name, ttl_days, shard_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (region_id, project_name, logstore_name) DO NOTHING`,
      [
        row.region_id,
        row.project_name,
        row.logstore_name,
        row.ttl_days,
        row.shard_count,
        row.created_at,
        row.updated_at,
      ],
    );
    return res.changes === 1;
  }

  async listLogstores(regionId: string, projectName: string): Promise<LogstoreRow[]> {
    return this.db.all<LogstoreRow>(
      'SELECT * FROM logstores WHERE region_id = ? AND project_name = ? ORDER BY logstore_name',
      [regionId, projectName],
    );
  }

  async deleteLogstore(regionId: string, projectName: string, logstoreName: string): Promise<boolean> {
    const res = await this.db.run(
      'DELETE FROM logstores WHERE region_id = ? AND project_name = ? AND logstore_name = ?',
      [regionId, projectName, logstoreName],
    );
    return res.changes === 1;
  }

  /** Every project with this name, in any region and of any account (names are unique per region). */
  async findProjectsByName(projectName: string): Promise<LogProjectRow[]> {
    return this.db.all<LogProjectRow>(
      'SELECT * FROM log_projects WHERE project_name = ? ORDER BY region_id',
      [projectName],
    );
  }

  /** An account's projects in every region. */
  async listProjectsOfAccount(accountId: string): Promise<LogProjectRow[]> {
    return this.db.all<LogProjectRow>(
      'SELECT * FROM log_projects WHERE account_id = ? ORDER BY project_name, region_id',
      [accountId],
    );
  }

  /** Every logstore of every project (the TTL sweeper walks them). */
  async listAllLogstores(): Promise<LogstoreRow[]> {
    return this.db.all<LogstoreRow>(
      'SELECT * FROM logstores ORDER BY region_id, project_name, logstore_name',
    );
  }

  /** Changes a logstore's retention; false if it does not exist. */
  async updateLogstoreTtl(
    regionId: string,
    projectName: string,
    logstoreName: string,
    ttlDays: number,
    updatedAt: number,
  ): Promise<boolean> {
    const res = await this.db.run(
      'UPDATE logstores SET ttl_days = ?, updated_at = ? WHERE region_id = ? AND project_name = ? AND logstore_name = ?',
      [ttlDays, updatedAt, regionId, projectName, logstoreName],
    );
    return res.changes === 1;
  }
}
