/**
 * What every node's collector saw per capture window, shared through the database (migration 22) so
 * that the one node writing NODATA / SKIPDATA (the status-records lease) decides for all of them:
 *
 * - `activity` marks: kind 'a', `at` = window start, scope `flowLogId|eniId`: the ENI had traffic in
 *   that window under that flow log on some node (so no NODATA for it);
 * - `loss` marks: kind 'l', `at` = wall-clock minute, scope `*` (every ENI), `vpc:ID` or `eni:ID`: some
 *   node lost flows concerning these ENIs in that minute (so SKIPDATA instead of NODATA).
 *
 * Marks are idempotent (a primary key, inserts that ignore duplicates), so a node may publish the same
 * mark again after a failed attempt. The status-records holder deletes marks older than it needs.
 */
import type { SqlExecutor } from '../sql-db.js';

export type MarkKind = 'a' | 'l';

export interface WindowMark {
  kind: MarkKind;
  at: number;
  scope: string;
}

/** Rows per INSERT statement (3 parameters each; well under PostgreSQL's 65535 parameters). */
const INSERT_CHUNK = 1_000;

export class WindowMarkRepo {
  constructor(private readonly db: SqlExecutor) {}

  async add(marks: readonly WindowMark[]): Promise<void> {
    for (let i = 0; i < marks.length; i += INSERT_CHUNK) {
      const chunk = marks.slice(i, i + INSERT_CHUNK);
      await this.db.run(
        `INSERT INTO window_marks (kind, at, scope) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (kind, at, scope) DO NOTHING`,
        chunk.flatMap((m) => [m.kind, m.at, m.scope]),
      );
    }
  }

  /** `flowLogId|eniId` pairs with activity in the windows starting at `windowStarts`, per window start. */
  async activity(windowStarts: readonly number[]): Promise<Map<number, Set<string>>> {
    const out = new Map<number, Set<string>>();
    if (windowStarts.length === 0) return out;
    const rows = await this.db.all<{ at: number; scope: string }>(
      `SELECT at, scope FROM window_marks WHERE kind = 'a' AND at IN (${windowStarts.map(() => '?').join(', ')})`,
      windowStarts,
    );
    for (const r of rows) {
      const at = Number(r.at);
      let set = out.get(at);
      if (set === undefined) out.set(at, (set = new Set()));
      set.add(r.scope);
    }
    return out;
  }

  /** Loss marks of the minutes in [from, to). */
  async losses(from: number, to: number): Promise<{ at: number; scope: string }[]> {
    const rows = await this.db.all<{ at: number; scope: string }>(
      "SELECT at, scope FROM window_marks WHERE kind = 'l' AND at >= ? AND at < ?",
      [from, to],
    );
    return rows.map((r) => ({ at: Number(r.at), scope: r.scope }));
  }

  /** Forgets marks of windows and minutes before `before` (Unix ms). */
  async prune(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM window_marks WHERE at < ?', [before])).changes;
  }
}
