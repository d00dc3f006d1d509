import type { DbOrTx } from '#db/client';

/** The themes of the measures framework (active measures), alphabetically: wishlist items and reports use them. */
export async function listThemes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('measure').select('theme').distinct().where('active', '=', 1).orderBy('theme').execute();
  return rows.map((r) => r.theme);
}
