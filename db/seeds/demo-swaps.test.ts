import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { seedDemo } from './demo';
import { parseEnv } from '~/utils/env.server';

describe('demo swaps', () => {
  it('leave one measure swap by Greenway waiting for the officer, worth at least what it gives up', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const swaps = await getDb().selectFrom('credit_swap as s').innerJoin('contract as k', 'k.id', 's.contract_id')
      .select(['s.status', 's.method', 's.value_pence', 's.to_value_pence', 'k.reference']).execute();
    expect(swaps).toEqual([{ status: 'requested', method: 'measure', value_pence: 90_000, to_value_pence: 96_000, reference: 'NBC-2025-031' }]);
  });
});
