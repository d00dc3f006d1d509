import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { LedgerAccountKind } from '#db/schema';
import { totalsOf } from '~/modules/reports/breakdowns';
import { commitmentPeriodFigures } from '~/modules/reports/period-figures.server';
import type { ReportPeriod } from '~/modules/reports/period';
import { dayAfter, type NewsletterFigures } from './newsletters.schema';

// The newsletter's headline figures for a quarter. Delivered value uses the
// reports' one definition (app/modules/reports/period-figures.server.ts); the
// credit and wishlist figures are small queries named for what they count.

/** Credits moved into a credit-normal ledger account kind by transactions booked in the period (reversals net them off). */
export async function creditsBookedPence(db: DbOrTx, kind: Extract<LedgerAccountKind, 'earned' | 'claimed'>, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<number> {
  const row = await db
    .selectFrom('ledger_posting as lp')
    .innerJoin('ledger_account as la', 'la.id', 'lp.account_id')
    .innerJoin('ledger_transaction as lt', 'lt.id', 'lp.transaction_id')
    .select(sql<number>`coalesce(-sum(lp.amount_pence), 0)`.as('pence'))
    .where('la.kind', '=', kind)
    .where('lt.booked_at', '>=', period.start)
    .where('lt.booked_at', '<', dayAfter(period.end))
    .executeTakeFirstOrThrow();
  return Number(row.pence);
}

/** Wishlist items with at least one pledge confirmed (by the VCSE organisation) in the period. */
export async function needsMetCount(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<number> {
  const row = await db
    .selectFrom('pledge')
    .select(sql<number>`count(DISTINCT item_id)`.as('n'))
    .where('status', '=', 'confirmed')
    .where('confirmed_at', '>=', period.start)
    .where('confirmed_at', '<', dayAfter(period.end))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function quarterFigures(db: DbOrTx, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<NewsletterFigures> {
  const [rows, creditsEarnedPence, creditsClaimedPence, needsMet] = await Promise.all([
    commitmentPeriodFigures(db, period),
    creditsBookedPence(db, 'earned', period),
    creditsBookedPence(db, 'claimed', period),
    needsMetCount(db, period),
  ]);
  return { deliveredPence: totalsOf(rows).deliveredPence, creditsEarnedPence, creditsClaimedPence, needsMet };
}
