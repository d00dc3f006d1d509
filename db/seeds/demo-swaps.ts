import type { DbOrTx } from '#db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { newId } from '~/utils/ids.server';

// Demo data only: one swap waiting for the officer (docs/swaps.md), so
// /officer/credits has one to decide. Greenway (greenway@demo.test) cannot
// switch the last sweepers to electric this year and offers more street trees
// in Riverside instead: a measure swap within the Environment theme, worth more
// than it gives up. It reserves no credits, so the demo balances stay free.
export async function seedDemoSwaps(tx: DbOrTx): Promise<void> {
  const from = await tx.selectFrom('commitment as cm').innerJoin('contract as c', 'c.id', 'cm.contract_id').innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select(['cm.id', 'cm.proxy_value_pence', 'c.id as contractId', 'c.supplier_id']).where('c.reference', '=', 'NBC-2025-031').where('m.code', '=', 'ENV-02').executeTakeFirst();
  const to = await tx.selectFrom('measure').select(['id', 'proxy_value_pence']).where('code', '=', 'ENV-03').where('active', '=', 1).executeTakeFirst();
  const author = await tx.selectFrom('user').select('id').where('email', '=', 'greenway@demo.test').executeTakeFirst();
  if (!from || !to || !author) return;
  const quantityMilli = 10_000_000; // 10,000 miles
  const toQuantityMilli = 30_000; // 30 trees
  const at = new Date(Date.now() - 2 * 86_400_000).toISOString();
  await tx.insertInto('credit_swap').values({
    id: newId(), contract_id: from.contractId, supplier_id: from.supplier_id, commitment_id: from.id, method: 'measure',
    quantity_milli: quantityMilli, value_pence: valueOfQuantity(quantityMilli, from.proxy_value_pence),
    to_measure_id: to.id, to_commitment_id: null, to_quantity_milli: toQuantityMilli, to_proxy_value_pence: to.proxy_value_pence,
    to_value_pence: valueOfQuantity(toQuantityMilli, to.proxy_value_pence), to_due_date: '2027-03-31',
    reason: 'The last two diesel sweepers cannot be replaced until the electric models are delivered next spring. We will plant and care for 30 more street trees in Riverside instead.',
    status: 'requested', created_by: author.id, created_at: at, updated_at: at,
  }).execute();
}
