import type { DbOrTx } from '#db/client';

// Reading swaps for their pages: a contractor sees its own organisation's
// (supplierId set), staff see every one (supplierId null).

export async function findSwapForView(db: DbOrTx, swapId: string, supplierId: string | null) {
  let query = db
    .selectFrom('credit_swap as s')
    .innerJoin('contract as c', 'c.id', 's.contract_id')
    .innerJoin('organisation as o', 'o.id', 's.supplier_id')
    .innerJoin('commitment as cm', 'cm.id', 's.commitment_id')
    .innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .leftJoin('measure as tm', 'tm.id', 's.to_measure_id')
    .leftJoin('user as rq', 'rq.id', 's.created_by')
    .leftJoin('user as d', 'd.id', 's.decided_by')
    .select([
      's.id', 's.status', 's.method', 's.quantity_milli as quantityMilli', 's.value_pence as valuePence', 's.to_commitment_id as toCommitmentId',
      's.to_quantity_milli as toQuantityMilli', 's.to_proxy_value_pence as toProxyValuePence', 's.to_value_pence as toValuePence',
      's.to_due_date as toDueDate', 's.reason', 's.decision_reason as decisionReason', 's.decided_at as decidedAt', 's.created_by as createdBy',
      's.created_at as createdAt', 's.updated_at as updatedAt', 'rq.name as requestedByName', 'd.name as decidedByName',
      'c.id as contractId', 'c.reference as contractReference', 'c.title as contractTitle', 'c.status as contractStatus', 'o.name as supplierName',
      'cm.id as commitmentId', 'cm.target_milli as targetMilli', 'cm.delivered_milli as deliveredMilli', 'cm.substituted_milli as substitutedMilli',
      'cm.proxy_value_pence as proxyValuePence', 'cm.due_date as dueDate', 'm.code as measureCode', 'm.title as measureTitle', 'm.unit', 'm.theme',
      'tm.code as toMeasureCode', 'tm.title as toMeasureTitle', 'tm.unit as toUnit', 'tm.theme as toTheme',
    ])
    .where('s.id', '=', swapId);
  if (supplierId !== null) query = query.where('s.supplier_id', '=', supplierId);
  return query.executeTakeFirst();
}

export type SwapView = NonNullable<Awaited<ReturnType<typeof findSwapForView>>>;
