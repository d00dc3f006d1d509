// Production entry point: `npm start` (after `npm run build` and `npm run db:migrate`),
// one server process per CPU core unless WEB_CONCURRENCY says otherwise (server/cluster.ts).
import { loadEnv } from '~/utils/env.server';
import { startServers } from './cluster';

try {
  const env = loadEnv();
  await startServers(env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
