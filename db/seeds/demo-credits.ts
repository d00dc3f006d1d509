import type { DbOrTx } from '#db/client';
import { seedDemoClaims } from './demo-claims';

// Demo data only (to be filled in by the credits work).
export async function seedDemoCredits(tx: DbOrTx): Promise<void> {
  await seedDemoClaims(tx);
}
