import type { DbOrTx } from '#db/client';

// Demo data only (to be filled in by the wishlist work).
export async function seedDemoWishlist(_tx: DbOrTx): Promise<void> {}
