import type { DbOrTx } from '#db/client';

// Demo data only (to be filled in by the pledges work).
export async function seedDemoPledges(_tx: DbOrTx): Promise<void> {}
