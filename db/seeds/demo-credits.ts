import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { bankSurplus } from '~/modules/credits/surplus.server';
import { periodLabel } from '~/modules/returns/returns.present';
import { surplusAfter } from '~/modules/returns/review.schema';
import { seedDemoClaims } from './demo-claims';
import { seedDemoSwaps } from './demo-swaps';

// Demo data only: the credits ledger (docs/credits.md). Runs after the demo
// returns and pledges. One function per kind of entry, so each area adds its
// own line below:
//   1. earned credits: the surplus of demo commitments delivered beyond their
//      target, banked through the same function an approval uses (H4);
//   2. claims (db/seeds/demo-claims.ts, H5);
//   3. swaps, if any (H6: add a seedDemoSwaps(tx) line and file).
export async function seedDemoCredits(tx: DbOrTx): Promise<void> {
  await bankDemoSurplus(tx);
  await seedDemoClaims(tx);
  await seedDemoSwaps(tx);
}

/**
 * Replays each commitment's approved returns in period order and banks what
 * each one added beyond the target, as decideReturn would have done when it
 * approved it (same reason, same officer, same time), so the demo ledger
 * matches the demo returns. Returns the number of transactions booked.
 */
export async function bankDemoSurplus(tx: DbOrTx): Promise<number> {
  const commitments = await tx.selectFrom('commitment as cm').innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select(['cm.id', 'cm.contract_id as contractId', 'cm.target_milli as targetMilli', 'cm.substituted_milli as substitutedMilli', 'cm.proxy_value_pence as proxyPence', 'm.code', 'm.title', 'm.unit'])
    .whereRef('cm.delivered_milli', '>', sql`cm.target_milli - cm.substituted_milli`)
    .execute();
  let booked = 0;
  for (const c of commitments) {
    const returns = await tx.selectFrom('progress_return').select(['id', 'period_start', 'period_end', 'approved_quantity_milli', 'decided_by', 'decided_at'])
      .where('commitment_id', '=', c.id).where('status', '=', 'approved').orderBy('period_start').orderBy('decided_at').execute();
    let delivered = 0;
    for (const r of returns) {
      const approved = r.approved_quantity_milli ?? 0;
      const surplus = surplusAfter(
        { targetMilli: c.targetMilli, substitutedMilli: c.substitutedMilli, deliveredBeforeMilli: delivered, deliveredAfterMilli: delivered + approved },
        (milli) => valueOfQuantity(milli, c.proxyPence),
      );
      delivered += approved;
      if (!surplus || surplus.addedValuePence <= 0 || !r.decided_by) continue;
      const id = await bankSurplus(tx, {
        contractId: c.contractId, returnId: r.id, commitmentLabel: `${c.code} ${c.title}`, periodLabel: periodLabel(r.period_start, r.period_end),
        unit: c.unit, addedMilli: surplus.addedMilli, addedValuePence: surplus.addedValuePence, approvedBy: r.decided_by, at: r.decided_at ?? undefined,
      });
      if (id) booked += 1;
    }
  }
  return booked;
}
