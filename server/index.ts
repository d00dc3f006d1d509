// Production entry point: `npm start` (after `npm run build` and `npm run db:migrate`).
import { loadEnv } from '~/utils/env.server';
import { startServer } from './start';

try {
  const env = loadEnv();
  await startServer(env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
