import { sql } from 'kysely';
import type { DbOrTx } from '#db/client';
import { contractBalance } from './ledger.server';
import { getCreditPolicy } from './policy.server';
import type { SwapFacts } from './swap-rules';

// What the swap rules need to know, read from the database (docs/swaps.md).

/** The commitment with its contract and measure, if it belongs to the supplier (any supplier when null). */
export function findSwapCommitment(db: DbOrTx, commitmentId: string, supplierId: string | null) {
  let query = db
    .selectFrom('commitment as cm')
    .innerJoin('contract as c', 'c.id', 'cm.contract_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select([
      'cm.id', 'cm.contract_id as contractId', 'cm.measure_id as measureId', 'cm.target_milli as targetMilli', 'cm.delivered_milli as deliveredMilli',
      'cm.substituted_milli as substitutedMilli', 'cm.proxy_value_pence as proxyValuePence', 'cm.due_date as dueDate', 'cm.ward_id as wardId',
      'cm.description', 'c.supplier_id as supplierId', 'c.status as contractStatus', 'c.closed_at as closedAt', 'c.reference as contractReference',
      'c.title as contractTitle', 'c.start_date as startDate', 'c.end_date as endDate', 'c.officer_id as officerId',
      'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'm.theme',
    ])
    .where('cm.id', '=', commitmentId);
  if (supplierId !== null) query = query.where('c.supplier_id', '=', supplierId);
  return query.executeTakeFirst();
}

export type SwapCommitment = NonNullable<Awaited<ReturnType<typeof findSwapCommitment>>>;

/** Everything the policy rules need about a commitment now; the given request is left out of the pending sums. */
export async function swapFacts(db: DbOrTx, commitment: SwapCommitment, { exceptSwapId = '', includePending = true } = {}): Promise<SwapFacts> {
  const [policy, balancePence, pending, pendingCredits, measures, commitments] = await Promise.all([
    getCreditPolicy(db),
    contractBalance(db, commitment.contractId),
    db.selectFrom('credit_swap').select(sql<number>`coalesce(sum(quantity_milli), 0)`.as('n'))
      .where('commitment_id', '=', commitment.id).where('status', '=', 'requested').where('id', '!=', exceptSwapId).executeTakeFirstOrThrow(),
    db.selectFrom('credit_swap').select(sql<number>`coalesce(sum(value_pence), 0)`.as('n'))
      .where('contract_id', '=', commitment.contractId).where('method', '=', 'credits').where('status', '=', 'requested').where('id', '!=', exceptSwapId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('measure').select(['id', 'theme', 'unit', 'proxy_value_pence', 'active', 'code', 'title']).orderBy('code').execute(),
    db.selectFrom('commitment').select(['id', 'measure_id', 'proxy_value_pence']).where('contract_id', '=', commitment.contractId).execute(),
  ]);
  return {
    policy,
    from: {
      id: commitment.id, measureId: commitment.measureId, targetMilli: commitment.targetMilli, deliveredMilli: commitment.deliveredMilli, substitutedMilli: commitment.substitutedMilli,
      proxyValuePence: commitment.proxyValuePence, unit: commitment.unit, theme: commitment.theme,
    },
    pendingMilli: includePending ? Number(pending.n) : 0,
    balancePence,
    pendingCreditsPence: includePending ? Number(pendingCredits.n) : 0,
    measures: measures.map((m) => ({ id: m.id, theme: m.theme, unit: m.unit, proxyValuePence: m.proxy_value_pence, active: m.active === 1, code: m.code, title: m.title })),
    commitments: commitments.map((c) => ({ id: c.id, measureId: c.measure_id, proxyValuePence: c.proxy_value_pence })),
  };
}

