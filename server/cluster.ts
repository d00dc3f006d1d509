import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { Env } from '~/utils/env.server';
import { createLogger } from './logger';
import { startServer } from './start';

// `npm start` serves with one process per CPU core (WEB_CONCURRENCY to change
// it), all on one port through node:cluster (decision 0025). One Node process
// renders one page at a time; a second core otherwise sits idle. The processes
// share nothing but the SQLite file: sessions, rate limits and the outbox live
// there, the search and report caches key on data versions read from it, and
// every transaction takes the write lock when it begins (db/client.ts).
//
// The primary only supervises: it starts the server processes, starts a new one
// when one dies, and on SIGTERM or SIGINT stops them all gracefully. Process 0
// also sends the outbox (any number of senders would be safe; one is enough).

const RESTARTS_PER_MINUTE = 5;
const STOP_GRACE_MS = 20_000;

/** Without WEB_CONCURRENCY, at most this many: Node 20 cannot see a container's CPU quota, only the host's cores. */
export const DEFAULT_MAX_PROCESSES = 4;

export function serverProcessCount(env: Env): number {
  return env.WEB_CONCURRENCY ?? Math.min(os.availableParallelism(), DEFAULT_MAX_PROCESSES);
}

export async function startServers(env: Env): Promise<void> {
  const count = serverProcessCount(env);
  if (count <= 1) {
    await startServer(env);
    return;
  }
  if (cluster.isWorker) {
    await startServer(env, { sendOutbox: process.env.PORTAL_PROCESS_INDEX === '0' });
    return;
  }
  superviseServers(env, count);
}

function superviseServers(env: Env, count: number): void {
  const logger = createLogger(env.LOG_LEVEL).child({ role: 'primary' });
  const indexOf = new Map<Worker, number>();
  const listened = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ PORTAL_PROCESS_INDEX: String(index) });
    indexOf.set(worker, index);
    worker.once('listening', () => listened.add(worker));
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    // A server that already got the signal (the whole group is signalled by systemd
    // and by Ctrl+C) ignores a second one: its shutdown is under way.
    for (const worker of workers) worker.process.kill('SIGTERM');
    const force = setTimeout(() => {
      logger.warn('server processes still running after the grace period; killing them');
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    force.unref();
    let result = code;
    const finish = (worker?: Worker, exitCode?: number, signal?: string) => {
      // A server that did not finish its own shutdown (killed, or failed) may have cut requests off.
      if (worker && (exitCode !== 0 || signal)) result = 1;
      if (Object.values(cluster.workers ?? {}).some(Boolean)) return;
      logger.info({ code: result }, 'all server processes stopped');
      process.exit(result);
    };
    cluster.on('exit', finish);
    finish();
  };

  cluster.on('exit', (worker, exitCode, signal) => {
    const index = indexOf.get(worker) ?? 0;
    indexOf.delete(worker);
    const wasListening = listened.delete(worker);
    if (stopping) return;
    if (exitCode === 0 && !signal) {
      // It stopped itself cleanly: it was told to (a signal to the whole group that
      // reached it before the primary). Stop the others too rather than replace it.
      logger.info({ index }, 'a server process stopped; stopping the others');
      stopAll(0);
      return;
    }
    if (!wasListening) {
      // It never served a request: a configuration problem (port in use, no build), not a crash.
      logger.error({ index, exitCode, signal }, 'a server process exited before it started listening; stopping');
      stopAll(1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > RESTARTS_PER_MINUTE) {
      logger.error({ restarts: restarts.length }, 'server processes keep dying; stopping');
      stopAll(1);
      return;
    }
    logger.warn({ index, exitCode, signal }, 'a server process died; starting another');
    fork(index);
  });

  // `on`, not `once`: a repeated signal is ignored (stopAll runs once) instead of
  // killing the primary, which would make every server exit at once.
  process.on('SIGTERM', () => stopAll(0));
  // Ctrl+C reaches every process in the terminal's group; each server stops itself.
  process.on('SIGINT', () => stopAll(0));

  logger.info({ processes: count, port: env.PORT }, 'starting server processes');
  for (let index = 0; index < count; index += 1) fork(index);
}
