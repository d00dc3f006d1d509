import type { DbOrTx } from '#db/client';
import { formatQuantity } from '~/modules/contracts/figures';
import { formatDate } from '~/utils/time';
import { sourceParam } from './stories.schema';

// Stories waiting to be written: approved returns and delivered or confirmed
// pledges that their contractor flagged as "a story worth telling", with no
// story drafted from them yet. Oldest first.

export interface StoryCandidate {
  source: string;
  kind: 'Progress return' | 'Pledge';
  title: string;
  detail: string;
  date: string;
  link: string;
}

export async function listStoryCandidates(db: DbOrTx, limit = 50): Promise<StoryCandidate[]> {
  const [returns, pledges] = await Promise.all([
    db
      .selectFrom('progress_return as r')
      .innerJoin('contract as c', 'c.id', 'r.contract_id')
      .innerJoin('organisation as s', 's.id', 'r.supplier_id')
      .innerJoin('commitment as cm', 'cm.id', 'r.commitment_id')
      .innerJoin('measure as m', 'm.id', 'cm.measure_id')
      .select(['r.id', 'r.decided_at as decidedAt', 'r.approved_quantity_milli as approvedMilli', 'm.unit', 'm.title as measureTitle', 'c.reference', 's.name as supplierName'])
      .where('r.status', '=', 'approved')
      .where('r.is_story', '=', 1)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('story as st').select('st.id').where('st.source_type', '=', 'progress_return').whereRef('st.source_id', '=', 'r.id'))))
      .orderBy('r.decided_at')
      .orderBy('r.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('pledge as p')
      .innerJoin('wishlist_item as i', 'i.id', 'p.item_id')
      .innerJoin('organisation as s', 's.id', 'p.supplier_id')
      .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
      .select(['p.id', 'p.status', 'p.confirmed_at as confirmedAt', 'p.delivered_at as deliveredAt', 'p.updated_at as updatedAt', 'i.title as itemTitle', 's.name as supplierName', 'v.name as vcseName'])
      .where('p.status', 'in', ['delivered', 'confirmed'])
      .where('p.is_story', '=', 1)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('story as st').select('st.id').where('st.source_type', '=', 'pledge').whereRef('st.source_id', '=', 'p.id'))))
      .orderBy('p.updated_at')
      .orderBy('p.id')
      .limit(limit)
      .execute(),
  ]);
  const candidates: Array<StoryCandidate & { sortKey: string }> = [
    ...returns.map((r) => ({
      source: sourceParam({ type: 'progress_return', id: r.id }), kind: 'Progress return' as const,
      title: `${r.reference}: ${r.measureTitle}`, detail: `${r.supplierName}, ${formatQuantity(r.approvedMilli ?? 0, r.unit)} approved`,
      date: r.decidedAt ? formatDate(r.decidedAt) : '', link: `/returns/${r.id}`, sortKey: r.decidedAt ?? '',
    })),
    ...pledges.map((p) => {
      const at = p.confirmedAt ?? p.deliveredAt ?? p.updatedAt;
      return {
        source: sourceParam({ type: 'pledge', id: p.id }), kind: 'Pledge' as const,
        title: p.itemTitle, detail: `${p.supplierName} for ${p.vcseName} (${p.status})`, date: formatDate(at), link: `/pledges/${p.id}`, sortKey: at,
      };
    }),
  ];
  return candidates.sort((a, b) => a.sortKey.localeCompare(b.sortKey)).slice(0, limit).map(({ sortKey: _sortKey, ...c }) => c);
}
