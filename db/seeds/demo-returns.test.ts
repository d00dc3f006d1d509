import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { seedDemo } from './demo';
import { parseEnv } from '~/utils/env.server';

describe('demo returns', () => {
  it('back every demo commitment’s delivered figure with approved returns, and leave the due list working', async () => {
    await seedDemo(getDb(), parseEnv({ NODE_ENV: 'test', DATABASE_PATH: process.env.DATABASE_PATH }));
    const mismatched = await sql<{ id: string }>`
      SELECT c.id FROM commitment c
      LEFT JOIN (SELECT commitment_id, SUM(approved_quantity_milli) AS approved FROM progress_return WHERE status = 'approved' GROUP BY commitment_id) r
        ON r.commitment_id = c.id
      WHERE c.delivered_milli != COALESCE(r.approved, 0)`.execute(getDb());
    expect(mismatched.rows).toEqual([]);
    const approved = await getDb().selectFrom('progress_return').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'approved').executeTakeFirstOrThrow();
    expect(Number(approved.n)).toBeGreaterThan(20);
  });
});
