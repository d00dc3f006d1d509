// `npm run demo`: migrates and seeds a demo database (if new), then serves the built portal.
import path from 'node:path';
import { getDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { DEMO_PASSWORD, DEMO_SIGN_INS, isEmpty, seedDemo } from '#db/seeds/demo';
import { loadEnv } from '~/utils/env.server';
import { startServer } from '../server/start';

process.env.NODE_ENV = 'production';
process.env.DEMO_MODE = 'true';
process.env.DATABASE_PATH ??= path.join(process.env.DATA_DIR ?? 'data', 'demo.sqlite');
const env = loadEnv();

const db = getDb();
await migrateToLatest(db);
if (await isEmpty(db)) {
  await seedDemo(db, env);
  console.log(`Seeded demo data into ${env.DATABASE_PATH}`);
}

await startServer(env, {
  onListening: (url) => {
    console.log(`\nThe social value portal (demo) is running at ${url}`);
    console.log(`Database: ${env.DATABASE_PATH}\n`);
    console.log(`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`);
    for (const { email, role } of DEMO_SIGN_INS) console.log(`  ${role.padEnd(10)} ${email}`);
    console.log('\nEmails are not sent in the demo: sign in as admin and open Outbox to read them. Stop with Ctrl+C.\n');
  },
});
