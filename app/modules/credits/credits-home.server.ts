import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { contractBalances } from './ledger.queries.server';

// The contractor's credits page (/credits): for each active contract of their
// organisation, the balance and the claims and swaps waiting for a decision.
// Scoped by the supplier in every query.

export async function contractorCredits(db: DbOrTx, supplierId: string) {
  const contracts = await db.selectFrom('contract').select(['id', 'reference', 'title', 'end_date as endDate'])
    .where('supplier_id', '=', supplierId).where('status', '=', 'active').orderBy('reference').execute();
  const ids = contracts.map((c) => c.id);
  if (ids.length === 0) return [];
  const [balances, claims, swaps] = await Promise.all([
    contractBalances(db, ids),
    db.selectFrom('credit_claim').select(['id', 'contract_id as contractId', 'kind', 'description', 'requested_value_pence as valuePence', 'created_at as createdAt'])
      .where('supplier_id', '=', supplierId).where('contract_id', 'in', ids).where('status', '=', 'requested').orderBy('created_at').execute(),
    db.selectFrom('credit_swap as s').innerJoin('commitment as cm', 'cm.id', 's.commitment_id').innerJoin('measure as m', 'm.id', 'cm.measure_id')
      .select(['s.id', 's.contract_id as contractId', 's.method', 's.quantity_milli as quantityMilli', 's.value_pence as valuePence', 's.created_at as createdAt', 'm.code', 'm.title', 'm.unit'])
      .where('s.supplier_id', '=', supplierId).where('s.contract_id', 'in', ids).where('s.status', '=', 'requested').orderBy('s.created_at').execute(),
  ]);
  return contracts.map((c) => ({
    ...c,
    balancePence: balances.get(c.id) ?? 0,
    pendingClaims: claims.filter((x) => x.contractId === c.id),
    pendingSwaps: swaps.filter((x) => x.contractId === c.id),
  }));
}

export const RECENT_DECISIONS = 20;

/**
 * The organisation's latest decided (or withdrawn) claims and swaps, on any of
 * its contracts, open or closed, newest first: what happened to a request once
 * it left "waiting for a decision", with the officer's reason.
 */
export async function recentCreditDecisions(db: DbOrTx, supplierId: string, limit = RECENT_DECISIONS) {
  const claims = db.selectFrom('credit_claim as x').innerJoin('contract as c', 'c.id', 'x.contract_id')
    .select((eb) => [
      'x.id', eb.val('claim').as('type'), 'x.status', 'x.decision_reason as reason', 'x.description as summary',
      'x.requested_value_pence as valuePence', 'c.reference', eb.fn.coalesce('x.decided_at', 'x.updated_at').as('at'),
    ])
    .where('x.supplier_id', '=', supplierId).where('x.status', '!=', 'requested');
  const swaps = db.selectFrom('credit_swap as x').innerJoin('contract as c', 'c.id', 'x.contract_id')
    .innerJoin('commitment as cm', 'cm.id', 'x.commitment_id').innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select((eb) => [
      'x.id', eb.val('swap').as('type'), 'x.status', 'x.decision_reason as reason', sql<string>`m.code || ' ' || m.title`.as('summary'),
      'x.value_pence as valuePence', 'c.reference', eb.fn.coalesce('x.decided_at', 'x.updated_at').as('at'),
    ])
    .where('x.supplier_id', '=', supplierId).where('x.status', '!=', 'requested');
  const rows = await db.selectFrom(claims.unionAll(swaps).as('d')).selectAll().orderBy('d.at', 'desc').orderBy('d.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, type: r.type as 'claim' | 'swap', status: r.status as 'approved' | 'rejected' | 'withdrawn' }));
}
