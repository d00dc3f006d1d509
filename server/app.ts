import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import { getSqlite } from '#db/client';
import type { Env } from '~/utils/env.server';
import { maskTokens, type Logger } from './logger';
import { refuseFileRouteData } from './resource-routes';
import { originCheck, securityHeaders } from './security';

export interface AppOptions {
  env: Env;
  logger: Logger;
  /** The Remix server build, or a function that loads it per request (development). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Vite's middleware in development; static files from build/client otherwise. */
  devMiddleware?: express.RequestHandler;
  /** Requests allowed per IP per 5 minutes for POST and other writes. */
  writeLimitPerIp?: number;
}

export function createApp({ env, logger, build, devMiddleware, writeLimitPerIp = 300 }: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  // A hop count, never `true`: otherwise X-Forwarded-For could spoof rate-limit keys.
  app.set('trust proxy', env.TRUST_PROXY_HOPS);

  app.use((req, res, next) => {
    res.locals.requestId = randomUUID();
    res.locals.cspNonce = randomBytes(16).toString('base64');
    res.setHeader('X-Request-Id', res.locals.requestId);
    next();
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => (res as unknown as Response).locals.requestId,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskTokens(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/assets/') },
    }),
  );
  app.use(securityHeaders(env, { dev: Boolean(devMiddleware) }));
  app.use(compression());

  app.get('/healthz', (_req, res) => {
    try {
      getSqlite().prepare('SELECT 1').get();
      res.status(200).type('text/plain').send('ok');
    } catch {
      res.status(503).type('text/plain').send('database unavailable');
    }
  });

  if (devMiddleware) {
    app.use(devMiddleware);
  } else {
    const client = path.resolve('build/client');
    app.use('/assets', express.static(path.join(client, 'assets'), { immutable: true, maxAge: '1y', index: false }));
    // The build's other files (favicon.svg) are known at start-up; asking the disk
    // about every page's address (and failing) cost a few percent of each request.
    const topLevel = new Set(fs.existsSync(client) ? fs.readdirSync(client).filter((name) => name !== 'assets') : []);
    const serveTopLevel = express.static(client, { maxAge: '1h', index: false });
    app.use((req, res, next) => (topLevel.has(req.path.split('/')[1] ?? '') ? serveTopLevel(req, res, next) : next()));
  }

  // Evidence files and CSV exports only as downloads, never inside a single-fetch `.data` payload.
  app.use(refuseFileRouteData);
  app.use(originCheck(env));
  app.use(
    rateLimit({
      windowMs: 5 * 60_000,
      limit: writeLimitPerIp,
      skip: (req) => req.method === 'GET' || req.method === 'HEAD',
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      message: 'Too many requests. Wait a few minutes and try again.',
    }),
  );

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req, res) => ({
        requestId: res.locals.requestId as string,
        cspNonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? 'unknown',
      }),
    }),
  );

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Express marks what the client got wrong (a malformed URL, say) with a 4xx status.
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      req.log?.warn({ status, message: (error as Error).message }, 'bad request');
      if (!res.headersSent) res.status(status).type('text/plain').send('Sorry, that address or request could not be read.');
      return;
    }
    req.log?.error({ err: error }, 'unhandled error');
    if (!res.headersSent) res.status(500).type('text/plain').send('Sorry, there is a problem with the service.');
  });

  return app;
}
