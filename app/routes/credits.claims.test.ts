import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { contractBalance } from '~/modules/credits/ledger.server';
import { makeTempDataDir, samples, uploadRequest } from '~/modules/returns/evidence-test-samples';
import { makeClaimant, makePledge } from '../../tests/support/factories-claims';
import { makeCommitment, makeUser } from '../../tests/support/factories';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as claimPage from './credits.claims.$claimId._index';
import * as decidePage from './credits.claims.$claimId.decide';
import * as evidenceRoute from './credits.claims.$claimId.evidence.$evidenceId';
import * as newClaim from './credits.claims.new';
import * as queue from './officer.credits._index';

beforeAll(() => {
  makeTempDataDir();
});

type Claimant = Awaited<ReturnType<typeof makeClaimant>>;

async function postActivity(c: Claimant, cookie: string, extra: Record<string, string> = {}) {
  return run(newClaim.action, makeRequest('/credits/claims/new', {
    method: 'POST', cookie,
    form: { kind: 'activity', intent: 'send', contractId: c.contract.id, measureId: c.measure.id, quantity: '2.5', description: 'Careers fair for 60 pupils', ...extra },
  }));
}

const claimIdFrom = (location: string | null) => /\/credits\/claims\/([^/?]+)/.exec(location ?? '')![1]!;

describe('/credits/claims/new', () => {
  it('preselects a pledge (and its contract) from ?pledgeId=', async () => {
    const c = await makeClaimant();
    const pledge = await makePledge(c.supplier.id, c.contractor.id, { contractId: c.contract.id });
    const outcome = await run(newClaim.loader, makeRequest(`/credits/claims/new?pledgeId=${pledge.id}`, { cookie: await cookieFor(c.contractor.id) }));
    expect(outcome.data).toMatchObject({ kind: 'pledge', pledgeMissing: false, defaults: { contractId: c.contract.id, pledgeId: pledge.id } });
  });

  it('makes a pledge claim, after which the pledge is no longer offered; a second claim on it is a field error', async () => {
    const c = await makeClaimant();
    const cookie = await cookieFor(c.contractor.id);
    const pledge = await makePledge(c.supplier.id, c.contractor.id, { valuePence: 12_345 });
    const post = () => run(newClaim.action, makeRequest('/credits/claims/new', { method: 'POST', cookie, form: { kind: 'pledge', contractId: c.contract.id, pledgeId: pledge.id } }));
    const sent = await post();
    expect(sent.status).toBe(303);
    const row = await getDb().selectFrom('credit_claim').select(['requested_value_pence', 'kind']).where('id', '=', claimIdFrom(sent.location)).executeTakeFirstOrThrow();
    expect(row).toEqual({ requested_value_pence: 12_345, kind: 'pledge' });
    const page = await run(newClaim.loader, makeRequest(`/credits/claims/new?pledgeId=${pledge.id}`, { cookie }));
    expect(page.data).toMatchObject({ pledgeMissing: true, pledges: [] });
    const again = await post();
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.data)).toContain('one claim only');
  });

  it('shows the value before sending, then makes the claim once', async () => {
    const c = await makeClaimant();
    const cookie = await cookieFor(c.contractor.id);
    const preview = await postActivity(c, cookie, { intent: 'preview' });
    expect(preview).toMatchObject({ status: 200, data: { preview: '£250.00' } });
    expect(await getDb().selectFrom('credit_claim').select('id').where('contract_id', '=', c.contract.id).execute()).toHaveLength(0);
    const sent = await postActivity(c, cookie, { submissionKey: '0b6c2f4e-8d8a-4c43-9b0e-2f1d5b7a9c11' });
    expect(sent.status).toBe(303);
    const again = await postActivity(c, cookie, { submissionKey: '0b6c2f4e-8d8a-4c43-9b0e-2f1d5b7a9c11' });
    expect(claimIdFrom(again.location)).toBe(claimIdFrom(sent.location));
  });

  it('reports every missing field at once', async () => {
    const c = await makeClaimant();
    const outcome = await run(newClaim.action, makeRequest('/credits/claims/new', { method: 'POST', cookie: await cookieFor(c.contractor.id), form: { kind: 'activity', intent: 'send' } }));
    expect(outcome.status).toBe(400);
    const errors = (outcome.data as { error: Record<string, string[]> }).error;
    expect(Object.keys(errors).sort()).toEqual(['contractId', 'description', 'measureId', 'quantity']);
  });

  it.each([
    ['0', 'Quantity must be more than 0'],
    ['-2', 'Quantity must be more than 0'],
    ['1.2345', 'no more than 3 decimal places'],
    ['99999999', '£10,000,000.00'],
  ])('refuses quantity %s by the field', async (quantity, message) => {
    const c = await makeClaimant();
    const outcome = await postActivity(c, await cookieFor(c.contractor.id), { quantity });
    expect(outcome.status).toBe(400);
    expect(JSON.stringify(outcome.data)).toContain(message);
  });

  it('answers 404 for another organisation’s contract and a field error for another organisation’s pledge', async () => {
    const c = await makeClaimant();
    const other = await makeClaimant();
    const cookie = await cookieFor(c.contractor.id);
    expect((await postActivity(c, cookie, { contractId: other.contract.id })).status).toBe(404);
    const theirs = await makePledge(other.supplier.id, other.contractor.id);
    const outcome = await run(newClaim.action, makeRequest('/credits/claims/new', { method: 'POST', cookie, form: { kind: 'pledge', contractId: c.contract.id, pledgeId: theirs.id } }));
    expect(outcome.status).toBe(400);
    expect(JSON.stringify(outcome.data)).toContain('confirmed pledges');
  });

  it('stores evidence files sent with the claim (multipart), downloadable by the supplier and staff only', async () => {
    const c = await makeClaimant();
    const cookie = await cookieFor(c.contractor.id);
    const request = uploadRequest([{ name: 'register.pdf', data: samples.pdf }], {
      cookie, path: '/credits/claims/new',
      fields: { kind: 'activity', intent: 'send', contractId: c.contract.id, measureId: c.measure.id, quantity: '1', description: 'Mentoring', linkUrl1: 'https://example.org/story' },
    });
    const sent = await run(newClaim.action, request);
    expect(sent.status).toBe(303);
    const claimId = claimIdFrom(sent.location);
    const evidence = await getDb().selectFrom('claim_evidence').select(['id', 'kind']).where('claim_id', '=', claimId).orderBy('kind').execute();
    expect(evidence.map((e) => e.kind)).toEqual(['file', 'link']);
    const fileId = evidence[0]!.id;
    const download = async (userId: string) => run(evidenceRoute.loader, makeRequest(`/credits/claims/${claimId}/evidence/${fileId}`, { cookie: await cookieFor(userId) }), { claimId, evidenceId: fileId });
    expect((await download(c.contractor.id)).status).toBe(200);
    expect((await download(c.officer.id)).status).toBe(200);
    expect((await download(c.officer.id)).data).toBe(samples.pdf.toString('utf8'));
    expect((await download((await makeUser('contractor')).id)).status).toBe(404);
    expect((await download((await makeUser('vcse')).id)).status).toBe(403);
    const linkId = evidence[1]!.id;
    expect((await run(evidenceRoute.loader, makeRequest('/x', { cookie }), { claimId, evidenceId: linkId })).status).toBe(404);
  });
});

describe('a claim’s page, decision and withdrawal', () => {
  async function claimed() {
    const c = await makeClaimant();
    const cookie = await cookieFor(c.contractor.id);
    const sent = await postActivity(c, cookie);
    return { ...c, cookie, claimId: claimIdFrom(sent.location), officerCookie: await cookieFor(c.officer.id) };
  }

  it('is the supplier’s and staff’s: another contractor gets 404, a VCSE user 403', async () => {
    const c = await claimed();
    const view = (cookie: string) => run(claimPage.loader, makeRequest(`/credits/claims/${c.claimId}`, { cookie }), { claimId: c.claimId });
    expect((await view(c.cookie))).toMatchObject({ status: 200, data: { canWithdraw: true, canDecide: false } });
    expect((await view(c.officerCookie))).toMatchObject({ status: 200, data: { canWithdraw: false, canDecide: true } });
    expect((await view(await cookieFor((await makeUser('contractor')).id))).status).toBe(404);
    expect((await view(await cookieFor((await makeUser('vcse')).id))).status).toBe(403);
    expect((await run(claimPage.loader, makeRequest('/credits/claims/x'), { claimId: c.claimId })).status).toBe(302);
  });

  it('approves a lower amount only with a reason, books it, and answers 409 to a second decision', async () => {
    const c = await claimed();
    const decide = (form: Record<string, string>) => run(decidePage.action, makeRequest(`/credits/claims/${c.claimId}/decide`, { method: 'POST', cookie: c.officerCookie, form }), { claimId: c.claimId });
    const noReason = await decide({ decision: 'approve', approvedValue: '200' });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.data)).toContain('reason for approving less');
    expect((await decide({ decision: 'approve', approvedValue: '250.01', reason: 'x' })).status).toBe(400);
    expect((await decide({ decision: 'approve', approvedValue: '-1', reason: 'x' })).status).toBe(400);
    const ok = await decide({ decision: 'approve', approvedValue: '200', reason: 'One session lacked a register' });
    expect(ok).toMatchObject({ status: 303, location: `/officer/credits?decided=${c.claimId}` });
    expect(await contractBalance(getDb(), c.contract.id)).toBe(20_000);
    const second = await decide({ decision: 'reject', reason: 'Changed my mind' });
    expect(second.status).toBe(409);
    expect(second.data).toContain('already approved');
    expect(await contractBalance(getDb(), c.contract.id)).toBe(20_000);
    // The contractor cannot decide, even by posting the form.
    const forContractor = await run(decidePage.action, makeRequest(`/credits/claims/${c.claimId}/decide`, { method: 'POST', cookie: c.cookie, form: { decision: 'approve' } }), { claimId: c.claimId });
    expect(forContractor.status).toBe(403);
  });

  it('lets the supplier withdraw while it is requested (409 afterwards); others get 404', async () => {
    const c = await claimed();
    const withdraw = async (cookie: string) => run(claimPage.action, makeRequest(`/credits/claims/${c.claimId}`, { method: 'POST', cookie, form: { intent: 'withdraw' } }), { claimId: c.claimId });
    expect((await withdraw(await cookieFor((await makeUser('contractor')).id))).status).toBe(404);
    expect(await withdraw(c.cookie)).toMatchObject({ status: 303, location: `/credits/claims/${c.claimId}?done=withdrawn` });
    expect((await withdraw(c.cookie)).status).toBe(409);
    expect((await withdraw(c.officerCookie)).status).toBe(403);
  });
});

describe('/officer/credits', () => {
  it('lists pending claims and swaps oldest first, filters by type and supplier, and counts them', async () => {
    const c = await makeClaimant();
    await postActivity(c, await cookieFor(c.contractor.id));
    const commitment = await makeCommitment(c.contract.id, c.measure.id);
    const now = new Date().toISOString();
    await getDb().insertInto('credit_swap').values({
      id: `swap-${c.contract.id}`, contract_id: c.contract.id, supplier_id: c.supplier.id, commitment_id: commitment.id, method: 'credits',
      quantity_milli: 500, value_pence: 5_000, reason: 'Could not recruit', created_by: c.contractor.id, created_at: now, updated_at: now,
    }).execute();
    const list = async (query: string) => (await run(queue.loader, makeRequest(`/officer/credits?supplier=${c.supplier.id}${query}`, { cookie: await cookieFor(c.officer.id) }))).data as Awaited<ReturnType<typeof queue.loader>>;
    const all = await list('');
    expect(all.requests.map((r) => r.type)).toEqual(['claim', 'swap']);
    expect(all.requests[1]).toMatchObject({ href: `/credits/swaps/swap-${c.contract.id}`, value: '£50.00' });
    expect(all.counts.claims).toBeGreaterThanOrEqual(1);
    expect(all.counts.swaps).toBeGreaterThanOrEqual(1);
    expect((await list('&type=swap')).requests.map((r) => r.type)).toEqual(['swap']);
    expect((await list('&view=decided')).total).toBe(0);
    expect((await list(`&contract=${encodeURIComponent(c.contract.reference)}`)).total).toBe(2);
  });
});
