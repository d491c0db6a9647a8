// Builds dist/ (tsc, then the web console bundle) when it is missing or older than src/ or console/
// (source checkouts only). The check is a walk of
// mtimes (a few milliseconds), so a current build starts at once; a rebuild writes only to stderr, so
// stdout keeps carrying the ready line alone. A lock directory serialises concurrent starts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const LOCK = join(ROOT, 'dist.lock');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.(ts|tsx|css|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when this is a source checkout whose dist/ is missing or older than src/ or the build config. */
export function isStale() {
  if (!existsSync(join(ROOT, 'src')) || !existsSync(join(ROOT, 'tsconfig.build.json'))) return false;
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const inputs = Math.max(
    newestMtime(join(ROOT, 'src')),
    existsSync(join(ROOT, 'console')) ? newestMtime(join(ROOT, 'console')) : 0,
    statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs,
    statSync(join(ROOT, 'tsconfig.json')).mtimeMs,
  );
  return inputs > built;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds if needed; false when the build failed (its errors are on stderr). */
export async function ensureBuilt(force = false) {
  if (!force && !isStale()) return true;
  // Take the lock (stale locks older than 2 minutes are broken), then check again: another process may
  // have built while this one waited.
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      sleep(200);
    }
  }
  try {
    if (!force && !isStale()) return true;
    process.stderr.write('vpcflow: building dist/ (it is older than src/ or the TypeScript config)\n');
    const started = Date.now();
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
    });
    // The web console is bundled by esbuild (scripts/build-console.ts) into dist/console.
    const bundled =
      result.status === 0 && existsSync(join(ROOT, 'scripts', 'build-console.ts'))
        ? spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-console.ts')], {
            cwd: ROOT,
            stdio: ['ignore', 2, 2],
          })
        : result;
    if (result.status !== 0 || bundled.status !== 0) {
      process.stderr.write('vpcflow: the build failed (see above)\n');
      return false;
    }
    // The stamp carries the build's start time: a file saved during the build makes the next start rebuild.
    writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
    utimesSync(STAMP, new Date(started), new Date(started));
    process.stderr.write(`vpcflow: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

// `node bin/ensure-built.js [--force]`: npm run build (--force) and prepare (only when stale).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!(await ensureBuilt(process.argv.includes('--force')))) process.exitCode = 1;
}
