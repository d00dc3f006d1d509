import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeContract, makeUser } from '../../../tests/support/factories';
import { accountFor, bookTransaction, contractBalance, LedgerError } from './ledger.server';

async function setup() {
  const officer = await makeUser('officer');
  const contract = await makeContract();
  return { officer, contract };
}

const earn = (contractId: string, approvedBy: string, sourceId: string, pence: number) => ({
  contractId, kind: 'earned' as const, sourceType: 'progress_return' as const, sourceId, reason: 'Surplus', approvedBy,
  postings: [{ kind: 'balance' as const, amountPence: pence }, { kind: 'earned' as const, amountPence: -pence }],
});

describe('the ledger schema', () => {
  it('books a balanced transaction and keeps the balance', async () => {
    const { officer, contract } = await setup();
    await getDb().transaction().execute((tx) => bookTransaction(tx, earn(contract.id, officer.id, 'r1', 5000)));
    expect(await contractBalance(getDb(), contract.id)).toBe(5000);
  });

  it('refuses to book the same decision twice', async () => {
    const { officer, contract } = await setup();
    await getDb().transaction().execute((tx) => bookTransaction(tx, earn(contract.id, officer.id, 'r2', 100)));
    await expect(getDb().transaction().execute((tx) => bookTransaction(tx, earn(contract.id, officer.id, 'r2', 100)))).rejects.toMatchObject({ code: 'already-booked' });
    expect(await contractBalance(getDb(), contract.id)).toBe(100);
  });

  it('refuses an overdraft and writes nothing', async () => {
    const { officer, contract } = await setup();
    const before = await getDb().selectFrom('ledger_posting').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const spend = { ...earn(contract.id, officer.id, 's1', 0), kind: 'swap' as const, sourceType: 'credit_swap' as const,
      postings: [{ kind: 'balance' as const, amountPence: -1 }, { kind: 'expired' as const, amountPence: 1 }] };
    await expect(getDb().transaction().execute((tx) => bookTransaction(tx, spend))).rejects.toBeInstanceOf(LedgerError);
    const after = await getDb().selectFrom('ledger_posting').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses an unbalanced transaction written straight to the tables', async () => {
    const { officer, contract } = await setup();
    await expect(getDb().transaction().execute(async (tx) => {
      const account = await accountFor(tx, contract.id, 'balance');
      await tx.insertInto('ledger_posting').values({ transaction_id: 'x1', account_id: account, amount_pence: 10 }).execute();
      await tx.insertInto('ledger_transaction').values({ id: 'x1', contract_id: contract.id, kind: 'earned', source_type: 'progress_return', source_id: 'x1', reason: 'r', approved_by: officer.id, booked_at: 'now' }).execute();
    })).rejects.toThrow(/must balance/);
  });

  it('refuses updates and deletes of postings and transactions', async () => {
    const { officer, contract } = await setup();
    const id = await getDb().transaction().execute((tx) => bookTransaction(tx, earn(contract.id, officer.id, 'r3', 100)));
    await expect(sql`UPDATE ledger_posting SET amount_pence = 1 WHERE transaction_id = ${id}`.execute(getDb())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ledger_posting WHERE transaction_id = ${id}`.execute(getDb())).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ledger_transaction SET reason = 'x' WHERE id = ${id}`.execute(getDb())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ledger_transaction WHERE id = ${id}`.execute(getDb())).rejects.toThrow(/append-only/);
  });

  it('refuses a posting added to a booked transaction', async () => {
    const { officer, contract } = await setup();
    const id = await getDb().transaction().execute((tx) => bookTransaction(tx, earn(contract.id, officer.id, 'r4', 100)));
    const account = await accountFor(getDb(), contract.id, 'balance');
    await expect(getDb().insertInto('ledger_posting').values({ transaction_id: id, account_id: account, amount_pence: 5 }).execute()).rejects.toThrow(/already booked/);
  });
});
