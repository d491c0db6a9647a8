/**
 * The worker side of compile-off-thread.ts: compiles one flow-log query at a time and posts back the
 * compiled statement, or the QueryError's message and position (errors do not cross threads as classes).
 */
import { parentPort } from 'node:worker_threads';
import { compileQuery, type CompileOptions, type CompiledQuery } from './compile-query.js';
import { QueryError } from './errors.js';
import { FLOW_LOG_FIELDS } from './fields.js';

export interface CompileJob {
  id: number;
  query: string;
  opts: CompileOptions;
}

export type CompileReply =
  | { id: number; compiled: CompiledQuery }
  | { id: number; queryError: { message: string; position: number | undefined } }
  | { id: number; failure: string };

parentPort?.on('message', (job: CompileJob) => {
  let reply: CompileReply;
  try {
    reply = { id: job.id, compiled: compileQuery(job.query, FLOW_LOG_FIELDS, job.opts) };
  } catch (err) {
    reply =
      err instanceof QueryError
        ? { id: job.id, queryError: { message: err.message, position: err.position } }
        : { id: job.id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort?.postMessage(reply);
});
