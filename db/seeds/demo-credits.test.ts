import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { contractBalance } from '~/modules/credits/ledger.server';
import { parseEnv } from '~/utils/env.server';
import { seedDemo } from './demo';

describe('demo credits', () => {
  it('bank the surplus of every demo commitment delivered beyond its target, as the approvals would have', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const over = await getDb().selectFrom('commitment as cm').innerJoin('contract as c', 'c.id', 'cm.contract_id')
      .select(['cm.id', 'cm.contract_id as contractId', 'c.reference', 'cm.target_milli as target', 'cm.delivered_milli as delivered', 'cm.proxy_value_pence as proxy'])
      .whereRef('cm.delivered_milli', '>', 'cm.target_milli').execute();
    expect(over.length).toBeGreaterThan(0);
    for (const c of over) {
      const earned = await sql<{ pence: number }>`
        SELECT coalesce(sum(p.amount_pence), 0) AS pence FROM ledger_transaction t JOIN ledger_posting p ON p.transaction_id = t.id
        JOIN ledger_account a ON a.id = p.account_id JOIN progress_return r ON r.id = t.source_id
        WHERE t.kind = 'earned' AND r.commitment_id = ${c.id} AND a.kind = 'balance'`.execute(getDb());
      // One return crosses the target here, so the banked value is exactly the surplus's value.
      expect(Number(earned.rows[0]!.pence)).toBe(valueOfQuantity(c.delivered - c.target, c.proxy));
    }
    const harbour = over.find((c) => c.reference === 'NBC-2026-003')!;
    expect(await contractBalance(getDb(), harbour.contractId)).toBeGreaterThan(0);
    const unapproved = await getDb().selectFrom('ledger_transaction').select('id').where('approved_by', 'is', null).where('kind', '!=', 'expiry').execute();
    expect(unapproved).toEqual([]);
  });
});
