import type { DbOrTx } from '#db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { newId } from '~/utils/ids.server';

// Demo data only: one credit claim waiting for the officer, so /officer/credits
// has something to decide. Brightwater (contractor@demo.test) claims for
// careers talks given outside its commitments on the Harbour sea wall contract.
export async function seedDemoClaims(tx: DbOrTx): Promise<void> {
  const contract = await tx.selectFrom('contract').select(['id', 'supplier_id']).where('reference', '=', 'NBC-2026-003').executeTakeFirst();
  const author = await tx.selectFrom('user').select('id').where('email', '=', 'contractor@demo.test').executeTakeFirst();
  const measure = await tx.selectFrom('measure').select(['id', 'proxy_value_pence']).where('code', '=', 'SKL-03').where('active', '=', 1).executeTakeFirst();
  if (!contract || !author || !measure) return;
  const quantityMilli = 18_000; // 18 hours
  const at = new Date(Date.now() - 4 * 86_400_000).toISOString();
  await tx.insertInto('credit_claim').values({
    id: newId(), contract_id: contract.id, supplier_id: contract.supplier_id, kind: 'activity', pledge_id: null, measure_id: measure.id,
    quantity_milli: quantityMilli, proxy_value_pence: measure.proxy_value_pence, uplift_percent: 0,
    description: 'Six careers talks and mock interviews for Year 11 pupils at Harbour Academy, given by our site engineers in October. Not part of the contract’s commitments.',
    requested_value_pence: valueOfQuantity(quantityMilli, measure.proxy_value_pence), status: 'requested', created_by: author.id, created_at: at, updated_at: at,
  }).execute();
}
