/**
 * Debian's Chromium for the console tests, driven by playwright-core over CDP (no browser download). Tests
 * that need it skip on a machine without it, but not when `CI=true`: there a missing browser is a failure.
 */
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { skipWithout } from './real-tools.js';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string | undefined {
  for (const path of CANDIDATES) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when the browser tests must run (the browser is here, or CI demands it: test/support/real-tools.ts). */
export const runBrowserTests = !skipWithout(findChromium() !== undefined);

export interface RunningBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here).
    // Root in a container needs --no-sandbox; the rest keeps Chromium from calling home (refused here anyway).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
