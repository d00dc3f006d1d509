import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { bookTransaction, contractBalance } from '~/modules/credits/ledger.server';
import { requestSwap } from '~/modules/credits/swaps.server';
import { makeCommitment, makeUser } from '../support/factories';
import { actorOf, fundBalance, makeSwapSetup } from '../support/factories-swaps';
import { cookieFor } from '../support/requests';
import { form, startApp, type TestServer } from './support';

// Many parallel HTTP decisions against the built portal (issue 5): approving the
// same swap from several officers' sessions at once, and approving swaps that
// together would spend more than the balance. Exactly the allowed outcome, and
// a ledger that balances and never goes below zero.

let server: TestServer;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => {
  await server.close();
});

function decide(cookie: string, swapId: string, decision: 'approve' | 'reject', reason: string) {
  const { body, headers } = form({ decision, reason });
  return fetch(`${server.url}/credits/swaps/${swapId}/decide`, { method: 'POST', body, headers: { ...headers, Cookie: cookie, Origin: server.origin }, redirect: 'manual' });
}

async function ledgerIsConsistent(contractId: string) {
  const unbalanced = await sql<{ id: string }>`
    SELECT t.id FROM ledger_transaction t JOIN ledger_posting p ON p.transaction_id = t.id
    WHERE t.contract_id = ${contractId} GROUP BY t.id HAVING sum(p.amount_pence) != 0`.execute(getDb());
  expect(unbalanced.rows).toEqual([]);
  const drift = await sql<{ id: string }>`
    SELECT a.id FROM ledger_account a LEFT JOIN ledger_posting p ON p.account_id = a.id
    WHERE a.contract_id = ${contractId}
    GROUP BY a.id HAVING a.balance_pence != coalesce(sum(CASE WHEN a.kind IN ('balance', 'substituted', 'expired') THEN p.amount_pence ELSE -p.amount_pence END), 0)`.execute(getDb());
  expect(drift.rows).toEqual([]);
  const negative = await getDb().selectFrom('ledger_account').select('id').where('contract_id', '=', contractId).where('balance_pence', '<', 0).execute();
  expect(negative).toEqual([]);
}

describe('parallel swap decisions over HTTP', () => {
  it('many officers approving (or rejecting) the same swap at once: one decision, the rest 409, one ledger transaction', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 1_000_000);
    const req = await requestSwap(getDb(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli: 2_000, reason: 'Site closed' }, actorOf(s.contractor));
    if (!req.ok) throw new Error(JSON.stringify(req));
    const cookies = await Promise.all([s.officer.id, (await makeUser('officer')).id, (await makeUser('admin')).id].map((id) => cookieFor(id)));
    const responses = await Promise.all(Array.from({ length: 15 }, (_, i) => decide(cookies[i % 3]!, req.id, i % 4 === 3 ? 'reject' : 'approve', `Decision ${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((st) => st === 303)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(14);
    const swap = await getDb().selectFrom('credit_swap').selectAll().where('id', '=', req.id).executeTakeFirstOrThrow();
    const booked = await getDb().selectFrom('ledger_transaction').select('id').where('source_type', '=', 'credit_swap').where('source_id', '=', req.id).execute();
    const commitment = await getDb().selectFrom('commitment').select('substituted_milli').where('id', '=', s.commitment.id).executeTakeFirstOrThrow();
    if (swap.status === 'approved') {
      expect(booked).toHaveLength(1);
      expect(commitment.substituted_milli).toBe(2_000);
      expect(await contractBalance(getDb(), s.contract.id)).toBe(800_000);
    } else {
      expect(swap.status).toBe('rejected');
      expect(booked).toHaveLength(0);
      expect(commitment.substituted_milli).toBe(0);
    }
    await ledgerIsConsistent(s.contract.id);
  });

  it('five swaps approved at once with a balance for two: exactly two approved, the rest refused, never overdrawn', async () => {
    const s = await makeSwapSetup();
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const swapIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await makeCommitment(s.contract.id, s.measure.id, { targetMilli: 10_000 });
      const req = await requestSwap(getDb(), { commitmentId: c.id, method: 'credits', quantityMilli: 1_000, reason: `Swap ${i}` }, actorOf(s.contractor));
      if (!req.ok) throw new Error(JSON.stringify(req));
      swapIds.push(req.id);
    }
    // Meanwhile £3,000 of the £5,000 is spent elsewhere: £2,000 is left, enough for two £1,000 swaps.
    await getDb().transaction().execute((tx) => bookTransaction(tx, {
      contractId: s.contract.id, kind: 'swap', sourceType: 'credit_swap', sourceId: 'spent-elsewhere', reason: 'Spent', approvedBy: s.officer.id,
      postings: [{ kind: 'substituted', commitmentId: s.commitment.id, amountPence: 300_000 }, { kind: 'balance', amountPence: -300_000 }],
    }));
    const cookie = await cookieFor(s.officer.id);
    const responses = await Promise.all(swapIds.map((id) => decide(cookie, id, 'approve', 'Covered by the balance')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((st) => st === 303)).toHaveLength(2);
    expect(statuses.filter((st) => st === 409)).toHaveLength(3);
    for (const r of responses.filter((x) => x.status === 409)) expect(await r.text()).toContain('available');
    const rows = await getDb().selectFrom('credit_swap').select(['status']).where('id', 'in', swapIds).execute();
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'requested')).toHaveLength(3);
    expect(await contractBalance(getDb(), s.contract.id)).toBe(0);
    const swapTransactions = await getDb().selectFrom('ledger_transaction').select('id').where('source_id', 'in', swapIds).execute();
    expect(swapTransactions).toHaveLength(2);
    await ledgerIsConsistent(s.contract.id);
  });
});
