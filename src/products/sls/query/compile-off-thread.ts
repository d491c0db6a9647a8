/**
 * Compiles flow-log analytic statements (`search | select ...`) on a worker thread, so that parsing a
 * long statement never stalls the serving thread. node-sql-parser is a PEG parser: a 16 KiB statement
 * of short select items (the compiler's length limit) takes 130-170 ms to parse on this project's
 * 2-core reference machine, a whole event-loop turn of the API, the SLS endpoint and the collector.
 * Search-only queries compile in well under a millisecond (a hand-written linear parser) and stay on
 * the calling thread.
 *
 * One worker, one statement at a time, in arrival order. Aborting a statement's signal while it
 * compiles terminates the worker (a parse cannot be interrupted otherwise) and rejects with
 * QueryInterrupted; the next statement starts a new worker. A queued statement whose signal aborts
 * leaves the queue. The worker is unref'd, and the app that owns it closes it when it stops (src/app.ts).
 *
 * From the TypeScript sources (tests, `tsx`) the worker runs the .ts file through tsx's loader; from
 * the build it runs the compiled .js next to this file.
 */
import { Worker } from 'node:worker_threads';
import { QueryInterrupted } from '../../../store/records/record-store.js';
import type { CompileOptions, CompiledQuery } from './compile-query.js';
import type { CompileJob, CompileReply } from './compile-worker.js';
import { QueryError } from './errors.js';

interface Pending {
  job: CompileJob;
  signal: AbortSignal | undefined;
  resolve(compiled: CompiledQuery): void;
  reject(err: unknown): void;
  onAbort?: () => void;
}

/**
 * The worker: the built .js next to this file, or (running from the TypeScript sources) a bootstrap that
 * registers tsx's loader in the worker before importing the .ts file (Node 20 does not apply a
 * `--import` loader given in a worker's execArgv).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./compile-worker.js', import.meta.url));
  const entry = new URL('./compile-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class CompileWorker {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;
  private nextId = 1;
  private closed = false;

  /** Compiles `query` over the flow-log fields; rejects with QueryError as compileQuery throws it. */
  compile(query: string, opts: CompileOptions, signal?: AbortSignal): Promise<CompiledQuery> {
    if (this.closed) return Promise.reject(new Error('query compiler closed'));
    if (signal?.aborted) return Promise.reject(new QueryInterrupted(signal.reason));
    return new Promise<CompiledQuery>((resolve, reject) => {
      const p: Pending = { job: { id: this.nextId++, query, opts }, signal, resolve, reject };
      if (signal) {
        p.onAbort = () => this.abort(p);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Starts the worker ahead of the first statement (its start-up is otherwise that statement's wait). */
  warm(): void {
    void this.compile('* | select 1', { dialect: 'duckdb', source: 'records', sourceParams: [] }).catch(
      () => undefined,
    );
  }

  /** Stops the worker; statements not yet compiled are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const waiting = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const p of waiting) this.settle(p, () => p.reject(new Error('query compiler closed')));
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.ensureWorker().postMessage(next.job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker();
    w.unref();
    w.on('message', (reply: CompileReply) => this.onReply(reply));
    w.on('error', (err) => this.onWorkerGone(w, err));
    w.on('exit', (code) => this.onWorkerGone(w, new Error(`query compiler exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private onReply(reply: CompileReply): void {
    const p = this.current;
    if (!p || p.job.id !== reply.id) return;
    this.current = undefined;
    this.settle(p, () => {
      if ('compiled' in reply) p.resolve(reply.compiled);
      else if ('queryError' in reply)
        p.reject(new QueryError(reply.queryError.message, reply.queryError.position));
      else p.reject(new Error(`query compiler failed: ${reply.failure}`));
    });
    this.pump();
  }

  /** The worker died (or was terminated): fail the statement it held, start afresh for the next. */
  private onWorkerGone(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const p = this.current;
    this.current = undefined;
    if (p) this.settle(p, () => p.reject(err));
    this.pump();
  }

  private abort(p: Pending): void {
    const interrupted = new QueryInterrupted(p.signal?.reason);
    if (this.current === p) {
      this.current = undefined;
      const w = this.worker;
      this.worker = undefined;
      void w?.terminate();
      this.settle(p, () => p.reject(interrupted));
      this.pump();
      return;
    }
    const i = this.queue.indexOf(p);
    if (i >= 0) this.queue.splice(i, 1);
    this.settle(p, () => p.reject(interrupted));
  }

  private settle(p: Pending, done: () => void): void {
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    done();
  }
}
