#!/usr/bin/env node
// The `vpcflow` command. It runs the compiled CLI in this same process (no child node), so signals sent
// to `vpcflow`, to `npm start` (whose script execs this file) or to `npx vpcflow` reach the server.
// In a source checkout it first rebuilds dist/ when a file under src/ is newer than the last build;
// an installed package (no src/) runs dist/ as it is.
import { ensureBuilt } from './ensure-built.js';

if (!(await ensureBuilt())) process.exit(1);
await import('../dist/cli/main.js');
