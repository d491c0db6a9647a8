/**
 * Which node a record-journal entry belongs to (src/store/repos/record-journal-repo.ts). Several nodes
 * share one PostgreSQL database, and so its `record_journal`; whether a journaled batch reached the
 * record store can only be told, and the batch settled, by the node that journaled it (its records
 * are node-local, and a batch of a live node may still be on its way). So each node writes and
 * recovers only the entries of its own identity:
 *
 * - the single SQLite node: '' (every entry, as before);
 * - a node with a data directory: a random ID kept in `node.id` there, so the node that restarts on
 *   the same directory (and record file) finds its entries again;
 * - an in-memory node: this process (its records die with it; its entries are never settled).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { NODE_ID } from './leadership.js';

export const NODE_ID_FILE = 'node.id';

export function journalOwner(store: Store, opts: { dataDir: string; inMemory: boolean }): string {
  if (store.kind !== 'postgres') return '';
  if (opts.inMemory) return `memory:${NODE_ID}`;
  const file = join(opts.dataDir, NODE_ID_FILE);
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomUUID()}\n`, { flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  return `node:${readFileSync(file, 'utf8').trim()}`;
}
