import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { bookTransaction } from '~/modules/credits/ledger.server';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract, makeMeasure, makeUser } from '../../../tests/support/factories';
import { makeReportWorld } from '../../../tests/support/factories-reports';

// The ledger's day-by-day summaries (migration 0010, decision 0024) are kept by
// a trigger on ledger_transaction. Whatever is booked, they equal the same
// sums worked out again from the postings.

async function recomputed() {
  const db = getDb();
  const substituted = await sql<{ commitment_id: string; booked_on: string; amount_pence: number }>`
    SELECT a.commitment_id, date(t.booked_at) AS booked_on, sum(p.amount_pence) AS amount_pence
    FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id JOIN ledger_transaction t ON t.id = p.transaction_id
    WHERE a.kind = 'substituted' GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  const kinds = await sql<{ kind: string; booked_on: string; transactions: number; value_pence: number }>`
    SELECT t.kind, date(t.booked_at) AS booked_on, count(*) AS transactions,
           (SELECT total(p.amount_pence) FROM ledger_posting p JOIN ledger_transaction x ON x.id = p.transaction_id
            WHERE p.amount_pence > 0 AND x.kind = t.kind AND date(x.booked_at) = date(t.booked_at)) AS value_pence
    FROM ledger_transaction t GROUP BY 1, 2 ORDER BY 2, 1`.execute(db);
  return { substituted: substituted.rows, kinds: kinds.rows.map((r) => ({ ...r, value_pence: Number(r.value_pence) })) };
}

async function summaries() {
  const db = getDb();
  const substituted = await sql<{ commitment_id: string; booked_on: string; amount_pence: number }>`
    SELECT commitment_id, booked_on, amount_pence FROM ledger_substituted_day ORDER BY 1, 2`.execute(db);
  const kinds = await sql<{ kind: string; booked_on: string; transactions: number; value_pence: number }>`
    SELECT kind, booked_on, transactions, value_pence FROM ledger_kind_day ORDER BY 2, 1`.execute(db);
  return { substituted: substituted.rows, kinds: kinds.rows };
}

describe('ledger summaries', () => {
  it('equal the postings after swaps, a swap reversed on a later day, and several bookings on one day', async () => {
    await makeReportWorld(4242, { suppliers: 3, contracts: 5 });
    const officer = await makeUser('officer');
    const measure = await makeMeasure();
    const contract = await makeContract({ startDate: '2026-04-01', endDate: '2027-03-31' });
    const commitment = await makeCommitment(contract.id, measure.id, { targetMilli: 10_000 });
    const book = (kind: 'earned' | 'swap' | 'reversal', at: string, postings: Parameters<typeof bookTransaction>[1]['postings'], reversesId?: string) =>
      getDb().transaction().execute((tx) => bookTransaction(tx, {
        contractId: contract.id, kind, sourceType: reversesId ? 'ledger_transaction' : kind === 'swap' ? 'credit_swap' : 'progress_return', sourceId: reversesId ?? newId(),
        reversesId, reason: 'Test', approvedBy: officer.id, at, postings,
      }));
    await book('earned', '2026-05-01T23:30:00.000Z', [{ kind: 'balance', amountPence: 90_000 }, { kind: 'earned', amountPence: -90_000 }]);
    const swap = await book('swap', '2026-06-01T09:00:00.000Z', [{ kind: 'substituted', commitmentId: commitment.id, amountPence: 30_000 }, { kind: 'balance', amountPence: -30_000 }]);
    await book('swap', '2026-06-01T17:00:00.000Z', [{ kind: 'substituted', commitmentId: commitment.id, amountPence: 20_000 }, { kind: 'balance', amountPence: -20_000 }]);
    await book('reversal', '2026-07-15T10:00:00.000Z', [{ kind: 'substituted', commitmentId: commitment.id, amountPence: -30_000 }, { kind: 'balance', amountPence: 30_000 }], swap);

    const got = await summaries();
    expect(got).toEqual(await recomputed());
    expect(got.substituted.filter((r) => r.commitment_id === commitment.id)).toEqual([
      { commitment_id: commitment.id, booked_on: '2026-06-01', amount_pence: 50_000 },
      { commitment_id: commitment.id, booked_on: '2026-07-15', amount_pence: -30_000 },
    ]);
  });
});
