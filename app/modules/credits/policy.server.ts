import type { DbOrTx } from '#db/client';
import { DEFAULT_CREDIT_POLICY, type CreditPolicy } from './policy';

const CREDIT_POLICY_KEY = 'credit_policy';

/** The current credit policy: the stored setting over the defaults. */
export async function getCreditPolicy(db: DbOrTx): Promise<CreditPolicy> {
  const row = await db.selectFrom('setting').select('value_json').where('key', '=', CREDIT_POLICY_KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_CREDIT_POLICY };
  const stored = JSON.parse(row.value_json) as Partial<CreditPolicy>;
  return { ...DEFAULT_CREDIT_POLICY, ...stored };
}

export { CREDIT_POLICY_KEY };
