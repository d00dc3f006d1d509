// `npm run db:migrate`: applies pending migrations to DATABASE_PATH. A release step.
import { closeDb, getDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { loadEnv } from '~/utils/env.server';

const env = loadEnv();
const applied = await migrateToLatest(getDb());
console.log(applied.length ? `Applied ${applied.join(', ')} to ${env.DATABASE_PATH}` : `${env.DATABASE_PATH} is up to date`);
closeDb();
