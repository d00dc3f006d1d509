import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { insertReturn, scenario } from '~/modules/returns/review.test-support';
import * as queuePage from './officer.returns._index';
import * as decidePage from './returns.$returnId.decide';

type Reply = { status?: string; error?: Record<string, string[] | null> };
type Queue = { total: number; banner: string | null; returns: Array<{ id: string; ageDays: number; quantity: string; status: string }> };

async function signedIn(role: 'officer' | 'admin' | 'contractor' | 'vcse', organisationId?: string) {
  const user = await makeUser(role, { organisationId });
  return { ...user, cookie: await cookieFor(user.id) };
}

async function state(returnId: string, commitmentId: string) {
  const db = getDb();
  const r = await db.selectFrom('progress_return').select(['status', 'approved_quantity_milli', 'decided_by']).where('id', '=', returnId).executeTakeFirstOrThrow();
  const c = await db.selectFrom('commitment').select('delivered_milli').where('id', '=', commitmentId).executeTakeFirstOrThrow();
  const audits = await db.selectFrom('audit_event').select('id').where('subject_id', '=', returnId).execute();
  const comments = await db.selectFrom('return_comment').select('id').where('return_id', '=', returnId).execute();
  return { ...r, delivered: c.delivered_milli, audits: audits.length, comments: comments.length };
}

const decide = (returnId: string, cookie: string, form: Record<string, string>) =>
  run(decidePage.action, makeRequest(`/returns/${returnId}/decide`, { method: 'POST', cookie, form }), { returnId });

describe('who may review returns', () => {
  it('contractors (their own supplier’s or another’s) and VCSE users get 403 on the queue and the decision; nothing changes', async () => {
    const s = await scenario();
    const own = await signedIn('contractor', s.supplier.id);
    const other = await signedIn('contractor');
    const vcse = await signedIn('vcse');
    for (const user of [own, other, vcse]) {
      expect((await run(queuePage.loader, makeRequest('/officer/returns', { cookie: user.cookie }))).status).toBe(403);
      expect((await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: user.cookie }), { returnId: s.ret.id })).status).toBe(403);
      expect((await decide(s.ret.id, user.cookie, { decision: 'approve' })).status).toBe(403);
    }
    expect(await state(s.ret.id, s.commitment.id)).toMatchObject({ status: 'submitted', delivered: 0, audits: 0, comments: 0 });
    expect((await run(queuePage.loader, makeRequest('/officer/returns'))).location).toMatch(/^\/sign-in\?redirectTo=/);
  });

  it('a draft is not found for staff; neither is an unknown return', async () => {
    const s = await scenario();
    const officer = await signedIn('officer');
    const draft = await insertReturn(s.owner, { status: 'draft' });
    expect((await run(decidePage.loader, makeRequest(`/returns/${draft.id}/decide`, { cookie: officer.cookie }), { returnId: draft.id })).status).toBe(404);
    expect((await decide(draft.id, officer.cookie, { decision: 'approve' })).status).toBe(404);
    expect((await run(decidePage.loader, makeRequest('/returns/nope/decide', { cookie: officer.cookie }), { returnId: 'nope' })).status).toBe(404);
  });
});

describe('the queue page', () => {
  it('shows submitted returns oldest first with their age, and keeps filters from the URL', async () => {
    const tag = `QP${Math.random().toString(36).slice(2, 7)}`.toUpperCase();
    const s = await scenario({ reference: `${tag}-1`, quantityMilli: 2500 });
    const older = await insertReturn(s.owner, { submittedAt: new Date(Date.now() - 9 * 86_400_000).toISOString() });
    const admin = await signedIn('admin');
    const page = await run(queuePage.loader, makeRequest(`/officer/returns?contract=${tag}`, { cookie: admin.cookie }));
    const data = page.data as Queue & { filters: { contract: string; status: string } };
    expect(data.filters).toMatchObject({ contract: tag, status: 'submitted' });
    expect(data.returns.map((r) => [r.id, r.ageDays])).toEqual([[older.id, 9], [s.ret.id, 0]]);
    expect(data.returns[1]!.quantity).toBe('2.5 FTE');
    const aged = await run(queuePage.loader, makeRequest(`/officer/returns?contract=${tag}&age=7`, { cookie: admin.cookie }));
    expect((aged.data as Queue).returns.map((r) => r.id)).toEqual([older.id]);
  });
});

describe('deciding on the page', () => {
  it('shows the return with its figures and evidence links, and a form for a submitted return', async () => {
    const s = await scenario({ targetMilli: 2000, deliveredMilli: 500, quantityMilli: 2000 });
    const now = new Date().toISOString();
    await getDb().insertInto('return_evidence').values([
      { id: 'ev-file-' + s.ret.id, return_id: s.ret.id, kind: 'file', file_name: 'payroll.pdf', content_type: 'application/pdf', size_bytes: 2048, sha256: 'a'.repeat(64), url: null, title: null, added_by: s.contractor.id, created_at: now },
      { id: 'ev-bad-' + s.ret.id, return_id: s.ret.id, kind: 'link', file_name: null, content_type: null, size_bytes: null, sha256: null, url: 'javascript:alert(1)', title: 'Sneaky', added_by: s.contractor.id, created_at: new Date(Date.now() + 1000).toISOString() },
    ]).execute();
    const officer = await signedIn('officer');
    const page = await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: officer.cookie }), { returnId: s.ret.id });
    const data = page.data as { pending: boolean; claimedInput: string; summary: Record<string, unknown>; surplusIfApproved: string | null; evidence: Array<{ label: string; href: string | null }> };
    expect(data).toMatchObject({ pending: true, claimedInput: '2', surplusIfApproved: '0.5 FTE (£10,000.00)' });
    expect(data.summary).toMatchObject({ target: '2 FTE', delivered: '0.5 FTE', remaining: '1.5 FTE', claimed: '2 FTE (£40,000.00)' });
    expect(data.evidence).toEqual([
      expect.objectContaining({ label: 'payroll.pdf', href: `/returns/${s.ret.id}/evidence/ev-file-${s.ret.id}` }),
      expect.objectContaining({ label: 'Sneaky', href: null }),
    ]);
  });

  it('bad input: 400 with messages by the field, and nothing written', async () => {
    const s = await scenario({ quantityMilli: 2000 });
    const officer = await signedIn('officer');
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{}, { decision: 'Select whether to approve the return, reject it or ask for more information' }],
      [{ decision: 'maybe' }, { decision: 'Select whether to approve the return, reject it or ask for more information' }],
      [{ decision: 'reject', reason: '  ' }, { reason: 'Enter the reason for rejecting the return' }],
      [{ decision: 'more_info' }, { reason: 'Enter what more information the contractor needs to send' }],
      [{ decision: 'approve', approvedQuantity: '1.5' }, { reason: 'Enter the reason for approving a different quantity from the one claimed' }],
      [{ decision: 'approve', approvedQuantity: 'two' }, { approvedQuantity: 'Enter the approved quantity as a number, like 12 or 2.5 (up to 3 decimal places)' }],
      [{ decision: 'approve', approvedQuantity: '3', reason: 'x' }, { approvedQuantity: 'Approved quantity must be no more than the 2 FTE claimed. Ask for more information if the contractor under-reported' }],
      [{ decision: 'reject', reason: 'x'.repeat(2001) }, { reason: 'Reason must be 2000 characters or fewer' }],
    ];
    for (const [form, errors] of cases) {
      const outcome = await decide(s.ret.id, officer.cookie, form);
      expect(outcome.status, JSON.stringify(form)).toBe(400);
      const reply = outcome.data as Reply;
      expect(reply.status).toBe('error');
      for (const [field, message] of Object.entries(errors)) expect(reply.error?.[field], JSON.stringify(form)).toEqual([message]);
    }
    expect(await state(s.ret.id, s.commitment.id)).toMatchObject({ status: 'submitted', delivered: 0, audits: 0, comments: 0 });
  });

  it('approves a smaller quantity with a reason: 303 to the queue with a banner; a second decision is a 409 that changes nothing', async () => {
    const s = await scenario({ quantityMilli: 2000, reference: `DEC-${Math.random().toString(36).slice(2, 7)}` });
    const officer = await signedIn('officer');
    const other = await signedIn('admin');
    const loaded = await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: officer.cookie }), { returnId: s.ret.id });
    const version = (loaded.data as { version: string }).version;

    const ok = await decide(s.ret.id, officer.cookie, { decision: 'approve', approvedQuantity: '1.5', reason: 'One starter left early.', version });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`/officer/returns?decided=${s.ret.id}`);
    const after = await state(s.ret.id, s.commitment.id);
    expect(after).toMatchObject({ status: 'approved', approved_quantity_milli: 1500, delivered: 1500, audits: 1, comments: 1, decided_by: officer.id });

    const queue = await run(queuePage.loader, makeRequest(`/officer/returns?decided=${s.ret.id}`, { cookie: officer.cookie }));
    expect((queue.data as Queue).banner).toBe(`Return for ${s.contract.reference} ${s.measure.code} approved`);

    const second = await decide(s.ret.id, other.cookie, { decision: 'reject', reason: 'No', version });
    expect(second.status).toBe(409);
    expect(second.data).toMatch(/^This return was already approved by Test officer on /);
    expect(await state(s.ret.id, s.commitment.id)).toEqual(after);

    const reloaded = await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: other.cookie }), { returnId: s.ret.id });
    expect(reloaded.data).toMatchObject({ pending: false, decided: expect.stringContaining('already approved'), decisionReason: 'One starter left early.' });
  });

  it('approves a nil return (0 claimed) as 0, with the quantity as the form fills it in; no surplus warning past the target', async () => {
    const s = await scenario({ quantityMilli: 0, targetMilli: 2000, deliveredMilli: 2500 });
    const officer = await signedIn('officer');
    const loaded = await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: officer.cookie }), { returnId: s.ret.id });
    const { version, claimedInput } = loaded.data as { version: string; claimedInput: string };
    expect(claimedInput).toBe('0');
    expect(loaded.data).toMatchObject({ pending: true, surplusIfApproved: null });
    const ok = await decide(s.ret.id, officer.cookie, { decision: 'approve', approvedQuantity: claimedInput, version });
    expect(ok.status).toBe(303);
    expect(await state(s.ret.id, s.commitment.id)).toMatchObject({ status: 'approved', approved_quantity_milli: 0, delivered: 2500, audits: 1 });
  });

  it('a decided return is a 409 even for a form that would be invalid; so is a form loaded before a resubmission', async () => {
    const s = await scenario({ quantityMilli: 2000 });
    const [first, second] = [await signedIn('officer'), await signedIn('admin')];
    const loaded = await run(decidePage.loader, makeRequest(`/returns/${s.ret.id}/decide`, { cookie: second.cookie }), { returnId: s.ret.id });
    const version = (loaded.data as { version: string }).version;

    expect((await decide(s.ret.id, first.cookie, { decision: 'approve', version })).status).toBe(303);
    const after = await state(s.ret.id, s.commitment.id);
    const lateForms: Array<Record<string, string>> = [{ decision: 'reject', version }, { decision: 'approve', approvedQuantity: 'lots', version }, {}];
    for (const form of lateForms) {
      const late = await decide(s.ret.id, second.cookie, form);
      expect(late.status, JSON.stringify(form)).toBe(409);
      expect(late.data).toMatch(/^This return was already approved by Test officer on .*Decisions are final\.$/);
    }
    expect(await state(s.ret.id, s.commitment.id)).toEqual(after);

    const resubmitted = await scenario();
    const stale = await decide(resubmitted.ret.id, second.cookie, { decision: 'more_info', version: '2000-01-01T00:00:00.000Z' });
    expect(stale.status).toBe(409);
    expect(stale.data).toMatch(/resubmitted this return since you opened it/);
    expect(await state(resubmitted.ret.id, resubmitted.commitment.id)).toMatchObject({ status: 'submitted', audits: 0, comments: 0 });
  });

  it('two officers posting at once: one 303, one 409', async () => {
    const s = await scenario();
    const [a, b] = [await signedIn('officer'), await signedIn('officer')];
    const outcomes = await Promise.all([decide(s.ret.id, a.cookie, { decision: 'approve' }), decide(s.ret.id, b.cookie, { decision: 'more_info', reason: 'More please' })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual([303, 409]);
    expect((await state(s.ret.id, s.commitment.id)).audits).toBe(1);
  });
});
