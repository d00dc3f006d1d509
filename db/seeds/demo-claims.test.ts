import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { seedDemo } from './demo';
import { parseEnv } from '~/utils/env.server';

describe('demo claims', () => {
  it('leave one activity claim by Brightwater waiting for the officer, valued at the measure’s proxy', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const claims = await getDb().selectFrom('credit_claim as c').innerJoin('contract as k', 'k.id', 'c.contract_id').innerJoin('organisation as s', 's.id', 'c.supplier_id')
      .select(['c.status', 'c.kind', 'c.requested_value_pence', 'k.reference', 's.name']).execute();
    expect(claims).toContainEqual({ status: 'requested', kind: 'activity', requested_value_pence: 76_500, reference: 'NBC-2026-003', name: expect.stringContaining('Brightwater') });
  });
});
