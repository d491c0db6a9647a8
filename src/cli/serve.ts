/**
 * `vpcflow serve`: start, print the one ready line on stdout, and on SIGINT/SIGTERM stop accepting,
 * finish in-flight requests, close the store and exit 0.
 */
import { createApp } from '../app.js';
import type { ServerConfig } from '../config.js';

export async function serve(config: ServerConfig): Promise<number> {
  const app = await createApp(config);
  let server;
  try {
    server = await app.listen();
  } catch (err) {
    // Port taken: release the database and the collector sockets, or the process would never exit.
    await app.close();
    throw err;
  }
  process.stdout.write(`vpcflow listening on ${server.url}\n`);
  app.logger.info('started', { url: server.url, store: app.store.kind, location: app.store.db.location });

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
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
