/**
 * Vitest global setup: bundles the web console once per run (about a second with esbuild), so the console
 * tests of a fresh clone serve what console/src says, and parallel test files never race on dist/console.
 */
import { buildConsole } from '../../scripts/build-console.js';

export default async function setup(): Promise<void> {
  await buildConsole();
}
