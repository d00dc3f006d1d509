import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeMeasure, makeUser } from '../../tests/support/factories';
import { actorOf, fundBalance, makeSwapSetup } from '../../tests/support/factories-swaps';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { requestSwap } from '~/modules/credits/swaps.server';
import * as decidePage from './credits.swaps.$swapId.decide';
import * as swapPage from './credits.swaps.$swapId._index';
import * as newPage from './credits.swaps.new';

beforeEach(async () => {
  await getDb().deleteFrom('setting').where('key', '=', 'credit_policy').execute();
});

const swapsOf = (commitmentId: string) => getDb().selectFrom('credit_swap').selectAll().where('commitment_id', '=', commitmentId).execute();

describe('/credits/swaps/new', () => {
  it('shows the commitment, the policy and the facts the browser checks with; another supplier gets 404', async () => {
    const s = await makeSwapSetup();
    const cookie = await cookieFor(s.contractor.id);
    const page = await run(newPage.loader, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { cookie }));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ commitment: { target: '10 FTE', remaining: '10 FTE' }, policy: expect.stringContaining('up to 50%'), facts: { pendingMilli: 0 } });
    const stranger = await cookieFor((await makeUser('contractor')).id);
    expect((await run(newPage.loader, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { cookie: stranger }))).status).toBe(404);
    expect((await run(newPage.loader, makeRequest('/credits/swaps/new', { cookie }))).status).toBe(404);
  });

  it('"Check values" answers both values and the rule broken, and saves nothing', async () => {
    const s = await makeSwapSetup();
    const cookie = await cookieFor(s.contractor.id);
    const form = { intent: 'check', method: 'credits', quantity: '2', reason: '' };
    const checked = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form }));
    expect(checked.status).toBe(400);
    expect(checked.data).toMatchObject({
      values: { giveUp: { quantityMilli: 2000, valuePence: 200_000 }, takeOn: { credits: 200_000 }, problems: [{ field: 'quantity', message: expect.stringContaining('£0.00 available') }] },
      error: { quantity: [expect.stringContaining('This needs £2,000.00 of credits')] },
    });
    await fundBalance(s.contract.id, s.officer.id, 500_000);
    const ok = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form }));
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ values: { problems: [] } });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });

  it('sends a request once, even when the form is sent twice', async () => {
    const s = await makeSwapSetup();
    const other = await makeMeasure({ theme: 'Jobs', proxyPence: 100_000 });
    const cookie = await cookieFor(s.contractor.id);
    const form = { intent: 'send', method: 'measure', quantity: '1', toMeasureId: other.id, toQuantity: '1.5', reason: 'Recruitment freeze', submissionKey: randomUUID() };
    const first = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form }));
    const second = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form }));
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    expect(await swapsOf(s.commitment.id)).toHaveLength(1);
  });

  it('field errors for bad input', async () => {
    const s = await makeSwapSetup();
    const cookie = await cookieFor(s.contractor.id);
    for (const quantity of ['-1', '0', '1.2345', 'lots']) {
      const r = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form: { intent: 'send', method: 'credits', quantity, reason: 'x' } }));
      expect(r.status).toBe(400);
      expect(r.data).toMatchObject({ error: { quantity: [expect.stringContaining('more than 0')] } });
    }
    const noMeasure = await run(newPage.action, makeRequest(`/credits/swaps/new?commitmentId=${s.commitment.id}`, { method: 'POST', cookie, form: { intent: 'send', method: 'measure', quantity: '1', reason: '' } }));
    expect(noMeasure.data).toMatchObject({ error: { toMeasureId: [expect.any(String)], toQuantity: [expect.any(String)], reason: [expect.any(String)] } });
    expect(await swapsOf(s.commitment.id)).toHaveLength(0);
  });
});

async function pendingSwap(pence = 500_000, quantityMilli = 1_000) {
  const s = await makeSwapSetup();
  await fundBalance(s.contract.id, s.officer.id, pence);
  const req = await requestSwap(getDb(), { commitmentId: s.commitment.id, method: 'credits', quantityMilli, reason: 'Site closed' }, actorOf(s.contractor));
  if (!req.ok) throw new Error(JSON.stringify(req));
  return { ...s, swapId: req.id };
}

describe('/credits/swaps/$swapId', () => {
  it('the supplier and staff see it; another supplier gets 404; the supplier withdraws it once', async () => {
    const s = await pendingSwap();
    const mine = await cookieFor(s.contractor.id);
    const page = await run(swapPage.loader, makeRequest(`/credits/swaps/${s.swapId}`, { cookie: mine }), { swapId: s.swapId });
    expect(page.data).toMatchObject({ status: 'requested', canWithdraw: true, canDecide: false, giveUp: expect.stringContaining('worth £1,000.00') });
    const staff = await run(swapPage.loader, makeRequest(`/credits/swaps/${s.swapId}`, { cookie: await cookieFor(s.officer.id) }), { swapId: s.swapId });
    expect(staff.data).toMatchObject({ canDecide: true, canWithdraw: false });
    const stranger = await cookieFor((await makeUser('contractor')).id);
    expect((await run(swapPage.loader, makeRequest(`/credits/swaps/${s.swapId}`, { cookie: stranger }), { swapId: s.swapId })).status).toBe(404);
    expect((await run(swapPage.action, makeRequest(`/credits/swaps/${s.swapId}`, { method: 'POST', cookie: stranger, form: { intent: 'withdraw' } }), { swapId: s.swapId })).status).toBe(404);
    const withdrawn = await run(swapPage.action, makeRequest(`/credits/swaps/${s.swapId}`, { method: 'POST', cookie: mine, form: { intent: 'withdraw' } }), { swapId: s.swapId });
    expect(withdrawn).toMatchObject({ status: 303, location: `/credits/swaps/${s.swapId}?done=withdrawn` });
    expect((await run(swapPage.action, makeRequest(`/credits/swaps/${s.swapId}`, { method: 'POST', cookie: mine, form: { intent: 'withdraw' } }), { swapId: s.swapId })).status).toBe(409);
  });
});

describe('/credits/swaps/$swapId/decide', () => {
  it('approves once; a second decision is 409; a missing reason is 400', async () => {
    const s = await pendingSwap();
    const cookie = await cookieFor(s.officer.id);
    const url = `/credits/swaps/${s.swapId}/decide`;
    const blank = await run(decidePage.action, makeRequest(url, { method: 'POST', cookie, form: { decision: 'approve', reason: '' } }), { swapId: s.swapId });
    expect(blank).toMatchObject({ status: 400, data: { error: { reason: ['Enter the reason for approving the swap'] } } });
    const ok = await run(decidePage.action, makeRequest(url, { method: 'POST', cookie, form: { decision: 'approve', reason: 'Fine' } }), { swapId: s.swapId });
    expect(ok).toMatchObject({ status: 303, location: `/credits/swaps/${s.swapId}?done=approved` });
    const again = await run(decidePage.action, makeRequest(url, { method: 'POST', cookie, form: { decision: 'reject', reason: 'No' } }), { swapId: s.swapId });
    expect(again.status).toBe(409);
    expect(again.data).toContain('already approved');
    const page = await run(decidePage.loader, makeRequest(url, { cookie }), { swapId: s.swapId });
    expect(page.data).toMatchObject({ decided: expect.stringContaining('already approved') });
  });

  it('an approval the balance no longer covers answers 409 with the reason above the form', async () => {
    const s = await pendingSwap(100_000);
    // Spend the balance with a second approved swap on another commitment.
    const { makeCommitment } = await import('../../tests/support/factories');
    const other = await makeCommitment(s.contract.id, s.measure.id, { targetMilli: 10_000 });
    await getDb().updateTable('credit_swap').set({ status: 'withdrawn' }).where('id', '=', s.swapId).execute();
    const second = await requestSwap(getDb(), { commitmentId: other.id, method: 'credits', quantityMilli: 1_000, reason: 'x' }, actorOf(s.contractor));
    await getDb().updateTable('credit_swap').set({ status: 'requested' }).where('id', '=', s.swapId).execute();
    if (!second.ok) throw new Error('second request failed');
    const cookie = await cookieFor(s.officer.id);
    const first = await run(decidePage.action, makeRequest(`/credits/swaps/${second.id}/decide`, { method: 'POST', cookie, form: { decision: 'approve', reason: 'ok' } }), { swapId: second.id });
    expect(first.status).toBe(303);
    const refused = await run(decidePage.action, makeRequest(`/credits/swaps/${s.swapId}/decide`, { method: 'POST', cookie, form: { decision: 'approve', reason: 'ok' } }), { swapId: s.swapId });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ error: { '': [expect.stringContaining('£0.00 available')] } });
  });
});
