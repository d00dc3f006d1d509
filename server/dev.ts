// Development: Vite's dev server with hot reload, behind the same Express app.
import type { ServerBuild } from '@remix-run/node';
import { createServer } from 'vite';
import { getDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { isEmpty, seedDemo } from '#db/seeds/demo';
import { loadEnv } from '~/utils/env.server';
import { createApp } from './app';
import { createLogger } from './logger';

process.env.DATABASE_PATH ??= 'data/dev.sqlite';
const env = loadEnv();
await migrateToLatest(getDb());
if (await isEmpty(getDb())) await seedDemo(getDb(), env);
const vite = await createServer({ server: { middlewareMode: true } });
const app = createApp({
  env,
  logger: createLogger(env.LOG_LEVEL),
  build: () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
  devMiddleware: vite.middlewares,
});
app.listen(env.PORT, () => console.log(`Development server on http://localhost:${env.PORT} (database ${env.DATABASE_PATH})`));
