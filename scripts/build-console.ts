/**
 * Bundles the web console (console/src, Preact + uPlot) with esbuild into dist/console: index.html, app.js,
 * app.css and their source maps. Run by `npm run build` and by the console tests; nothing is fetched at run
 * time, the server only serves these files (src/server/console-route.ts).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_OUT_DIR = join(ROOT, 'dist', 'console');

export async function buildConsole(outDir: string = CONSOLE_OUT_DIR): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(ROOT, 'console', 'src', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await copyFile(join(ROOT, 'console', 'index.html'), join(outDir, 'index.html'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildConsole();
}
