import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeCommitment, makeContract, makeMeasure, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { contractTotals, listCommitmentFigures } from '~/modules/contracts/contract-figures.server';
import { closeContract } from '~/modules/contracts/contracts.server';
import { decideReturn } from '~/modules/returns/review.server';
import { insertReturn } from '~/modules/returns/review.test-support';
import { decideClaim, requestClaim, withdrawClaim } from './claims.server';
import { howCommitmentsWereMet } from './how-met.server';
import { commitmentLedgerFigures, contractBalances, findTransaction } from './ledger.queries.server';
import { DEBIT_NORMAL } from './ledger.server';
import { reverseTransaction } from './reversal.server';
import { decideSwap, requestSwap, withdrawSwap } from './swaps.server';

// The ledger under random sequences of everything that books it (issue #5,
// "Tests"): returns approved past their targets (surplus), claims, swaps with
// credits and with another measure, approvals, rejections, withdrawals,
// reversals, closing the contract, and failures (not enough balance, past the
// policy share, a swap to the same commitment, double decisions, reversing
// spent credits or a reversal). After every step, whatever it answered:
//   - every transaction has two or more postings and sums to zero;
//   - no account is below zero and each equals the sum of its postings;
//   - the contract page's figures (balance, substituted per commitment and in
//     total, remaining, how each commitment was met) equal the ledger's sums;
//   - commitment.substituted_milli = the approved, unreversed swaps' quantities,
//     delivered_milli = the approved returns' quantities;
//   - nothing is booked twice: one transaction per approved claim and swap,
//     none for others, at most one 'earned' per return, each reversal once;
//   - the balance equals a model kept here from what each service reported.

const db = () => getDb();
const actor = (u: { id: string; organisationId: string }) => ({ userId: u.id, organisationId: u.organisationId, requestId: 'property' });
const DECISIONS = ['approve', 'approveLower', 'reject', 'withdraw', 'leave'] as const;

const stepArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('return' as const), c: fc.nat(2), qty: fc.integer({ min: 1, max: 6000 }), approve: fc.boolean(), lower: fc.boolean(), twice: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('claim' as const), m: fc.nat(2), qty: fc.integer({ min: 1, max: 3000 }), decision: fc.constantFrom(...DECISIONS), twice: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('swapCredits' as const), c: fc.nat(2), qty: fc.integer({ min: 1, max: 1500 }), decision: fc.constantFrom(...DECISIONS), twice: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('swapMeasure' as const), c: fc.nat(2), toM: fc.nat(3), qty: fc.integer({ min: 1, max: 1500 }), extra: fc.integer({ min: -200, max: 2000 }), existing: fc.boolean(), decision: fc.constantFrom(...DECISIONS), twice: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('decidePending' as const), pick: fc.nat(), approve: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const) }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

async function setup(proxies: number[], targets: number[]) {
  const supplier = await makeOrganisation('supplier');
  const contractor = { ...(await makeUser('contractor', { organisationId: supplier.id })) };
  const officer = await makeUser('officer');
  const contract = await makeContract({ supplierId: supplier.id, officerId: officer.id, startDate: '2026-01-01', endDate: '2030-03-31' });
  // Four measures of one theme; the first three carry a commitment each, the fourth none (a measure swap to it creates one).
  const measures = [];
  for (const proxy of proxies) measures.push(await makeMeasure({ theme: 'Jobs', unit: 'hours', proxyPence: proxy }));
  const commitments = [];
  for (let i = 0; i < 3; i += 1) commitments.push(await makeCommitment(contract.id, measures[i]!.id, { targetMilli: targets[i]!, dueDate: '2029-03-31' }));
  // Claims are for activity outside the commitments: measures the contract never commits to.
  const claimMeasures = [];
  for (const proxy of proxies.slice(0, 3)) claimMeasures.push(await makeMeasure({ theme: 'Volunteering', unit: 'hours', proxyPence: proxy }));
  return { supplier, contractor, officer, contract, measures, commitments, claimMeasures };
}

type World = Awaited<ReturnType<typeof setup>> & { balance: number; pendingSwaps: string[] };

/** What happened across all runs: the test also checks the sequences really exercised each path. */
const seen = new Map<string, number>();
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

async function decideRequest(w: World, kind: 'claim' | 'swap', id: string, decision: (typeof DECISIONS)[number], requestedPence: number, twice: boolean) {
  const officer = actor(w.officer);
  if (decision === 'leave') {
    if (kind === 'swap') w.pendingSwaps.push(id);
    return;
  }
  if (decision === 'withdraw') {
    const r = kind === 'claim' ? await withdrawClaim(db(), id, actor(w.contractor)) : await withdrawSwap(db(), id, actor(w.contractor));
    expect(r.ok).toBe(true);
    return;
  }
  if (kind === 'claim') {
    const lower = decision === 'approveLower' && requestedPence > 1 ? Math.max(1, Math.floor(requestedPence / 2)) : undefined;
    const input = decision === 'reject' ? { decision: 'reject' as const, reason: 'No' } : { decision: 'approve' as const, approvedValuePence: lower, reason: lower ? 'Less' : undefined };
    const r = await decideClaim(db(), id, input, officer);
    expect(r.ok).toBe(true);
    if (r.ok && r.status === 'approved') {
      w.balance += lower ?? requestedPence;
      saw('claim approved');
    }
    if (twice) expect(await decideClaim(db(), id, input, officer)).toMatchObject({ ok: false, reason: 'conflict' });
  } else {
    const input = { decision: decision === 'reject' ? 'reject' as const : 'approve' as const, reason: 'Decided' };
    const r = await decideSwap(db(), id, input, officer);
    if (r.ok && r.status === 'approved') {
      const swap = await db().selectFrom('credit_swap').select(['method', 'value_pence']).where('id', '=', id).executeTakeFirstOrThrow();
      if (swap.method === 'credits') w.balance -= swap.value_pence;
      saw(`${swap.method} swap approved`);
    }
    if (!r.ok) saw(`swap decision refused (${r.reason})`);
    if (twice) expect(await decideSwap(db(), id, input, officer)).toMatchObject({ ok: false, reason: 'conflict' });
  }
}

async function apply(w: World, step: Step) {
  const officer = actor(w.officer);
  switch (step.t) {
    case 'return': {
      const c = w.commitments[step.c]!;
      const ret = await insertReturn({ commitmentId: c.id, contractId: w.contract.id, supplierId: w.supplier.id, createdBy: w.contractor.id }, { quantityMilli: step.qty });
      const approved = step.lower && step.qty > 1 ? Math.floor(step.qty / 2) : step.qty;
      const input = step.approve ? { decision: 'approve' as const, approvedQuantityMilli: approved, reason: approved !== step.qty ? 'Less' : undefined } : { decision: 'reject' as const, reason: 'No' };
      const r = await decideReturn(db(), ret.id, input, officer);
      expect(r.ok).toBe(true);
      // A closed contract takes no more credits: the delivery counts, nothing is banked.
      const open = (await db().selectFrom('contract').select('status').where('id', '=', w.contract.id).executeTakeFirstOrThrow()).status === 'active';
      if (r.ok && r.surplus && open) {
        w.balance += r.surplus.addedValuePence;
        saw('surplus earned');
      }
      if (r.ok && r.surplus && !open) saw('surplus on a closed contract');
      if (step.twice) expect(await decideReturn(db(), ret.id, input, officer)).toMatchObject({ ok: false, reason: 'conflict' });
      return;
    }
    case 'claim': {
      const m = w.claimMeasures[step.m]!;
      const r = await requestClaim(db(), { contractId: w.contract.id, kind: 'activity', measureId: m.id, quantityMilli: step.qty, description: 'Volunteering' }, actor(w.contractor));
      if (!r.ok) return;
      const claim = await db().selectFrom('credit_claim').select('requested_value_pence').where('id', '=', r.id).executeTakeFirstOrThrow();
      await decideRequest(w, 'claim', r.id, step.decision, claim.requested_value_pence, step.twice);
      return;
    }
    case 'swapCredits': {
      const r = await requestSwap(db(), { commitmentId: w.commitments[step.c]!.id, method: 'credits', quantityMilli: step.qty, reason: 'Cannot deliver' }, actor(w.contractor));
      if (r.ok) await decideRequest(w, 'swap', r.id, step.decision, 0, step.twice);
      else saw('swap request refused');
      return;
    }
    case 'swapMeasure': {
      const from = w.commitments[step.c]!;
      const to = w.measures[step.toM]!;
      const fromValue = Math.round((step.qty * from.proxyPence) / 1000);
      const toQty = Math.max(1, Math.ceil((fromValue * 1000) / Math.max(1, to.proxyPence)) + step.extra);
      const existing = step.existing && step.toM < 3 ? w.commitments[step.toM]!.id : null;
      const r = await requestSwap(db(), {
        commitmentId: from.id, method: 'measure', quantityMilli: step.qty, toMeasureId: to.id, toQuantityMilli: toQty, toCommitmentId: existing, reason: 'Other way',
      }, actor(w.contractor));
      if (r.ok) await decideRequest(w, 'swap', r.id, step.decision, 0, step.twice);
      return;
    }
    case 'decidePending': {
      if (w.pendingSwaps.length === 0) return;
      const [id] = w.pendingSwaps.splice(step.pick % w.pendingSwaps.length, 1);
      await decideRequest(w, 'swap', id!, step.approve ? 'approve' : 'reject', 0, false);
      return;
    }
    case 'reverse': {
      const ids = await db().selectFrom('ledger_transaction').select('id').where('contract_id', '=', w.contract.id).orderBy('booked_at').orderBy(sql`rowid`).execute();
      if (ids.length === 0) return;
      const original = (await findTransaction(db(), ids[step.pick % ids.length]!.id))!;
      const r = await reverseTransaction(db(), original.id, 'Correction', officer);
      if (original.kind === 'reversal' || original.reversedBy) expect(r).toMatchObject({ ok: false, reason: 'conflict' });
      if (r.ok) w.balance -= original.balanceChangePence;
      saw(r.ok ? `${original.kind} reversed` : `reversal refused (${r.reason})`);
      return;
    }
    case 'close': {
      const r = await closeContract(db(), w.contract.id, { status: 'completed', reason: 'Done' }, officer);
      if (r.ok) {
        w.balance = 0;
        saw('closed');
      }
      return;
    }
  }
}

async function checkInvariants(w: World) {
  const contractId = w.contract.id;
  const transactions = await sql<{ id: string; n: number; s: number }>`
    SELECT t.id, count(p.id) AS n, coalesce(sum(p.amount_pence), 0) AS s FROM ledger_transaction t LEFT JOIN ledger_posting p ON p.transaction_id = t.id
    WHERE t.contract_id = ${contractId} GROUP BY t.id`.execute(db());
  for (const t of transactions.rows) {
    expect(Number(t.n)).toBeGreaterThanOrEqual(2);
    expect(Number(t.s)).toBe(0);
  }
  const orphans = await sql<{ n: number }>`SELECT count(*) AS n FROM ledger_posting p LEFT JOIN ledger_transaction t ON t.id = p.transaction_id WHERE t.id IS NULL`.execute(db());
  expect(Number(orphans.rows[0]!.n)).toBe(0);

  const accounts = await sql<{ kind: string; commitment_id: string | null; balance_pence: number; s: number }>`
    SELECT a.kind, a.commitment_id, a.balance_pence, coalesce(sum(p.amount_pence), 0) AS s FROM ledger_account a LEFT JOIN ledger_posting p ON p.account_id = a.id
    WHERE a.contract_id = ${contractId} GROUP BY a.id`.execute(db());
  const substitutedAccount = new Map<string, number>();
  for (const a of accounts.rows) {
    expect(a.balance_pence).toBeGreaterThanOrEqual(0);
    expect(a.balance_pence).toBe((DEBIT_NORMAL as readonly string[]).includes(a.kind) ? Number(a.s) : 0 - Number(a.s));
    if (a.kind === 'substituted') substitutedAccount.set(a.commitment_id!, a.balance_pence);
  }

  // The contract page's figures are the ledger's.
  const [figures, totals, balances, ledgerFigures, howMet] = await Promise.all([
    listCommitmentFigures(db(), contractId, '2026-11-25'), contractTotals(db(), [contractId]), contractBalances(db(), [contractId]),
    commitmentLedgerFigures(db(), contractId), howCommitmentsWereMet(db(), contractId),
  ]);
  expect(balances.get(contractId)).toBe(w.balance);
  let substitutedTotal = 0;
  for (const f of figures) {
    const ledger = substitutedAccount.get(f.id) ?? 0;
    expect(f.substitutedPence).toBe(ledger);
    expect(ledgerFigures.get(f.id)?.substitutedPence ?? 0).toBe(ledger);
    expect(f.remainingPence).toBe(Math.max(0, f.committedPence - f.deliveredPence - f.substitutedPence));
    const shown = (howMet.get(f.id)?.substitutedBy ?? []).filter((s) => !s.reversed).reduce((sum, s) => sum + s.valuePence, 0);
    expect(shown).toBe(ledger);
    substitutedTotal += ledger;
  }
  expect(totals.get(contractId)!.substitutedPence).toBe(substitutedTotal);

  // Commitment rows agree with the decisions behind them.
  const rows = await sql<{ id: string; substituted_milli: number; delivered_milli: number; swapped: number; delivered: number }>`
    SELECT cm.id, cm.substituted_milli, cm.delivered_milli,
      coalesce((SELECT sum(s.quantity_milli) FROM credit_swap s WHERE s.commitment_id = cm.id AND s.status = 'approved'
        AND NOT EXISTS (SELECT 1 FROM ledger_transaction t JOIN ledger_transaction r ON r.reverses_id = t.id WHERE t.source_type = 'credit_swap' AND t.source_id = s.id)), 0) AS swapped,
      coalesce((SELECT sum(r.approved_quantity_milli) FROM progress_return r WHERE r.commitment_id = cm.id AND r.status = 'approved'), 0) AS delivered
    FROM commitment cm WHERE cm.contract_id = ${contractId}`.execute(db());
  for (const r of rows.rows) {
    expect(r.substituted_milli).toBe(Number(r.swapped));
    expect(r.delivered_milli).toBe(Number(r.delivered));
  }

  // Nothing booked twice, and nothing booked for a decision that was not an approval.
  const booked = await sql<{ source_type: string; status: string; n: number }>`
    SELECT 'credit_claim' AS source_type, c.status, (SELECT count(*) FROM ledger_transaction t WHERE t.source_type = 'credit_claim' AND t.source_id = c.id AND t.kind = 'claim') AS n FROM credit_claim c WHERE c.contract_id = ${contractId}
    UNION ALL
    SELECT 'credit_swap', s.status, (SELECT count(*) FROM ledger_transaction t WHERE t.source_type = 'credit_swap' AND t.source_id = s.id AND t.kind = 'swap') FROM credit_swap s WHERE s.contract_id = ${contractId}
    UNION ALL
    SELECT 'progress_return', r.status, (SELECT count(*) FROM ledger_transaction t WHERE t.source_type = 'progress_return' AND t.source_id = r.id) FROM progress_return r WHERE r.contract_id = ${contractId}`.execute(db());
  for (const b of booked.rows) {
    if (b.source_type === 'progress_return') expect(Number(b.n)).toBeLessThanOrEqual(b.status === 'approved' ? 1 : 0);
    else expect(Number(b.n)).toBe(b.status === 'approved' ? 1 : 0);
  }
  const reversals = await sql<{ n: number; distinct_n: number; bad: number }>`
    SELECT count(*) AS n, count(DISTINCT r.reverses_id) AS distinct_n,
      sum(CASE WHEN o.kind = 'reversal' OR o.contract_id != r.contract_id THEN 1 ELSE 0 END) AS bad
    FROM ledger_transaction r JOIN ledger_transaction o ON o.id = r.reverses_id WHERE r.contract_id = ${contractId}`.execute(db());
  expect(Number(reversals.rows[0]!.n)).toBe(Number(reversals.rows[0]!.distinct_n));
  expect(Number(reversals.rows[0]!.bad ?? 0)).toBe(0);
}

describe('the credits ledger under random sequences of decisions', () => {
  it('always balances, is never overdrawn, agrees with the contract page, and books nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: 1000, max: 8000 }), { minLength: 3, maxLength: 3 }),
        // Most sequences start with credits to spend: an approved claim.
        fc.option(fc.record({ t: fc.constant('claim' as const), m: fc.nat(2), qty: fc.integer({ min: 1000, max: 20_000 }), decision: fc.constant('approve' as const), twice: fc.boolean() }), { freq: 4 }),
        fc.array(stepArb, { minLength: 6, maxLength: 30, size: 'medium' }),
        async (proxies, targets, first, rest) => {
          const w: World = { ...(await setup(proxies, targets)), balance: 0, pendingSwaps: [] };
          const steps: Step[] = first ? [first, ...rest] : rest;
          for (const step of steps) {
            await apply(w, step);
            await checkInvariants(w);
          }
        },
      ),
      { numRuns: 30 },
    );
    // The random sequences really went down each path (a test that skipped them all would prove nothing).
    for (const path of ['surplus earned', 'claim approved', 'credits swap approved', 'measure swap approved', 'claim reversed', 'reversal refused (conflict)', 'closed']) {
      expect(seen.get(path) ?? 0, path).toBeGreaterThan(0);
    }
  }, 120_000);
});
