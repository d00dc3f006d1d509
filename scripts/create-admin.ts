// `npm run create-admin -- --email you@council.gov.uk --name "Your Name"`
// Creates the first administrator (and the council organisation if it is missing).
// The password is read from ADMIN_PASSWORD or asked for at the prompt, never from the command line.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { hashPassword } from '~/auth/password.server';
import { passwordProblem } from '~/auth/password-policy';
import { recordAudit, systemActor } from '~/modules/audit/audit.server';
import { findCouncil, insertOrganisation } from '~/modules/organisations/organisations.server';
import { findUserByEmail, insertUser } from '~/modules/users/users.server';
import { loadEnv } from '~/utils/env.server';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
if (!values.email || !values.name || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
  console.error('Usage: npm run create-admin -- --email you@council.gov.uk --name "Your Name"');
  process.exit(2);
}
const env = loadEnv();
const db = getDb();
await migrateToLatest(db);
if (await findUserByEmail(db, values.email)) {
  console.error(`A user with the email ${values.email} already exists.`);
  process.exit(1);
}
let password = process.env.ADMIN_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Password (12 characters or more): ');
  rl.close();
}
const problem = passwordProblem(password, values.email);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const passwordHash = await hashPassword(password);
await db.transaction().execute(async (tx) => {
  const council = (await findCouncil(tx))?.id ?? (await insertOrganisation(tx, { name: env.AUTHORITY_NAME, kind: 'council', status: 'verified' }));
  const id = await insertUser(tx, { email: values.email!, name: values.name!, role: 'admin', organisationId: council, passwordHash });
  await recordAudit(tx, systemActor, { action: 'user.created', subjectType: 'user', subjectId: id, after: { email: values.email, role: 'admin' } });
});
console.log(`Created administrator ${values.email} in ${env.DATABASE_PATH}. Sign in at ${env.APP_ORIGIN}/sign-in`);
closeDb();
