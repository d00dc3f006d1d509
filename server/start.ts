import type { Server } from 'node:http';
import type { ServerBuild } from '@remix-run/node';
import { closeDb } from '#db/client';
import { startOutboxSender } from '~/modules/notifications/sender.server';
import type { Env } from '~/utils/env.server';
import { createApp } from './app';
import { createLogger } from './logger';

const SHUTDOWN_GRACE_MS = 10_000;

/** Serves the built portal, sends the outbox, and shuts down gracefully on SIGTERM/SIGINT. */
export async function startServer(
  env: Env,
  { onListening, sendOutbox = true }: { onListening?: (url: string) => void; sendOutbox?: boolean } = {},
): Promise<Server> {
  const logger = createLogger(env.LOG_LEVEL);
  // @ts-expect-error: the build exists only after `npm run build`.
  const build = (await import('../build/server/index.js')) as ServerBuild;
  const app = createApp({ env, logger, build });
  const stopSender = sendOutbox ? startOutboxSender(env, logger) : () => {};

  const server = app.listen(env.PORT, env.HOST, () => {
    const url = `http://localhost:${env.PORT}`;
    logger.info({ port: env.PORT }, 'listening');
    onListening?.(url);
  });

  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') console.error(`Port ${env.PORT} is already in use. Set PORT to another number, e.g. PORT=3001 npm run demo`);
    else console.error(error);
    closeDb();
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    stopSender();
    const force = setTimeout(() => {
      logger.warn('requests still open after the grace period; closing anyway');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      closeDb();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  // `on`, not `once`: a second signal (the primary passing on a SIGTERM the whole
  // process group already got, a second Ctrl+C) must not kill requests in flight.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return server;
}
