import type { Db } from '#db/client';
import { hashPassword } from '~/auth/password.server';
import { recordAudit, systemActor } from '~/modules/audit/audit.server';
import { insertOrganisation } from '~/modules/organisations/organisations.server';
import { insertUser } from '~/modules/users/users.server';
import type { Env } from '~/utils/env.server';
import { newId } from '~/utils/ids.server';
import { seedDemoContracts } from './demo-contracts';
import { seedDemoMeasures } from './demo-measures';
import { seedDemoReturns } from './demo-returns';
import { seedDemoWishlist } from './demo-wishlist';
import { seedDemoPledges } from './demo-pledges';
import { seedDemoCredits } from './demo-credits';
import { seedDemoStories } from './demo-stories';

// Demo data only: a fictional borough. Never runs in production (see assertDemoAllowed).
export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_SIGN_INS = [
  { email: 'admin@demo.test', role: 'admin' },
  { email: 'officer@demo.test', role: 'officer' },
  { email: 'contractor@demo.test', role: 'contractor' },
  { email: 'vcse@demo.test', role: 'vcse' },
] as const;

const WARDS: Array<[string, boolean]> = [
  ['Abbey', false], ['Castle', false], ['Eastfield', true], ['Harbour', true],
  ['Millbrook', false], ['Northgate', false], ['Riverside', true], ['Westwood', false],
];

export function assertDemoAllowed(env: Env): void {
  if (env.NODE_ENV === 'production' && !env.DEMO_MODE) throw new Error('The demo seed never runs in production.');
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('user').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function seedDemo(db: Db, env: Env): Promise<void> {
  assertDemoAllowed(env);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (tx) => {
    const ward: Record<string, string> = {};
    for (const [name, priority] of WARDS) {
      ward[name] = newId();
      await tx.insertInto('ward').values({ id: ward[name]!, name, is_priority: priority ? 1 : 0 }).execute();
    }
    const council = await insertOrganisation(tx, { name: env.AUTHORITY_NAME, kind: 'council', status: 'verified' });
    const suppliers = {
      brightwater: await insertOrganisation(tx, { name: 'Brightwater Construction Ltd', kind: 'supplier', status: 'verified', companyNumber: '09876543', contactEmail: 'bids@brightwater.example' }),
      greenway: await insertOrganisation(tx, { name: 'Greenway Facilities Services Ltd', kind: 'supplier', status: 'verified', companyNumber: '08123456' }),
      civic: await insertOrganisation(tx, { name: 'Civic Care Partnership Ltd', kind: 'supplier', status: 'verified', companyNumber: '11223344' }),
    };
    const vcse = (name: string, wardName: string, status: 'verified' | 'pending', extra: { charityNumber?: string; companyNumber?: string; description: string; contactName: string; contactEmail: string }) =>
      insertOrganisation(tx, { name, kind: 'vcse', status, wardId: ward[wardName], ...extra });
    const pantry = await vcse('Eastfield Community Pantry', 'Eastfield', 'verified', {
      charityNumber: '1187654', contactName: 'Amina Yusuf', contactEmail: 'hello@eastfieldpantry.example',
      description: 'A volunteer-run food pantry and community kitchen open four days a week.',
    });
    const youth = await vcse('Harbour Youth Project', 'Harbour', 'verified', {
      charityNumber: '1154321', contactName: 'Dan Okafor', contactEmail: 'info@harbouryouth.example',
      description: 'Youth club, homework help and careers mentoring for 11 to 19 year olds.',
    });
    await vcse('Millbrook Men’s Shed', 'Millbrook', 'verified', {
      companyNumber: 'CE012345', contactName: 'Geoff Barnes', contactEmail: 'shed@millbrook.example',
      description: 'A workshop where older men share skills, repair things and tackle loneliness.',
    });
    const refugee = await vcse('Riverside Refugee Welcome', 'Riverside', 'pending', {
      contactName: 'Sara Haddad', contactEmail: 'welcome@riverside.example',
      description: 'Volunteers helping newly arrived families find their feet: English classes, advice and friendship.',
    });

    const users: Array<[string, string, 'admin' | 'officer' | 'contractor' | 'vcse', string]> = [
      ['admin@demo.test', 'Alex Morgan', 'admin', council],
      ['officer@demo.test', 'Priya Shah', 'officer', council],
      ['contractor@demo.test', 'Chris Walker', 'contractor', suppliers.brightwater],
      ['greenway@demo.test', 'Jo Patel', 'contractor', suppliers.greenway],
      ['civic@demo.test', 'Sam Reid', 'contractor', suppliers.civic],
      ['vcse@demo.test', 'Amina Yusuf', 'vcse', pantry],
      ['youth@demo.test', 'Dan Okafor', 'vcse', youth],
      ['riverside@demo.test', 'Sara Haddad', 'vcse', refugee],
    ];
    for (const [email, name, role, organisationId] of users) {
      await insertUser(tx, { email, name, role, organisationId, passwordHash });
    }
    await seedDemoMeasures(tx);
    await seedDemoContracts(tx, { suppliers, wards: ward });
    await seedDemoReturns(tx);
    await seedDemoWishlist(tx);
    await seedDemoPledges(tx);
    await seedDemoCredits(tx);
    await seedDemoStories(tx);
    await recordAudit(tx, systemActor, { action: 'demo.seeded', subjectType: 'organisation', subjectId: council, after: { wards: WARDS.length, users: users.length } });
  });
}
