import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeContract, makeOrganisation, makeUser } from '../../tests/support/factories';
import { itemStatus, makeItem, makePledge, pledgeRow } from '../../tests/support/factories-pledges';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import * as pledgePage from './pledges.$pledgeId';
import * as listPage from './pledges._index';
import * as ownerItemPage from './organisation_.wishlist.$itemId._index';
import * as formPage from './wishlist_.$itemId_.pledge';

type Reply = { status?: string; panel?: string; error?: Record<string, string[] | null> };

async function signedIn(role: 'officer' | 'admin' | 'contractor' | 'vcse', organisationId?: string) {
  const user = await makeUser(role, { organisationId });
  return { ...user, cookie: await cookieFor(user.id) };
}

async function world() {
  const supplier = await makeOrganisation('supplier');
  const contractor = await signedIn('contractor', supplier.id);
  const contract = await makeContract({ supplierId: supplier.id });
  const vcseOrg = await makeOrganisation('vcse');
  const vcse = await signedIn('vcse', vcseOrg.id);
  const item = await makeItem({ organisationId: vcseOrg.id, createdBy: vcse.id, estimatePence: 50_000 });
  return { supplier, contractor, contract, vcseOrg, vcse, item, formPath: `/wishlist/${item.id}/pledge`, formParams: { itemId: item.id } };
}

const validOffer = (over: Record<string, string> = {}) => ({
  submissionKey: randomUUID(), description: 'Ten refurbished laptops', value: '£500', 'expectedDate.day': '1', 'expectedDate.month': '2', 'expectedDate.year': '2027', isStory: 'on', ...over,
});

const pledgesOf = (itemId: string) => getDb().selectFrom('pledge').selectAll().where('item_id', '=', itemId).execute();

describe('the pledge form', () => {
  it('shows the need and the contractor’s active contracts; refuses VCSE users and staff, and 404s a need that is not public', async () => {
    const w = await world();
    const page = await run(formPage.loader, makeRequest(w.formPath, { cookie: w.contractor.cookie }), w.formParams);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ open: true, item: { title: w.item.title, estimate: '£500.00' }, contracts: [{ value: w.contract.id }] });

    expect((await run(formPage.loader, makeRequest(w.formPath, { cookie: w.vcse.cookie }), w.formParams)).status).toBe(403);
    const officer = await signedIn('officer');
    expect((await run(formPage.action, makeRequest(w.formPath, { method: 'POST', cookie: officer.cookie, form: validOffer() }), w.formParams)).status).toBe(403);
    const draft = await makeItem({ organisationId: w.vcseOrg.id, status: 'draft' });
    expect((await run(formPage.loader, makeRequest(`/wishlist/${draft.id}/pledge`, { cookie: w.contractor.cookie }), { itemId: draft.id })).status).toBe(404);
    expect((await run(formPage.action, makeRequest(`/wishlist/${draft.id}/pledge`, { method: 'POST', cookie: w.contractor.cookie, form: validOffer() }), { itemId: draft.id })).status).toBe(404);
    const fulfilled = await makeItem({ organisationId: w.vcseOrg.id, status: 'fulfilled' });
    const shut = await run(formPage.loader, makeRequest(`/wishlist/${fulfilled.id}/pledge`, { cookie: w.contractor.cookie }), { itemId: fulfilled.id });
    expect(shut.data).toMatchObject({ open: false });
    expect((await run(formPage.action, makeRequest(`/wishlist/${fulfilled.id}/pledge`, { method: 'POST', cookie: w.contractor.cookie, form: validOffer() }), { itemId: fulfilled.id })).status).toBe(409);
  });

  it('sends a pledge and lands on its page; the same form sent twice makes one pledge', async () => {
    const w = await world();
    const form = validOffer({ contractId: w.contract.id });
    const send = () => run(formPage.action, makeRequest(w.formPath, { method: 'POST', cookie: w.contractor.cookie, form }), w.formParams);
    const [first, second] = await Promise.all([send(), send()]);
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/pledges\/[0-9a-f-]{36}\?done=offered$/);
    expect(second.location).toBe(first.location);
    const rows = await pledgesOf(w.item.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'offered', value_pence: 50_000, expected_date: '2027-02-01', contract_id: w.contract.id, is_story: 1 });
  });

  it.each([
    ['no description', { description: '' }, 'description', 'Describe what you will give'],
    ['no value', { value: '' }, 'value', 'Enter the value of what you will give, in pounds'],
    ['words for a value', { value: 'lots' }, 'value', 'Enter the value in pounds, like 250 or £1,250.50'],
    ['a value of nothing', { value: '0' }, 'value', 'Value must be more than £0'],
    ['more than the estimate', { value: '500.01' }, 'value', 'Value must be £500.00 or less, the organisation’s estimate for this need'],
    ['a negative value', { value: '-5' }, 'value', 'Enter the value in pounds, like 250 or £1,250.50'],
    ['no date', { 'expectedDate.day': '', 'expectedDate.month': '', 'expectedDate.year': '' }, 'expectedDate', 'Enter the expected date'],
    ['a date in the past', { 'expectedDate.year': '2020' }, 'expectedDate', 'Expected date must be today or in the future'],
    ['not a real date', { 'expectedDate.day': '31', 'expectedDate.month': '2' }, 'expectedDate', 'Expected date must be a real date'],
    ['another supplier’s contract', { contractId: 'not-a-contract' }, 'contractId', 'Select one of your organisation’s active contracts, or none'],
    ['a description too long', { description: 'x'.repeat(2001) }, 'description', 'Description must be 2000 characters or fewer'],
  ])('%s: 400 with the message by the field, nothing written', async (_name, over, field, message) => {
    const w = await world();
    const outcome = await run(formPage.action, makeRequest(w.formPath, { method: 'POST', cookie: w.contractor.cookie, form: validOffer(over) }), w.formParams);
    expect(outcome.status).toBe(400);
    expect((outcome.data as Reply).error?.[field]).toEqual([message]);
    expect(await pledgesOf(w.item.id)).toEqual([]);
  });
});

describe('the pledges list', () => {
  it('shows a contractor its organisation’s pledges and a VCSE the pledges to its items, filtered by status', async () => {
    const w = await world();
    const mine = await makePledge(w.item.id, w.supplier.id, { status: 'offered' });
    const accepted = await makePledge(w.item.id, w.supplier.id, { status: 'accepted' });
    const otherSupplier = await makeOrganisation('supplier');
    const theirs = await makePledge(w.item.id, otherSupplier.id);
    const elsewhere = await makePledge((await makeItem()).id, w.supplier.id);

    const ids = (data: unknown) => (data as { pledges: Array<{ id: string }> }).pledges.map((p) => p.id).sort();
    const asContractor = await run(listPage.loader, makeRequest('/pledges', { cookie: w.contractor.cookie }));
    expect(ids(asContractor.data)).toEqual([mine.id, accepted.id, elsewhere.id].sort());
    expect(asContractor.data).toMatchObject({ awaiting: 1 });
    const asVcse = await run(listPage.loader, makeRequest('/pledges', { cookie: w.vcse.cookie }));
    expect(ids(asVcse.data)).toEqual([mine.id, accepted.id, theirs.id].sort());
    expect(asVcse.data).toMatchObject({ awaiting: 2 });
    const filtered = await run(listPage.loader, makeRequest('/pledges?status=accepted', { cookie: w.vcse.cookie }));
    expect(ids(filtered.data)).toEqual([accepted.id]);
    const nonsense = await run(listPage.loader, makeRequest('/pledges?status=%27%20OR%201=1', { cookie: w.vcse.cookie }));
    expect(nonsense.data).toMatchObject({ status: '', total: 3 });
  });
});

describe('the pledge page', () => {
  it('is for the two organisations and staff: another contractor or VCSE gets a 404', async () => {
    const w = await world();
    const pledge = await makePledge(w.item.id, w.supplier.id);
    const path = `/pledges/${pledge.id}`;
    const params = { pledgeId: pledge.id };
    const asContractor = await run(pledgePage.loader, makeRequest(path, { cookie: w.contractor.cookie }), params);
    expect(asContractor.data).toMatchObject({ side: 'supplier', steps: ['withdraw'], staff: false });
    const asVcse = await run(pledgePage.loader, makeRequest(path, { cookie: w.vcse.cookie }), params);
    expect(asVcse.data).toMatchObject({ side: 'recipient', steps: ['accept', 'decline'], pledge: { itemHref: `/organisation/wishlist/${w.item.id}` } });
    const officer = await signedIn('officer');
    const asOfficer = await run(pledgePage.loader, makeRequest(path, { cookie: officer.cookie }), params);
    expect(asOfficer.data).toMatchObject({ side: null, steps: [], staff: true });

    for (const stranger of [await signedIn('contractor'), await signedIn('vcse')]) {
      expect((await run(pledgePage.loader, makeRequest(path, { cookie: stranger.cookie }), params)).status).toBe(404);
      expect((await run(pledgePage.action, makeRequest(path, { method: 'POST', cookie: stranger.cookie, form: { intent: 'withdraw' } }), params)).status).toBe(404);
    }
    expect((await run(pledgePage.action, makeRequest(path, { method: 'POST', cookie: officer.cookie, form: { intent: 'accept' } }), params)).status).toBe(403);
    expect((await pledgeRow(pledge.id)).status).toBe('offered');
  });

  it('takes the steps through the forms: accept, deliver, confirm; then offers the credit claim', async () => {
    const w = await world();
    const pledge = await makePledge(w.item.id, w.supplier.id, { valuePence: 50_000 });
    const path = `/pledges/${pledge.id}`;
    const params = { pledgeId: pledge.id };
    const post = (cookie: string, form: Record<string, string>) => run(pledgePage.action, makeRequest(path, { method: 'POST', cookie, form }), params);

    // Declining without a reason comes back to the answer panel with the message by the field.
    const refused = await post(w.vcse.cookie, { panel: 'respond', intent: 'decline', reason: '' });
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ panel: 'respond', error: { reason: ['Enter the reason you are declining this pledge'] } });
    const noAnswer = await post(w.vcse.cookie, { panel: 'respond' });
    expect(noAnswer.data).toMatchObject({ panel: 'respond', error: { intent: ['Choose an answer'] } });

    const version = (await pledgeRow(pledge.id)).updated_at;
    expect((await post(w.vcse.cookie, { panel: 'respond', intent: 'accept', version })).location).toBe(`${path}?done=accept`);
    expect(await itemStatus(w.item.id)).toBe('pledged');
    // The same form again (a second tab): the pledge has moved on.
    expect((await post(w.vcse.cookie, { panel: 'respond', intent: 'accept', version })).status).toBe(409);
    // The wrong side's step: 403.
    expect((await post(w.vcse.cookie, { intent: 'deliver', note: '' })).status).toBe(403);
    expect((await post(w.contractor.cookie, { intent: 'confirm' })).status).toBe(403);

    expect((await post(w.contractor.cookie, { panel: 'deliver', intent: 'deliver', note: '' })).data).toMatchObject({ panel: 'deliver', error: { note: ['Say what was delivered and when'] } });
    expect((await post(w.contractor.cookie, { panel: 'deliver', intent: 'deliver', note: 'Dropped off on Tuesday' })).location).toBe(`${path}?done=deliver`);
    expect((await post(w.vcse.cookie, { panel: 'receipt', intent: 'confirm' })).location).toBe(`${path}?done=confirm`);
    expect(await itemStatus(w.item.id)).toBe('fulfilled');

    const page = await run(pledgePage.loader, makeRequest(`${path}?done=confirm`, { cookie: w.contractor.cookie }), params);
    expect(page.data).toMatchObject({ steps: [], claim: { href: `/credits/claims/new?pledgeId=${pledge.id}`, status: null }, done: expect.stringMatching(/^Receipt confirmed/) });
    expect((page.data as { history: Array<{ label: string }> }).history.map((h) => h.label)).toEqual(['Accepted the pledge', 'Marked it delivered', 'Confirmed it was received']);
    // The VCSE is not offered the claim.
    expect((await run(pledgePage.loader, makeRequest(path, { cookie: w.vcse.cookie }), params)).data).toMatchObject({ claim: null });
  });

  it('shows "Credits claimed" once a live claim backs the confirmed pledge', async () => {
    const w = await world();
    const pledge = await makePledge(w.item.id, w.supplier.id, { status: 'confirmed', contractId: w.contract.id });
    const claimId = randomUUID();
    const now = new Date().toISOString();
    await getDb().insertInto('credit_claim').values({
      id: claimId, contract_id: w.contract.id, supplier_id: w.supplier.id, kind: 'pledge', pledge_id: pledge.id, measure_id: null, quantity_milli: null,
      proxy_value_pence: null, description: 'Laptops', requested_value_pence: 10_000, approved_value_pence: null, decision_reason: null, decided_by: null,
      decided_at: null, created_by: w.contractor.id, created_at: now, updated_at: now,
    }).execute();
    const page = await run(pledgePage.loader, makeRequest(`/pledges/${pledge.id}`, { cookie: w.contractor.cookie }), { pledgeId: pledge.id });
    expect(page.data).toMatchObject({ claim: { href: `/credits/claims/${claimId}`, status: 'requested' } });
  });
});

describe('the owner’s item page', () => {
  it('lists the item’s pledges, newest first, each with a link to its page', async () => {
    const w = await world();
    const first = await makePledge(w.item.id, w.supplier.id, { status: 'declined' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await makePledge(w.item.id, (await makeOrganisation('supplier')).id, { status: 'offered', valuePence: 12_345 });
    const page = await run(ownerItemPage.loader, makeRequest(`/organisation/wishlist/${w.item.id}`, { cookie: w.vcse.cookie }), { itemId: w.item.id });
    expect(page.status).toBe(200);
    expect((page.data as { pledges: Array<{ id: string; status: string; value: string }> }).pledges).toMatchObject([
      { id: second.id, status: 'offered', value: '£123.45' }, { id: first.id, status: 'declined' },
    ]);
  });
});
