import type { DbOrTx } from '#db/client';
import { listThemes } from '~/modules/measures/themes.server';
import { listWards } from '~/modules/organisations/organisations.server';

/** The theme and ward choices the item and correction forms offer. */
export async function itemFormOptions(db: DbOrTx) {
  const [themes, wards] = await Promise.all([listThemes(db), listWards(db)]);
  return {
    themes: themes.map((t) => ({ value: t, label: t })),
    wards: wards.map((w) => ({ value: w.id, label: w.name })),
  };
}
