/**
 * The PostgreSQL SqlDb on its own: transactions running side by side behave as if run one after
 * another (conflicts are retried), and the data version only ever moves forward, also when its
 * change rows are folded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/store.js';
import { testDatabase, type TestDatabase } from './support/test-store.js';

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = await testDatabase({ inMemory: true, dataDir: '' });
  store = await openStore({ dataDir: '', inMemory: false, databaseUrl: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.release();
});

const scope = { accountId: '1234567890123456', regionId: 'cn-hangzhou' };

describe('PostgreSQL store', () => {
  it('runs concurrent check-then-write transactions as if one after another', async () => {
    // Each reads how many tags the resource has and adds the next key: any interleaving that let two
    // read the same count would try the same key (or lose one). 20 at once, all must land, in order.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transaction(async (repos) => {
          const n = await repos.tags.count('res-1');
          await repos.tags.put(scope, 'FLOWLOG', 'res-1', `k${String(n).padStart(2, '0')}`, String(n));
          return n;
        }),
      ),
    );
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const keys = await store.repos.tags.keys('res-1');
    expect(keys.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`));
  });

  it('moves the data version with every change that commits, never backwards, across folds', async () => {
    const version = async (): Promise<number> => Number(await store.db.dataVersion(['tags']));
    const start = await version();
    await store.repos.tags.remove('nothing-here', 'all'); // changes no row: no new version
    expect(await version()).toBe(start);
    for (let i = 0; i < 300; i++) await store.repos.tags.put(scope, 'VPC', `res-${i}`, 'k', 'v');
    const grown = await version();
    expect(grown).toBe(start + 300);
    // Reading triggered a fold of the 300 rows into one; the sum, and so the version, is unchanged.
    await expect
      .poll(
        async () =>
          (
            await store.db.get<{ n: number }>(
              "SELECT COUNT(*) AS n FROM data_changes WHERE table_name = 'tags'",
            )
          )?.n,
      )
      .toBe(1);
    expect(await version()).toBe(grown);
    await expect(store.db.dataVersion(['tags', 'flow_logs'])).resolves.toMatch(/^\d+:\d+$/);
  });
});
