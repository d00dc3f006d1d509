import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeMeasure, makeOrganisation, makeUser } from '../../tests/support/factories';
import { approvedSwap, creditsScenario, earnCredits } from '../../tests/support/factories-credits';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { closeContract } from '~/modules/contracts/contracts.server';
import { decideClaim, requestClaim } from '~/modules/credits/claims.server';
import { exportLedgerCsv } from '~/modules/credits/ledger-csv.server';
import { contractBalance } from '~/modules/credits/ledger.server';
import { reverseTransaction } from '~/modules/credits/reversal.server';
import { scenario } from '~/modules/returns/review.test-support';
import * as contractPage from './contracts.$contractId._index';
import * as closePage from './contracts.$contractId.close';
import * as ledgerPage from './contracts.$contractId.ledger';
import * as ledgerCsv from './contracts.$contractId.ledger[.]csv';
import * as creditsPage from './credits._index';
import * as claimPage from './credits.claims.$claimId._index';
import * as swapPage from './credits.swaps.$swapId._index';
import * as reversePage from './credits.transactions.$transactionId.reverse';
import * as decideReturnPage from './returns.$returnId.decide';
import * as officerCsv from './officer.ledger[.]csv';

const cookie = async (userId: string) => cookieFor(userId);

/** A contract with £100 earned, £50 of it spent on a credits swap of 0.5 units of its commitment (target 2 at £100). */
async function withLedger() {
  const s = await creditsScenario();
  const earned = await earnCredits(s.contract.id, s.officer.id, 10_000, 'Delivered 1 FTE beyond the target');
  const swap = await approvedSwap({ contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id, quantityMilli: 500, valuePence: 5000 });
  return { ...s, earned, swap };
}

type ContractData = { creditBalance: string; commitments: Array<{ id: string; substitutedValue: string; remainingValue: string }>; howMet: Array<{ commitmentId: string; substituted: string; substitutedLines: Array<{ text: string; href: string }>; swapHref: string | null; takenOn: string | null }> };

describe('the contract page shows credits', () => {
  it('the balance, and how each commitment was met, with figures equal to the ledger; a swap link for the contractor only', async () => {
    const s = await withLedger();
    const asContractor = await run(contractPage.loader, makeRequest(`/contracts/${s.contract.id}`, { cookie: await cookie(s.contractor.id) }), { contractId: s.contract.id });
    const data = asContractor.data as ContractData;
    expect(data.creditBalance).toBe('£50.00');
    expect(data.commitments[0]).toMatchObject({ substitutedValue: '£50.00', remainingValue: '£150.00' });
    const [met] = data.howMet;
    expect(met).toMatchObject({ commitmentId: s.commitment.id, substituted: expect.stringContaining('(£50.00)'), swapHref: `/credits/swaps/new?commitmentId=${s.commitment.id}`, takenOn: null });
    expect(met!.substitutedLines).toEqual([expect.objectContaining({ text: expect.stringMatching(/^0\.5 FTE \(£50\.00\) met with credits from the contract’s balance, approved .+ by Test officer$/), href: `/credits/swaps/${s.swap.id}` })]);

    const asOfficer = await run(contractPage.loader, makeRequest(`/contracts/${s.contract.id}`, { cookie: await cookie(s.officer.id) }), { contractId: s.contract.id });
    expect((asOfficer.data as ContractData).howMet[0]!.swapHref).toBeNull();
  });

  it('shows a measure swap on both commitments and no swap link once nothing remains', async () => {
    const s = await creditsScenario({ targetMilli: 1000 });
    const other = await makeMeasure({ proxyPence: 20_000, unit: 'tonnes' });
    const b = await makeCommitment(s.contract.id, other.id, { targetMilli: 1000 });
    await approvedSwap({
      contractId: s.contract.id, supplierId: s.supplier.id, commitmentId: s.commitment.id, officerId: s.officer.id, createdBy: s.contractor.id,
      quantityMilli: 1000, valuePence: 10_000, method: 'measure', to: { commitmentId: b.id, measureId: other.id, quantityMilli: 500, proxyPence: 20_000, valuePence: 10_000 },
    });
    const page = await run(contractPage.loader, makeRequest(`/contracts/${s.contract.id}`, { cookie: await cookie(s.contractor.id) }), { contractId: s.contract.id });
    const data = page.data as ContractData;
    const a = data.howMet.find((h) => h.commitmentId === s.commitment.id)!;
    const taken = data.howMet.find((h) => h.commitmentId === b.id)!;
    expect(a.swapHref).toBeNull();
    expect(a.substitutedLines[0]!.text).toContain(`met by taking on 0.5 tonnes of ${other.code}`);
    expect(taken.takenOn).toBe('£100.00');
  });
});

describe('the contract’s ledger page', () => {
  it('lists every transaction with postings, reason, approver and source; staff get Reverse links, the contractor does not', async () => {
    const s = await withLedger();
    const asOfficer = await run(ledgerPage.loader, makeRequest(`/contracts/${s.contract.id}/ledger`, { cookie: await cookie(s.officer.id) }), { contractId: s.contract.id });
    type Ledger = { totals: { balance: string; substituted: string }; transactions: Array<{ id: string; title: string; reason: string; approvedBy: string | null; sourceHref: string | null; reverseHref: string | null; postings: Array<{ account: string; debit: string; credit: string }> }> };
    const data = asOfficer.data as Ledger;
    expect(data.totals).toMatchObject({ balance: '£50.00', substituted: '£50.00' });
    // Newest first.
    expect(data.transactions.map((t) => t.title)).toEqual(['Swap approved: \u2212£50.00', 'Credits earned: +£100.00']);
    expect(data.transactions[1]).toMatchObject({ id: s.earned, reason: 'Delivered 1 FTE beyond the target', approvedBy: 'Test officer', reverseHref: `/credits/transactions/${s.earned}/reverse` });
    expect(data.transactions[0]!.postings).toEqual([
      expect.objectContaining({ account: expect.stringMatching(/^Value substituted on commitments: /), debit: '£50.00', credit: '' }),
      expect.objectContaining({ account: 'Credit balance', debit: '', credit: '£50.00' }),
    ]);
    expect(data.transactions[0]!.sourceHref).toBe(`/credits/swaps/${s.swap.id}`);

    const asContractor = await run(ledgerPage.loader, makeRequest(`/contracts/${s.contract.id}/ledger`, { cookie: await cookie(s.contractor.id) }), { contractId: s.contract.id });
    expect((asContractor.data as Ledger).transactions.every((t) => t.reverseHref === null)).toBe(true);
  });

  it('is not found for another supplier’s contractor, as is its CSV', async () => {
    const s = await withLedger();
    const stranger = await makeUser('contractor', { organisationId: (await makeOrganisation('supplier')).id });
    const c = await cookie(stranger.id);
    expect((await run(ledgerPage.loader, makeRequest(`/contracts/${s.contract.id}/ledger`, { cookie: c }), { contractId: s.contract.id })).status).toBe(404);
    expect((await run(ledgerCsv.loader, makeRequest(`/contracts/${s.contract.id}/ledger.csv`, { cookie: c }), { contractId: s.contract.id })).status).toBe(404);
  });

  it('exports one CSV row per posting, each transaction summing to zero; the officer export filters by contract', async () => {
    const s = await withLedger();
    const csv = await run(ledgerCsv.loader, makeRequest(`/contracts/${s.contract.id}/ledger.csv`, { cookie: await cookie(s.contractor.id) }), { contractId: s.contract.id });
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const lines = (csv.data as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('booked_at,contract_reference,supplier,transaction_id,transaction_kind,reason,approved_by,source_type,source_id,reverses_transaction_id,account,commitment_measure_code,debit_gbp,credit_gbp');
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.includes(',earned,'))).toHaveLength(2);
    const other = await withLedger();
    const officer = await makeUser('officer');
    const all = await run(officerCsv.loader, makeRequest(`/officer/ledger.csv?contract=${other.contract.id}`, { cookie: await cookie(officer.id) }));
    const rows = (all.data as string).trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.includes(other.contract.reference))).toBe(true);
  });
});

describe('reversing a transaction', () => {
  it('shows the page, needs a reason, books the reversal and redirects to the ledger; a second attempt is 409', async () => {
    const s = await creditsScenario();
    const earned = await earnCredits(s.contract.id, s.officer.id, 10_000);
    const officer = await cookie(s.officer.id);
    const path = `/credits/transactions/${earned}/reverse`;
    const page = await run(reversePage.loader, makeRequest(path, { cookie: officer }), { transactionId: earned });
    expect(page.status).toBe(200);

    const empty = await run(reversePage.action, makeRequest(path, { method: 'POST', cookie: officer, form: { reason: ' ' } }), { transactionId: earned });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.data)).toContain('Enter the reason for reversing this transaction');
    expect(await contractBalance(getDb(), s.contract.id)).toBe(10_000);

    const done = await run(reversePage.action, makeRequest(path, { method: 'POST', cookie: officer, form: { reason: 'Approved in error' } }), { transactionId: earned });
    expect(done.status).toBe(303);
    expect(done.location).toMatch(new RegExp(`^/contracts/${s.contract.id}/ledger\\?reversed=`));
    expect(await contractBalance(getDb(), s.contract.id)).toBe(0);

    expect((await run(reversePage.loader, makeRequest(path, { cookie: officer }), { transactionId: earned })).status).toBe(409);
    expect((await run(reversePage.action, makeRequest(path, { method: 'POST', cookie: officer, form: { reason: 'Again' } }), { transactionId: earned })).status).toBe(409);
  });

  it('answers 409 with the reason above the form when the credits were already spent; 404 for an unknown transaction', async () => {
    const s = await withLedger();
    const officer = await cookie(s.officer.id);
    const path = `/credits/transactions/${s.earned}/reverse`;
    const refused = await run(reversePage.action, makeRequest(path, { method: 'POST', cookie: officer, form: { reason: 'Mistake' } }), { transactionId: s.earned });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.data)).toContain('already been spent on swaps');
    expect(await contractBalance(getDb(), s.contract.id)).toBe(5000);
    expect((await run(reversePage.loader, makeRequest('/credits/transactions/nope/reverse', { cookie: officer }), { transactionId: 'nope' })).status).toBe(404);
  });
});

describe('the contractor’s credits page', () => {
  it('lists their active contracts with balances and pending swaps, and nobody else’s', async () => {
    const s = await withLedger();
    const now = new Date().toISOString();
    await getDb().insertInto('credit_swap').values({
      id: 'pending-swap-' + s.contract.id, contract_id: s.contract.id, supplier_id: s.supplier.id, commitment_id: s.commitment.id, method: 'credits',
      quantity_milli: 100, value_pence: 1000, reason: 'Short', created_by: s.contractor.id, created_at: now, updated_at: now,
      to_measure_id: null, to_commitment_id: null, to_quantity_milli: null, to_proxy_value_pence: null, to_value_pence: null, to_due_date: null,
      decision_reason: null, decided_by: null, decided_at: null,
    }).execute();
    const other = await withLedger();
    const page = await run(creditsPage.loader, makeRequest('/credits', { cookie: await cookie(s.contractor.id) }));
    const data = page.data as { contracts: Array<{ id: string; balance: string; pending: Array<{ href: string }> }> };
    expect(data.contracts.map((c) => c.id)).toEqual([s.contract.id]);
    expect(data.contracts[0]).toMatchObject({ balance: '£50.00', pending: [{ href: `/credits/swaps/pending-swap-${s.contract.id}` }] });
    expect(data.contracts.some((c) => c.id === other.contract.id)).toBe(false);
  });
});

describe('/credits recent decisions', () => {
  it('lists the organisation’s decided and withdrawn claims and swaps, newest first, with the reason, and no one else’s', async () => {
    const s = await withLedger();
    const other = await withLedger();
    const swap = (id: string, supplierId: string, contractId: string, commitmentId: string, createdBy: string, status: 'requested' | 'approved' | 'rejected' | 'withdrawn', decidedAt: string | null, reason: string | null) => ({
      id, contract_id: contractId, supplier_id: supplierId, commitment_id: commitmentId, method: 'credits' as const,
      quantity_milli: 100, value_pence: 1000, reason: 'Short', created_by: createdBy, created_at: '2026-10-01T09:00:00.000Z', updated_at: decidedAt ?? '2026-10-01T09:00:00.000Z', status,
      to_measure_id: null, to_commitment_id: null, to_quantity_milli: null, to_proxy_value_pence: null, to_value_pence: null, to_due_date: null,
      decision_reason: reason, decided_by: decidedAt && status !== 'withdrawn' ? s.officer.id : null, decided_at: status === 'withdrawn' ? null : decidedAt,
    });
    await getDb().insertInto('credit_swap').values([
      swap(`rejected-${s.contract.id}`, s.supplier.id, s.contract.id, s.commitment.id, s.contractor.id, 'rejected', '2026-11-02T09:00:00.000Z', 'Deliver it in the spring instead'),
      swap(`approved-${s.contract.id}`, s.supplier.id, s.contract.id, s.commitment.id, s.contractor.id, 'approved', '2026-11-03T09:00:00.000Z', 'Agreed at the review meeting'),
      swap(`withdrawn-${s.contract.id}`, s.supplier.id, s.contract.id, s.commitment.id, s.contractor.id, 'withdrawn', '2026-11-01T09:00:00.000Z', null),
      swap(`waiting-${s.contract.id}`, s.supplier.id, s.contract.id, s.commitment.id, s.contractor.id, 'requested', null, null),
      swap(`theirs-${other.contract.id}`, other.supplier.id, other.contract.id, other.commitment.id, other.contractor.id, 'rejected', '2026-11-04T09:00:00.000Z', 'Not ours'),
    ]).execute();
    const page = await run(creditsPage.loader, makeRequest('/credits', { cookie: await cookie(s.contractor.id) }));
    const { decisions } = page.data as { decisions: Array<{ href: string; status: string; reason: string }> };
    // withLedger's own approved swap (decided today) comes first; ours follow, newest first.
    expect(decisions[0]).toMatchObject({ status: 'approved' });
    expect(decisions.some((d) => d.href.includes(other.contract.id) || d.href.includes('waiting-'))).toBe(false);
    expect(decisions.filter((d) => d.href.endsWith(`-${s.contract.id}`)).map((d) => [d.href, d.status, d.reason])).toEqual([
      [`/credits/swaps/approved-${s.contract.id}`, 'approved', 'Agreed at the review meeting'],
      [`/credits/swaps/rejected-${s.contract.id}`, 'rejected', 'Deliver it in the spring instead'],
      [`/credits/swaps/withdrawn-${s.contract.id}`, 'withdrawn', ''],
    ]);
  });
});

describe('closing a contract', () => {
  it('warns that the unspent credits will expire, then expires them', async () => {
    const s = await withLedger();
    const officer = await cookie(s.officer.id);
    const page = await run(closePage.loader, makeRequest(`/contracts/${s.contract.id}/close`, { cookie: officer }), { contractId: s.contract.id });
    expect((page.data as { expiringCredits: string | null }).expiringCredits).toBe('£50.00');
    const closed = await run(closePage.action, makeRequest(`/contracts/${s.contract.id}/close`, { method: 'POST', cookie: officer, form: { status: 'completed', reason: 'Finished' } }), { contractId: s.contract.id });
    expect(closed.status).toBe(303);
    expect(await contractBalance(getDb(), s.contract.id)).toBe(0);
    // A closed contract never changes again: no Reverse links, and the reversal page answers 409.
    const ledger = await run(ledgerPage.loader, makeRequest(`/contracts/${s.contract.id}/ledger`, { cookie: officer }), { contractId: s.contract.id });
    expect((ledger.data as { transactions: Array<{ reverseHref: string | null }> }).transactions.every((t) => t.reverseHref === null)).toBe(true);
    expect((await run(reversePage.loader, makeRequest(`/credits/transactions/${s.earned}/reverse`, { cookie: officer }), { transactionId: s.earned })).status).toBe(409);
  });
});

describe('the return decide page and a closed contract', () => {
  it('says no credits will be banked for a surplus on a contract closed since the return was sent', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 1500, quantityMilli: 1000 });
    const load = async () => (await run(decideReturnPage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: await cookie(s.officer.id) }), { returnId: s.ret.id })).data as { surplusIfApproved: string | null; contractClosed: boolean };
    expect(await load()).toMatchObject({ surplusIfApproved: expect.any(String), contractClosed: false });
    await closeContract(getDb(), s.contract.id, { status: 'terminated', reason: 'Ended early' }, { userId: s.officer.id, organisationId: null, requestId: 'test' });
    expect(await load()).toMatchObject({ surplusIfApproved: expect.any(String), contractClosed: true });
  });
});

describe('a reversed approval is shown on its claim or swap page', () => {
  it('the claim page and the swap page say when, by whom and why their credits were reversed', async () => {
    const s = await withLedger();
    const officer = { userId: s.officer.id, organisationId: null, requestId: 'test' };
    const uncommitted = await makeMeasure({ proxyPence: 10_000 });
    const claim = await requestClaim(getDb(), { contractId: s.contract.id, kind: 'activity', measureId: uncommitted.id, quantityMilli: 1000, description: 'Careers day' }, { userId: s.contractor.id, organisationId: s.supplier.id, requestId: 'test' });
    if (!claim.ok) throw new Error(JSON.stringify(claim));
    const decided = await decideClaim(getDb(), claim.id, { decision: 'approve' }, officer);
    if (!decided.ok) throw new Error(JSON.stringify(decided));
    const claimView = async () => (await run(claimPage.loader, makeRequest(`/credits/claims/${claim.id}`, { cookie: await cookie(s.contractor.id) }), { claimId: claim.id })).data as { reversed: string | null };
    const swapView = async () => (await run(swapPage.loader, makeRequest(`/credits/swaps/${s.swap.id}`, { cookie: await cookie(s.contractor.id) }), { swapId: s.swap.id })).data as { reversed: string | null };
    expect(await claimView()).toMatchObject({ reversed: null });
    expect(await swapView()).toMatchObject({ reversed: null });
    expect(await reverseTransaction(getDb(), decided.transactionId!, 'Counted twice', officer)).toMatchObject({ ok: true });
    expect(await reverseTransaction(getDb(), s.swap.transactionId, 'Approved in error', officer)).toMatchObject({ ok: true });
    expect((await claimView()).reversed).toMatch(/by Test officer: Counted twice$/);
    expect((await swapView()).reversed).toMatch(/by Test officer: Approved in error$/);
  });
});

describe('a ledger export too large for one file', () => {
  it('is a 422 asking for a shorter period, never a file cut off part way through a transaction', async () => {
    const s = await withLedger(); // two transactions, four postings
    expect((await exportLedgerCsv(getDb(), { contractId: s.contract.id }, { maxRows: 4 })).trim().split('\r\n')).toHaveLength(5);
    const refused = await exportLedgerCsv(getDb(), { contractId: s.contract.id }, { maxRows: 3 }).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(422);
    expect(await (refused as Response).text()).toContain('more than 3 rows');
  });
});
