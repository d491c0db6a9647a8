/**
 * `import 'vpcflow/sls-localhost'` (or `node --import vpcflow/sls-localhost app.js`): makes
 * `{project}.localhost` and `{project}.{region}.localhost` resolve to 127.0.0.1 in this Node process, so
 * `@alicloud/sls20201230` and `@alicloud/log`, unmodified, reach vpcflow on a machine whose resolver does not
 * answer `*.localhost` (glibc without systemd-resolved, e.g. stock Debian). Other names resolve as before.
 */
import { installSlsHostResolution } from './sls-host-resolution.js';

installSlsHostResolution();
