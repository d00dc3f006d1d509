import type { DbOrTx } from '#db/client';

// Demo data only (to be filled in by the stories work).
export async function seedDemoStories(_tx: DbOrTx): Promise<void> {}
