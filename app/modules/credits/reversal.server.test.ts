import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeMeasure, makeUser } from '../../../tests/support/factories';
import { approvedSwap, creditsScenario, earnCredits } from '../../../tests/support/factories-credits';
import { contractBalance } from './ledger.server';
import { findTransaction } from './ledger.queries.server';
import { reverseTransaction } from './reversal.server';

const db = () => getDb();
const actor = (userId: string) => ({ userId, organisationId: null, requestId: 'test' });
const commitment = (id: string) => db().selectFrom('commitment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const postingsCount = async () => Number((await db().selectFrom('ledger_posting').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('reverseTransaction', () => {
  it('books the negated postings with the reason, by the officer, audited, and tells the contractor', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 5000);
    const result = await reverseTransaction(db(), earned, '  Return approved in error  ', actor(s.officer.id));
    expect(result).toMatchObject({ ok: true });
    const id = (result as { id: string }).id;
    expect(await contractBalance(db(), s.contract.id)).toBe(0);
    const reversal = await findTransaction(db(), id);
    expect(reversal).toMatchObject({ kind: 'reversal', reversesId: earned, sourceType: 'ledger_transaction', sourceId: earned, reason: 'Return approved in error', approvedById: s.officer.id, balanceChangePence: -5000 });
    expect(reversal!.postings.map((p) => [p.accountKind, p.amountPence])).toEqual([['balance', -5000], ['earned', 5000]]);
    expect((await findTransaction(db(), earned))!.reversedBy).toMatchObject({ id, reason: 'Return approved in error' });
    const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'ledger.reversed').where('subject_id', '=', earned).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ reversalId: id, reason: 'Return approved in error', balanceChangePence: -5000 });
    const mail = await db().selectFrom('notification').selectAll().where('to_user_id', '=', s.contractor.id).where('kind', '=', 'ledger_reversed').execute();
    expect(mail).toHaveLength(1);
  });

  it('needs a reason, and refuses a second reversal and the reversal of a reversal', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 100);
    expect(await reverseTransaction(db(), earned, '   ', actor(s.officer.id))).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    const first = await reverseTransaction(db(), earned, 'Mistake', actor(s.officer.id));
    expect(first.ok).toBe(true);
    const before = await postingsCount();
    expect(await reverseTransaction(db(), earned, 'Again', actor(s.officer.id))).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('already reversed') });
    expect(await reverseTransaction(db(), (first as { id: string }).id, 'Undo', actor(s.officer.id))).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('cannot itself be reversed') });
    expect(await postingsCount()).toBe(before);
  });

  it('is for staff only; an unknown transaction is not found', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 100);
    expect(await reverseTransaction(db(), earned, 'Mine', actor(s.contractor.id))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await reverseTransaction(db(), 'nope', 'x', actor(s.officer.id))).toEqual({ ok: false, reason: 'not-found' });
    expect(await contractBalance(db(), s.contract.id)).toBe(100);
  });

  it('refuses, clearly and writing nothing, when earned credits were already spent', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 10_000);
    await approvedSwap({ contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id, quantityMilli: 500, valuePence: 5000 });
    const before = await postingsCount();
    const result = await reverseTransaction(db(), earned, 'Mistake', actor(s.officer.id));
    expect(result).toEqual({ ok: false, reason: 'refused', message: expect.stringContaining('which holds only £50.00') });
    expect(await postingsCount()).toBe(before);
    expect(await contractBalance(db(), s.contract.id)).toBe(5000);
  });

  it('reversing a credits swap gives the credits back and lowers the commitment’s substituted quantity', async () => {
    const s = await creditsScenario();
    await earnCredits(s.contract.id, s.officer.id, 10_000);
    const swap = await approvedSwap({ contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id, quantityMilli: 500, valuePence: 5000 });
    expect((await commitment(s.commitment.id)).substituted_milli).toBe(500);
    const result = await reverseTransaction(db(), swap.transactionId, 'Swap approved against the wrong commitment', actor(s.officer.id));
    expect(result.ok).toBe(true);
    expect((await commitment(s.commitment.id)).substituted_milli).toBe(0);
    expect(await contractBalance(db(), s.contract.id)).toBe(10_000);
    // The earned credits can now be reversed too: nothing is spent any more.
  });

  it('reversing a measure swap lowers the other commitment’s target, refusing below what it delivered or to zero', async () => {
    const s = await creditsScenario();
    const other = await makeMeasure({ proxyPence: 20_000 });
    const b = await makeCommitment(s.contract.id, other.id, { targetMilli: 1000 });
    const swap = await approvedSwap({
      contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id,
      quantityMilli: 500, valuePence: 5000, method: 'measure', to: { commitmentId: b.id, measureId: other.id, quantityMilli: 250, proxyPence: 20_000, valuePence: 5000 },
    });
    expect((await commitment(b.id)).target_milli).toBe(1250);
    await db().updateTable('commitment').set({ delivered_milli: 1100 }).where('id', '=', b.id).execute();
    const refused = await reverseTransaction(db(), swap.transactionId, 'Wrong', actor(s.officer.id));
    expect(refused).toEqual({ ok: false, reason: 'refused', message: expect.stringContaining('below the 1.1 FTE already delivered or substituted') });
    expect((await commitment(s.commitment.id)).substituted_milli).toBe(500);
    expect((await commitment(b.id)).target_milli).toBe(1250);

    await db().updateTable('commitment').set({ delivered_milli: 0 }).where('id', '=', b.id).execute();
    expect((await reverseTransaction(db(), swap.transactionId, 'Wrong', actor(s.officer.id))).ok).toBe(true);
    expect((await commitment(b.id)).target_milli).toBe(1000);
    expect((await commitment(s.commitment.id)).substituted_milli).toBe(0);
  });

  it('refuses to reverse a measure swap that created its commitment (the target would drop to zero)', async () => {
    const s = await creditsScenario();
    const other = await makeMeasure({ proxyPence: 20_000 });
    const b = await makeCommitment(s.contract.id, other.id, { targetMilli: 1 });
    await db().updateTable('commitment').set({ target_milli: 0 + 1 }).where('id', '=', b.id).execute();
    const swap = await approvedSwap({
      contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id,
      quantityMilli: 500, valuePence: 5000, method: 'measure', to: { commitmentId: b.id, measureId: other.id, quantityMilli: 250, proxyPence: 20_000, valuePence: 5000 },
    });
    // As if the swap had created B with exactly its quantity.
    await db().updateTable('commitment').set({ target_milli: 250 }).where('id', '=', b.id).execute();
    expect(await reverseTransaction(db(), swap.transactionId, 'Wrong', actor(s.officer.id))).toEqual({ ok: false, reason: 'refused', message: expect.stringContaining('would leave that commitment with no target') });
  });

  it('refuses on a closed contract: it never changes again', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 100);
    await db().updateTable('contract').set({ status: 'completed', closed_at: new Date().toISOString(), closure_reason: 'Done' }).where('id', '=', s.contract.id).execute();
    expect(await reverseTransaction(db(), earned, 'Late', actor(s.officer.id))).toEqual({ ok: false, reason: 'refused', message: expect.stringContaining('can no longer be changed') });
    expect(await contractBalance(db(), s.contract.id)).toBe(100);
  });

  it('an admin may reverse too; a deactivated officer may not', async () => {
    const s = await creditsScenario();
    const admin = await makeUser('admin');
    const gone = await makeUser('officer');
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    const earned = await earnCredits(s.contract.id, s.officer.id, 100);
    expect(await reverseTransaction(db(), earned, 'x', actor(gone.id))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect((await reverseTransaction(db(), earned, 'x', actor(admin.id))).ok).toBe(true);
  });
});
