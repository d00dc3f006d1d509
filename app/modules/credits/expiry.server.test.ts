import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { closeContract } from '~/modules/contracts/contracts.server';
import { creditsScenario, earnCredits } from '../../../tests/support/factories-credits';
import { endDateSource, expireEndedContracts } from './expiry.server';
import { contractBalance } from './ledger.server';
import { reverseTransaction } from './reversal.server';

const db = () => getDb();
const actor = (userId: string) => ({ userId, organisationId: null, requestId: 'test' });
const expiries = (contractId: string) => db().selectFrom('ledger_transaction').selectAll().where('contract_id', '=', contractId).where('kind', '=', 'expiry').execute();
async function setPolicy(expire: boolean) {
  await db().insertInto('setting').values({ key: 'credit_policy', value_json: JSON.stringify({ creditsExpireWithContract: expire }), updated_at: new Date().toISOString(), updated_by: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: JSON.stringify({ creditsExpireWithContract: expire }) })).execute();
}

describe('credits expire with the contract', () => {
  it('closing a contract books the expiry of its balance in the same transaction, approved by the closing officer', async () => {
    await setPolicy(true);
    const s = await creditsScenario();
    await earnCredits(s.contract.id, s.officer.id, 7000);
    const result = await closeContract(db(), s.contract.id, { status: 'completed', reason: 'Finished' }, actor(s.officer.id));
    expect(result.ok).toBe(true);
    expect(await contractBalance(db(), s.contract.id)).toBe(0);
    const [expiry] = await expiries(s.contract.id);
    expect(expiry).toMatchObject({ source_type: 'contract', source_id: s.contract.id, approved_by: s.officer.id, reason: expect.stringContaining('marked completed') });
    const audit = await db().selectFrom('audit_event').selectAll().where('action', '=', 'contract.closed').where('subject_id', '=', s.contract.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!).creditsExpired).toEqual({ transactionId: expiry!.id, pence: 7000 });
  });

  it('books nothing when the balance is empty or the policy keeps credits', async () => {
    await setPolicy(true);
    const empty = await creditsScenario();
    await closeContract(db(), empty.contract.id, { status: 'terminated', reason: 'Ended early' }, actor(empty.officer.id));
    expect(await expiries(empty.contract.id)).toEqual([]);

    await setPolicy(false);
    const kept = await creditsScenario();
    await earnCredits(kept.contract.id, kept.officer.id, 7000);
    await closeContract(db(), kept.contract.id, { status: 'completed', reason: 'Finished' }, actor(kept.officer.id));
    expect(await contractBalance(db(), kept.contract.id)).toBe(7000);
    expect(await expireEndedContracts(db(), '2099-01-01')).toEqual({ contracts: 0, pence: 0 });
    await setPolicy(true);
  });

  it('the jobs command expires active contracts past their end date, once per end date, and respects a reversal', async () => {
    await setPolicy(true);
    const ended = await creditsScenario({ startDate: '2025-04-01', endDate: '2026-03-31' });
    const live = await creditsScenario({ endDate: '2099-03-31' });
    await earnCredits(ended.contract.id, ended.officer.id, 1234);
    await earnCredits(live.contract.id, live.officer.id, 999);
    const first = await expireEndedContracts(db(), '2026-11-25');
    expect(first.contracts).toBeGreaterThanOrEqual(1);
    expect(await contractBalance(db(), ended.contract.id)).toBe(0);
    expect(await contractBalance(db(), live.contract.id)).toBe(999);
    const [expiry] = await expiries(ended.contract.id);
    expect(expiry).toMatchObject({ source_id: endDateSource(ended.contract.id, '2026-03-31'), approved_by: null, reason: expect.stringContaining('ended on 31 Mar 2026') });

    // An officer reverses the expiry (say the end date was wrong): the next run does not expire it again.
    expect((await reverseTransaction(db(), expiry!.id, 'Contract is being extended', actor(ended.officer.id))).ok).toBe(true);
    expect(await contractBalance(db(), ended.contract.id)).toBe(1234);
    await expireEndedContracts(db(), '2026-11-26');
    expect(await contractBalance(db(), ended.contract.id)).toBe(1234);
    expect(await expiries(ended.contract.id)).toHaveLength(1);
  });
});
