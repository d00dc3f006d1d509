import type { DbOrTx } from '#db/client';
import { recordAudit, type Actor } from '~/modules/audit/audit.server';
import { nowIso } from '~/utils/time';
import { DEFAULT_CREDIT_POLICY, type CreditPolicy } from './policy';

const CREDIT_POLICY_KEY = 'credit_policy';

const isPercent = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100;

/** The current credit policy: the stored setting over the defaults (a stored value of the wrong kind is ignored). */
export async function getCreditPolicy(db: DbOrTx): Promise<CreditPolicy> {
  const row = await db.selectFrom('setting').select('value_json').where('key', '=', CREDIT_POLICY_KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_CREDIT_POLICY };
  const stored = JSON.parse(row.value_json) as Partial<Record<keyof CreditPolicy, unknown>>;
  const policy = { ...DEFAULT_CREDIT_POLICY };
  if (isPercent(stored.maxSubstitutedPercent)) policy.maxSubstitutedPercent = stored.maxSubstitutedPercent;
  if (isPercent(stored.priorityWardUpliftPercent)) policy.priorityWardUpliftPercent = stored.priorityWardUpliftPercent;
  if (typeof stored.allowCrossTheme === 'boolean') policy.allowCrossTheme = stored.allowCrossTheme;
  if (typeof stored.creditsExpireWithContract === 'boolean') policy.creditsExpireWithContract = stored.creditsExpireWithContract;
  return policy;
}

/**
 * Changes the credit policy in the caller's transaction, audited with before
 * and after. It applies to requests and approvals from now on; swaps already
 * approved stand. Returns whether anything changed.
 */
export async function setCreditPolicy(tx: DbOrTx, policy: CreditPolicy, actor: Actor): Promise<boolean> {
  if (!isPercent(policy.maxSubstitutedPercent) || !isPercent(policy.priorityWardUpliftPercent)) throw new Error('Credit policy percentages must be whole numbers from 0 to 100');
  const after: CreditPolicy = {
    maxSubstitutedPercent: policy.maxSubstitutedPercent,
    allowCrossTheme: Boolean(policy.allowCrossTheme),
    priorityWardUpliftPercent: policy.priorityWardUpliftPercent,
    creditsExpireWithContract: Boolean(policy.creditsExpireWithContract),
  };
  const before = await getCreditPolicy(tx);
  if (JSON.stringify(before) === JSON.stringify(after)) return false;
  const value = JSON.stringify(after);
  const at = nowIso();
  await tx
    .insertInto('setting')
    .values({ key: CREDIT_POLICY_KEY, value_json: value, updated_at: at, updated_by: actor.userId })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: value, updated_at: at, updated_by: actor.userId }))
    .execute();
  await recordAudit(tx, actor, { action: 'setting.updated', subjectType: 'setting', subjectId: CREDIT_POLICY_KEY, before, after });
  return true;
}

export { CREDIT_POLICY_KEY };
