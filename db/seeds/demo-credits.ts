import type { DbOrTx } from '#db/client';

// Demo data only (to be filled in by the credits work).
export async function seedDemoCredits(_tx: DbOrTx): Promise<void> {}
