/**
 * `vpcflow serve`: start, print the one ready line on stdout, and on SIGINT/SIGTERM stop accepting,
 * finish in-flight requests, close the store and exit 0.
 */
import { createApp } from '../app.js';
import { ConfigError, type ServerConfig } from '../config.js';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../products/identity/identity-service.js';
import { isLoopback } from '../server/admin-guard.js';

/** The URL a client on this machine uses: a wildcard address is not one to connect to. */
export function readyUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function serve(config: ServerConfig): Promise<number> {
  const app = await createApp(config);
  let server;
  try {
    server = await app.listen();
  } catch (err) {
    // Port taken: release the database and the collector sockets, or the process would never exit.
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `${config.host}:${config.port} is already in use (EADDRINUSE): stop the other server, or start with ` +
          `--port 0 to take any free port (printed in the ready line)`,
      );
    }
    throw err;
  }
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      app.logger.info('stopping', { signal });
      app.close().then(
        () => resolve(0),
        (err: unknown) => {
          app.logger.error('error while stopping', { error: String(err) });
          resolve(1);
        },
      );
    };
    // `on`, not `once`: a second signal while stopping (Ctrl-C reaches both npm and this process, and npm
    // forwards its own copy) must not kill the process by the default action before it has stopped.
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // Under npm (`npx vpcflow`, `npm exec`), npm runs the command through `sh -c`, and dash does not exec
    // it: a SIGTERM to npm stops the shell and leaves this process behind. When the parent goes away
    // (this process is re-parented), stop as for SIGTERM. `npm start` execs node and needs none of this.
    if (process.env['npm_command'] !== undefined) {
      const parent = process.ppid;
      const watch = setInterval(() => {
        if (process.ppid !== parent) stop('parent exited');
      }, 250);
      watch.unref();
    }
    // The ready line only once the signal handlers are in place: a supervisor may signal as soon as it
    // reads it, and a signal before them would kill the process without stopping it.
    const url = readyUrl(server.host, server.port);
    process.stdout.write(`vpcflow listening on ${url}\n`);
    app.logger.info('started', {
      url,
      ...(url !== server.url ? { listen: server.url } : {}),
      store: app.store.kind,
      location: app.store.db.location,
    });
    const devKey =
      config.identity.accessKeyId === DEV_ACCESS_KEY_ID ||
      config.identity.accessKeySecret === DEV_ACCESS_KEY_SECRET;
    if (!isLoopback(config.host) && config.host !== 'localhost' && devKey) {
      app.logger.warn(
        'listening beyond loopback with the well-known development AccessKey: anyone who can reach ' +
          `${server.url} can call the API; set VPCFLOW_ACCESS_KEY_ID and VPCFLOW_ACCESS_KEY_SECRET`,
        { host: config.host },
      );
    }
  });
}
