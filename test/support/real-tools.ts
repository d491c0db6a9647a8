/**
 * The one rule for tests that need a real component (softflowd, nfcapd, PostgreSQL, Chromium): on a
 * laptop without it they skip; in CI (`CI=true`) they never skip, so a missing tool fails the run
 * instead of hiding the tests.
 */
export function skipWithout(available: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return !available && env['CI'] !== 'true';
}
