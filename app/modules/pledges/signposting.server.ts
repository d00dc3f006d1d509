import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { flaggedCommitments } from '~/modules/contracts/contract-figures.server';
import { formatPence } from '~/modules/contracts/figures';
import { CATEGORY_LABELS, PLEDGEABLE_STATUSES } from '~/modules/wishlist/wishlist';
import { formatDate } from '~/utils/time';
import { rankSignposts, SIGNPOST_LIMIT, type FlaggedCommitment, type FlaggedStatus } from './signposting';

/** How many candidates SQL hands to the ranking (already in nearly the final order). */
const CANDIDATES = 50;

/**
 * "Needs you could meet": open wishlist items (published or pledged, not past
 * their needed-by date) matching the themes and wards of the supplier's
 * commitments that are at risk, behind or overdue; best matches first, up to 5,
 * each with a one-line reason. Items the supplier has already pledged to (a
 * pledge not declined or withdrawn) are left out.
 */
export async function needsYouCouldMeet(db: DbOrTx, supplierId: string, today: string) {
  const flagged: FlaggedCommitment[] = (await flaggedCommitments(db, supplierId, today)).map((c) => ({
    id: c.id, contractReference: c.contractReference, theme: c.theme, wardId: c.wardId, wardName: c.wardName, status: c.status as FlaggedStatus, dueDate: c.dueDate,
  }));
  if (flagged.length === 0) return [];
  const themes = [...new Set(flagged.map((c) => c.theme))];
  const wards = [...new Set(flagged.flatMap((c) => (c.wardId ? [c.wardId] : [])))];
  const pairs = flagged.filter((c) => c.wardId !== null);
  // The item's best score over all the commitments: 3 theme and ward of one commitment, 2 theme, 1 ward.
  const bothMatch = pairs.length ? sql.join(pairs.map((c) => sql`(i.theme = ${c.theme} AND i.ward_id = ${c.wardId})`), sql` OR `) : sql`0`;
  const themeMatch = sql`i.theme IN (${sql.join(themes)})`;
  const wardMatch = wards.length ? sql`i.ward_id IN (${sql.join(wards)})` : sql`0`;
  const score = sql<number>`CASE WHEN ${bothMatch} THEN 3 WHEN ${themeMatch} THEN 2 WHEN ${wardMatch} THEN 1 ELSE 0 END`;

  const rows = await db
    .selectFrom('wishlist_item as i')
    .innerJoin('organisation as v', 'v.id', 'i.organisation_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .select([
      'i.id', 'i.title', 'i.theme', 'i.category', 'i.ward_id as wardId', 'w.name as wardName', 'i.needed_by as neededBy',
      'i.estimated_value_pence as estimatePence', 'i.status', 'v.name as organisationName', score.as('score'),
    ])
    .where('i.status', 'in', [...PLEDGEABLE_STATUSES])
    .where((eb) => eb.or([eb('i.needed_by', 'is', null), eb('i.needed_by', '>=', today)]))
    .where(sql<boolean>`(${themeMatch} OR ${wardMatch})`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('pledge as p').select('p.id').whereRef('p.item_id', '=', 'i.id').where('p.supplier_id', '=', supplierId).where('p.status', 'not in', ['declined', 'withdrawn']))),
    )
    .orderBy(sql`score`, 'desc')
    .orderBy(sql`i.needed_by IS NULL`)
    .orderBy('i.needed_by')
    .orderBy(sql`i.title COLLATE NOCASE`)
    .orderBy('i.id')
    .limit(CANDIDATES)
    .execute();

  return rankSignposts(rows, flagged, SIGNPOST_LIMIT).map(({ item, reason, kind }) => ({
    id: item.id,
    title: item.title,
    organisationName: item.organisationName,
    category: CATEGORY_LABELS[item.category],
    estimate: formatPence(item.estimatePence),
    neededBy: item.neededBy ? formatDate(item.neededBy) : null,
    ward: item.wardName,
    kind,
    reason,
  }));
}

export type NeedYouCouldMeet = Awaited<ReturnType<typeof needsYouCouldMeet>>[number];
