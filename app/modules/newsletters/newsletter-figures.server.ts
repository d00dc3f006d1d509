import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import type { LedgerAccountKind } from '#db/schema';
import { passes } from '~/modules/reports/disclosure';
import { commitmentPeriodFigures } from '~/modules/reports/period-figures.server';
import type { ReportPeriod } from '~/modules/reports/period';
import { dayAfter, type NewsletterFigures } from './newsletters.schema';

// The newsletter's headline figures for a quarter. Delivered value uses the
// reports' one definition (app/modules/reports/period-figures.server.ts); the
// credit and wishlist figures are small queries named for what they count.
// A sent newsletter is a public web page, so each £ figure follows the public
// impact page's disclosure rule (ADR 0019): it is withheld (null) unless at
// least 3 suppliers contribute to it and none holds more than 80% of it.

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

/** The same credits, per supplier (the contract's supplier), for the disclosure rule. */
export async function creditsBookedBySupplier(db: DbOrTx, kind: Extract<LedgerAccountKind, 'earned' | 'claimed'>, period: Pick<ReportPeriod, 'start' | 'end'>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_posting as lp')
    .innerJoin('ledger_account as la', 'la.id', 'lp.account_id')
    .innerJoin('ledger_transaction as lt', 'lt.id', 'lp.transaction_id')
    .innerJoin('contract as c', 'c.id', 'la.contract_id')
    .select(['c.supplier_id as supplierId', sql<number>`coalesce(-sum(lp.amount_pence), 0)`.as('pence')])
    .where('la.kind', '=', kind)
    .where('lt.booked_at', '>=', period.start)
    .where('lt.booked_at', '<', dayAfter(period.end))
    .groupBy('c.supplier_id')
    .execute();
  return new Map(rows.map((r) => [r.supplierId, Number(r.pence)]));
}

/**
 * A £ figure made of suppliers' shares, as the public may see it: the total when
 * it is nothing to anyone, or when it passes the disclosure rule (ADR 0019:
 * at least 3 suppliers with a share, none above 80% of it); otherwise null.
 */
export function disclosedTotal(bySupplier: ReadonlyMap<string, number>): number | null {
  const total = [...bySupplier.values()].reduce((a, b) => a + b, 0);
  if (total === 0 && [...bySupplier.values()].every((v) => v === 0)) return 0;
  const shares = new Map([...bySupplier].filter(([, v]) => v > 0));
  return total > 0 && passes({ committed: shares, delivered: shares }) ? total : null;
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
  const [rows, earned, claimed, needsMet] = await Promise.all([
    commitmentPeriodFigures(db, period),
    creditsBookedBySupplier(db, 'earned', period),
    creditsBookedBySupplier(db, 'claimed', period),
    needsMetCount(db, period),
  ]);
  const delivered = new Map<string, number>();
  for (const r of rows) delivered.set(r.supplierId, (delivered.get(r.supplierId) ?? 0) + r.deliveredPence);
  return { deliveredPence: disclosedTotal(delivered), creditsEarnedPence: disclosedTotal(earned), creditsClaimedPence: disclosedTotal(claimed), needsMet };
}
