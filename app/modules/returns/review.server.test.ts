import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../../tests/support/factories';
import { countAwaitingReview, decideReturn, listReviewQueue } from './review.server';
import { decisionSchema, parseQueueFilters, surplusAfter } from './review.schema';
import { insertReturn, scenario } from './review.test-support';
import { contractBalance } from '~/modules/credits/ledger.server';
import { closeContract } from '~/modules/contracts/contracts.server';
import { valueOfQuantity } from '~/modules/contracts/figures';

const actor = (userId: string) => ({ userId, organisationId: null, requestId: 'test' });
const db = () => getDb();

async function returnRow(id: string) {
  return db().selectFrom('progress_return').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function delivered(commitmentId: string) {
  return (await db().selectFrom('commitment').select('delivered_milli').where('id', '=', commitmentId).executeTakeFirstOrThrow()).delivered_milli;
}
async function audits(subjectId: string) {
  return db().selectFrom('audit_event').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute();
}
async function comments(returnId: string) {
  return db().selectFrom('return_comment').selectAll().where('return_id', '=', returnId).execute();
}
async function earnedFor(returnId: string) {
  return db().selectFrom('ledger_transaction').selectAll().where('source_type', '=', 'progress_return').where('source_id', '=', returnId).execute();
}
async function notifications(returnId: string) {
  return db().selectFrom('notification').selectAll().where('kind', '=', 'return_decided').where('link', 'like', `%/returns/${returnId}`).execute();
}

describe('decideReturn: approve', () => {
  it('approves the claimed quantity, adds it to the commitment’s delivered figure, audits before and after, threads and notifies', async () => {
    const s = await scenario({ deliveredMilli: 250, quantityMilli: 1000 });
    const result = await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: true, status: 'approved', surplus: null });

    const row = await returnRow(s.ret.id);
    expect(row).toMatchObject({ status: 'approved', approved_quantity_milli: 1000, decided_by: s.officer.id, decision_reason: null });
    expect(await delivered(s.commitment.id)).toBe(1250);

    const [event] = await audits(s.ret.id);
    expect(event!.action).toBe('return.approved');
    expect(JSON.parse(event!.before_json!)).toMatchObject({ status: 'submitted', commitment: { deliveredMilli: 250 } });
    expect(JSON.parse(event!.after_json!)).toMatchObject({ status: 'approved', approvedQuantityMilli: 1000, commitment: { id: s.commitment.id, deliveredMilli: 1250 } });

    expect((await comments(s.ret.id)).map((c) => [c.kind, c.author_id])).toEqual([['approved', s.officer.id]]);
    const sent = await notifications(s.ret.id);
    // The author and the supplier's contact address.
    expect(sent.map((n) => n.to_email).sort()).toEqual([s.contractor.email, expect.stringMatching(/^contact-/)].sort());
    expect(sent.find((n) => n.to_user_id === s.contractor.id)).toMatchObject({ link: `http://localhost:3000/returns/${s.ret.id}`, status: 'pending' });
    expect(sent[0]!.subject).toContain('approved');
  });

  it('approves a smaller quantity only with a reason; the reason reaches the thread and the email', async () => {
    const s = await scenario({ quantityMilli: 2000 });
    const refused = await decideReturn(db(), s.ret.id, { decision: 'approve', approvedQuantityMilli: 1500 }, actor(s.officer.id));
    expect(refused).toEqual({ ok: false, reason: 'invalid', field: 'reason', message: expect.stringContaining('reason for approving a different quantity') });
    expect((await returnRow(s.ret.id)).status).toBe('submitted');
    expect(await delivered(s.commitment.id)).toBe(0);
    expect(await audits(s.ret.id)).toEqual([]);

    const tooMuch = await decideReturn(db(), s.ret.id, { decision: 'approve', approvedQuantityMilli: 2500, reason: 'x' }, actor(s.officer.id));
    expect(tooMuch).toMatchObject({ ok: false, field: 'approvedQuantity' });

    const ok = await decideReturn(db(), s.ret.id, { decision: 'approve', approvedQuantityMilli: 1500, reason: 'Two starters left in week one.' }, actor(s.officer.id));
    expect(ok.ok).toBe(true);
    expect(await returnRow(s.ret.id)).toMatchObject({ approved_quantity_milli: 1500, decision_reason: 'Two starters left in week one.' });
    expect(await delivered(s.commitment.id)).toBe(1500);
    const [comment] = await comments(s.ret.id);
    expect(comment!.body).toBe('Approved 1.5 FTE of the 2 FTE claimed.\n\nTwo starters left in week one.');
    expect((await notifications(s.ret.id))[0]!.body_text).toContain('Two starters left in week one.');
  });

  it('banks the surplus when delivery passes the target as earned credits, in the same transaction; audit and thread say so', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 1500, quantityMilli: 1000, proxyPence: 2_000_000 });
    const result = await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: true, surplus: { quantityMilli: 500, valuePence: 1_000_000, addedMilli: 500, addedValuePence: 1_000_000 } });
    expect(await delivered(s.commitment.id)).toBe(2500);
    expect(await contractBalance(db(), s.contract.id)).toBe(1_000_000);
    const [booked] = await earnedFor(s.ret.id);
    expect(booked).toMatchObject({
      contract_id: s.contract.id, kind: 'earned', approved_by: s.officer.id, reverses_id: null,
      reason: expect.stringMatching(/^Delivered 0\.5 FTE beyond the target of commitment .+ \(return for .+\)$/),
    });
    const [event] = await audits(s.ret.id);
    const after = JSON.parse(event!.after_json!);
    expect(after.surplus).toEqual({ quantityMilli: 500, valuePence: 1_000_000, addedMilli: 500, addedValuePence: 1_000_000 });
    expect(after.creditsBanked).toEqual({ transactionId: booked!.id, valuePence: 1_000_000 });
    expect((await comments(s.ret.id))[0]!.body).toBe('Delivery now exceeds the target by 0.5 FTE (£10,000.00). £10,000.00 delivered beyond the target by this return has been banked as credits on the contract\u2019s balance.');
  });

  it('banks nothing on a contract closed since the return was sent: the delivery counts, the closed contract\u2019s ledger does not change', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 1500, quantityMilli: 1000, proxyPence: 2_000_000 });
    expect(await closeContract(db(), s.contract.id, { status: 'completed', reason: 'Works finished' }, actor(s.officer.id))).toMatchObject({ ok: true });
    const result = await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: true, surplus: { addedValuePence: 1_000_000 } });
    expect(await delivered(s.commitment.id)).toBe(2500);
    expect(await earnedFor(s.ret.id)).toEqual([]);
    expect(await contractBalance(db(), s.contract.id)).toBe(0);
    const [event] = await audits(s.ret.id);
    expect(JSON.parse(event!.after_json!).creditsBanked).toBeUndefined();
    expect((await comments(s.ret.id))[0]!.body).toContain('No credits were banked for it: the contract has closed');
  });

  it('banks only what this approval adds beyond the target; an approval that stays under it banks nothing', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 2500, quantityMilli: 250, proxyPence: 2_000_000 });
    await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(await contractBalance(db(), s.contract.id)).toBe(500_000);
    const under = await scenario({ targetMilli: 2000, deliveredMilli: 0, quantityMilli: 2000 });
    await decideReturn(db(), under.ret.id, { decision: 'approve' }, actor(under.officer.id));
    expect(await earnedFor(under.ret.id)).toEqual([]);
    expect(await contractBalance(db(), under.contract.id)).toBe(0);
  });

  it('a rejected return banks nothing, whatever it claimed', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 1500, quantityMilli: 5000 });
    await decideReturn(db(), s.ret.id, { decision: 'reject', reason: 'No evidence' }, actor(s.officer.id));
    expect(await earnedFor(s.ret.id)).toEqual([]);
  });
});

describe('decideReturn: a nil return', () => {
  it('approves 0 of 0 claimed: the period is closed, nothing is delivered, no surplus even past the target', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 2500, quantityMilli: 0 });
    const result = await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(result).toEqual({ ok: true, id: s.ret.id, status: 'approved', surplus: null });
    expect(await returnRow(s.ret.id)).toMatchObject({ status: 'approved', approved_quantity_milli: 0, decision_reason: null });
    expect(await delivered(s.commitment.id)).toBe(2500);
    expect((await comments(s.ret.id)).map((c) => [c.kind, c.body])).toEqual([['approved', '']]);

    const explicit = await scenario({ quantityMilli: 0 });
    expect(await decideReturn(db(), explicit.ret.id, { decision: 'approve', approvedQuantityMilli: 0 }, actor(explicit.officer.id))).toMatchObject({ ok: true, status: 'approved' });
  });

  it('still refuses approving 0 of a positive claim: that is a rejection', async () => {
    const s = await scenario({ quantityMilli: 1000 });
    const refused = await decideReturn(db(), s.ret.id, { decision: 'approve', approvedQuantityMilli: 0, reason: 'Nothing checks out' }, actor(s.officer.id));
    expect(refused).toEqual({ ok: false, reason: 'invalid', field: 'approvedQuantity', message: expect.stringContaining('more than 0') });
    expect((await returnRow(s.ret.id)).status).toBe('submitted');
  });
});

describe('decideReturn: reject and more information', () => {
  it('rejects only with a reason, and leaves delivered alone', async () => {
    const s = await scenario();
    expect(await decideReturn(db(), s.ret.id, { decision: 'reject' }, actor(s.officer.id))).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    const result = await decideReturn(db(), s.ret.id, { decision: 'reject', reason: 'The evidence is for another contract.' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: true, status: 'rejected' });
    expect(await returnRow(s.ret.id)).toMatchObject({ status: 'rejected', approved_quantity_milli: null, decision_reason: 'The evidence is for another contract.' });
    expect(await delivered(s.commitment.id)).toBe(0);
    expect((await audits(s.ret.id)).map((e) => e.action)).toEqual(['return.rejected']);
    expect((await comments(s.ret.id)).map((c) => [c.kind, c.body])).toEqual([['rejected', 'The evidence is for another contract.']]);
  });

  it('asks for more information only with a message', async () => {
    const s = await scenario();
    expect(await decideReturn(db(), s.ret.id, { decision: 'more_info' }, actor(s.officer.id))).toMatchObject({ ok: false, field: 'reason' });
    const result = await decideReturn(db(), s.ret.id, { decision: 'more_info', reason: 'Send the payroll summary.' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: true, status: 'more_info_requested' });
    expect((await audits(s.ret.id)).map((e) => e.action)).toEqual(['return.more_info_requested']);
    expect((await comments(s.ret.id)).map((c) => c.kind)).toEqual(['more_info_requested']);
    expect((await notifications(s.ret.id))[0]!.body_text).toContain('Send the payroll summary.');
  });
});

describe('decisions are final', () => {
  it('a second decision is a conflict naming who decided and when, and changes nothing', async () => {
    const s = await scenario();
    const other = await makeUser('officer');
    expect((await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id))).ok).toBe(true);
    const snapshot = { row: await returnRow(s.ret.id), delivered: await delivered(s.commitment.id), audits: (await audits(s.ret.id)).length, comments: (await comments(s.ret.id)).length };
    const second = await decideReturn(db(), s.ret.id, { decision: 'reject', reason: 'No' }, actor(other.id));
    expect(second).toEqual({ ok: false, reason: 'conflict', message: expect.stringMatching(/^This return was already approved by Test officer on \d+ \w{3} \d{4}\. Decisions are final\.$/) });
    expect(await returnRow(s.ret.id)).toEqual(snapshot.row);
    expect(await delivered(s.commitment.id)).toBe(snapshot.delivered);
    expect((await audits(s.ret.id)).length).toBe(snapshot.audits);
    expect((await comments(s.ret.id)).length).toBe(snapshot.comments);
  });

  it('two officers deciding at once: exactly one succeeds, delivered counts once', async () => {
    const s = await scenario({ quantityMilli: 1000 });
    const other = await makeUser('officer');
    const results = await Promise.all([
      decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id)),
      decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(other.id)),
      decideReturn(db(), s.ret.id, { decision: 'reject', reason: 'No' }, actor(other.id)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(2);
    expect(await delivered(s.commitment.id)).toBe(1000);
    expect(await audits(s.ret.id)).toHaveLength(1);
  });

  it('refuses a decision on a form loaded before the contractor resubmitted', async () => {
    const s = await scenario();
    const result = await decideReturn(db(), s.ret.id, { decision: 'approve', version: '2000-01-01T00:00:00.000Z' }, actor(s.officer.id));
    expect(result).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringContaining('resubmitted') });
    expect((await returnRow(s.ret.id)).status).toBe('submitted');
  });

  it('nobody decides their own return; a draft is not found', async () => {
    const s = await scenario();
    expect(await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.contractor.id))).toMatchObject({ ok: false, reason: 'own-return' });
    const draft = await insertReturn(s.owner, { status: 'draft' });
    expect(await decideReturn(db(), draft.id, { decision: 'approve' }, actor(s.officer.id))).toEqual({ ok: false, reason: 'not-found' });
    expect(await decideReturn(db(), 'no-such-return', { decision: 'approve' }, actor(s.officer.id))).toEqual({ ok: false, reason: 'not-found' });
    expect((await returnRow(s.ret.id)).status).toBe('submitted');
  });
});

describe('the decision form’s schema', () => {
  const parse = (form: Record<string, string>) => decisionSchema(2000).safeParse(form);
  const errors = (form: Record<string, string>) => {
    const result = parse(form);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
  };
  it('checks each decision’s fields', () => {
    expect(errors({})).toEqual({ decision: expect.stringContaining('Select whether') });
    expect(errors({ decision: 'reject' })).toEqual({ reason: 'Enter the reason for rejecting the return' });
    expect(errors({ decision: 'more_info' })).toEqual({ reason: 'Enter what more information the contractor needs to send' });
    expect(errors({ decision: 'approve', approvedQuantity: 'lots' })).toEqual({ approvedQuantity: expect.stringContaining('as a number') });
    expect(errors({ decision: 'approve', approvedQuantity: '0' })).toEqual({ approvedQuantity: expect.stringContaining('more than 0') });
    expect(errors({ decision: 'approve', approvedQuantity: '2.001' })).toEqual({ approvedQuantity: expect.stringContaining('no more than') });
    expect(errors({ decision: 'approve', approvedQuantity: '1.5' })).toEqual({ reason: expect.stringContaining('different quantity') });
    expect(parse({ decision: 'approve', approvedQuantity: '2' })).toMatchObject({ success: true, data: { decision: 'approve', approvedQuantityMilli: 2000 } });
    expect(parse({ decision: 'approve', approvedQuantity: '1.5', reason: 'Why' })).toMatchObject({ success: true, data: { approvedQuantityMilli: 1500, reason: 'Why' } });
  });

  it('approves 0 of a nil return (0 claimed), and nothing more', () => {
    const nil = decisionSchema(0);
    expect(nil.safeParse({ decision: 'approve', approvedQuantity: '0' })).toMatchObject({ success: true, data: { decision: 'approve', approvedQuantityMilli: 0 } });
    expect(nil.safeParse({ decision: 'approve', approvedQuantity: '0.000' })).toMatchObject({ success: true, data: { approvedQuantityMilli: 0 } });
    expect(nil.safeParse({ decision: 'approve' })).toMatchObject({ success: true, data: { approvedQuantityMilli: undefined } });
    const tooMuch = nil.safeParse({ decision: 'approve', approvedQuantity: '0.5', reason: 'x' });
    expect(tooMuch.success ? null : tooMuch.error.issues[0]!.message).toContain('no more than');
  });
});

describe('surplusAfter', () => {
  const value = (milli: number) => milli * 10;
  it('counts only what passes the target, and the part this approval added', () => {
    expect(surplusAfter({ targetMilli: 2000, substitutedMilli: 0, deliveredBeforeMilli: 0, deliveredAfterMilli: 2000 }, value)).toBeNull();
    expect(surplusAfter({ targetMilli: 2000, substitutedMilli: 0, deliveredBeforeMilli: 2500, deliveredAfterMilli: 3000 }, value))
      .toEqual({ quantityMilli: 1000, valuePence: 10_000, addedMilli: 500, addedValuePence: 5000 });
    expect(surplusAfter({ targetMilli: 2000, substitutedMilli: 500, deliveredBeforeMilli: 1000, deliveredAfterMilli: 2000 }, value))
      .toEqual({ quantityMilli: 500, valuePence: 5000, addedMilli: 500, addedValuePence: 5000 });
  });

  it('banks, over successive approvals, exactly the value of the whole surplus (no penny drift from rounding each part)', () => {
    // £15 a unit: 0.001 of a unit is worth 1.5p, which rounds to 2p on its own; 0.002 is worth 3p.
    const atProxy = (milli: number) => valueOfQuantity(milli, 1500);
    let delivered = 1000;
    let banked = 0;
    for (let i = 0; i < 7; i += 1) {
      const s = surplusAfter({ targetMilli: 1000, substitutedMilli: 0, deliveredBeforeMilli: delivered, deliveredAfterMilli: delivered + 1 }, atProxy)!;
      delivered += 1;
      banked += s.addedValuePence;
      expect(banked).toBe(s.valuePence);
    }
    expect(banked).toBe(valueOfQuantity(7, 1500)); // 10.5p rounds to 11p, not 7 × 2p = 14p
  });
});

describe('listReviewQueue', () => {
  it('lists submitted returns oldest first by default, filters by status, contract, supplier, theme and age, and pages in SQL', async () => {
    const tag = `Q${Math.random().toString(36).slice(2, 7)}`.toUpperCase();
    const a = await scenario({ reference: `${tag}-A`, theme: `Theme ${tag}` });
    const b = await scenario({ reference: `${tag}-B`, theme: 'Other' });
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    const old = await insertReturn(a.owner, { submittedAt: at(40) });
    const mid = await insertReturn(b.owner, { submittedAt: at(10) });
    await insertReturn(a.owner, { status: 'draft' });
    const decided = await insertReturn(b.owner, { submittedAt: at(20) });
    await decideReturn(db(), decided.id, { decision: 'reject', reason: 'No' }, actor(b.officer.id));

    const ids = async (params: string, page = 1, pageSize = 25) => (await listReviewQueue(db(), parseQueueFilters(new URLSearchParams(`contract=${tag}&${params}`)), page, { pageSize })).returns.map((r) => r.id);
    // a.ret and b.ret were submitted just now.
    expect((await ids('')).slice(0, 2)).toEqual([old.id, mid.id]);
    expect(await ids('')).toHaveLength(4);
    expect((await ids('sort=newest')).slice(-2)).toEqual([mid.id, old.id]);
    expect(await ids('status=rejected')).toEqual([decided.id]);
    expect(await ids('status=decided')).toEqual([decided.id]);
    expect(await ids('status=approved')).toEqual([]);
    expect(await ids(`supplier=${a.supplier.id}`)).toEqual([old.id, a.ret.id]);
    expect(await ids(`theme=${encodeURIComponent(`Theme ${tag}`)}`)).toEqual([old.id, a.ret.id]);
    expect(await ids('age=7')).toEqual([old.id, mid.id]);
    expect(await ids('age=30')).toEqual([old.id]);
    expect(await ids('age=5')).toHaveLength(4); // not one of the choices: ignored

    const byId = await listReviewQueue(db(), parseQueueFilters(new URLSearchParams(`contract=${b.contract.id}`)), 1);
    expect(byId.returns.map((r) => r.id)).toEqual([mid.id, b.ret.id]);

    const first = await listReviewQueue(db(), parseQueueFilters(new URLSearchParams(`contract=${tag}`)), 1, { pageSize: 3 });
    const second = await listReviewQueue(db(), parseQueueFilters(new URLSearchParams(`contract=${tag}`)), 2, { pageSize: 3 });
    expect([first.total, first.returns.length, second.total, second.returns.length]).toEqual([4, 3, 4, 1]);
    expect(first.returns[0]).toMatchObject({ contractReference: `${tag}-A`, quantityMilli: 1000, unit: 'FTE', isStory: false, ageDays: 40 });
  });

  it('counts the returns awaiting review', async () => {
    const before = await countAwaitingReview(db());
    const s = await scenario();
    expect(await countAwaitingReview(db())).toBe(before + 1);
    await decideReturn(db(), s.ret.id, { decision: 'approve' }, actor(s.officer.id));
    expect(await countAwaitingReview(db())).toBe(before);
  });
});
