import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { WishlistStatus } from '#db/schema';
import { makeOrganisation, makeUser } from '../../tests/support/factories';
import { auditsOf, itemStatus, makePledge, makePledgeWorld, pledgeRow } from '../../tests/support/factories-pledges';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { ACCEPT_BLOCKED, waitingOffersNote } from '~/modules/pledges/item-rule';
import * as pledgePage from './pledges.$pledgeId';
import * as ownerItemPage from './organisation_.wishlist.$itemId._index';
import * as editPage from './organisation_.wishlist.$itemId.edit';

// The pledge pages when the need has moved on (ADR 0022): what each side is
// offered and told, and the forms refusing what the need no longer allows.

async function world(options: Parameters<typeof makePledgeWorld>[0] = {}) {
  const w = await makePledgeWorld(options);
  return { ...w, contractorCookie: await cookieFor(w.contractor.id), vcseCookie: await cookieFor(w.vcse.id) };
}

const setItemStatus = (itemId: string, status: WishlistStatus) => getDb().updateTable('wishlist_item').set({ status }).where('id', '=', itemId).execute();
type Page = { steps: string[]; itemNotice: string | null };

function pledgeRoutes(pledgeId: string) {
  const path = `/pledges/${pledgeId}`;
  const params = { pledgeId };
  return {
    path,
    view: async (cookie: string) => (await run(pledgePage.loader, makeRequest(path, { cookie }), params)).data as Page,
    post: (cookie: string, form: Record<string, string>) => run(pledgePage.action, makeRequest(path, { method: 'POST', cookie, form }), params),
  };
}

describe('an offer on an item back with the council', () => {
  it('the VCSE may only decline it, and is told why; the contractor is told too; accepting through the form is a 409 and changes nothing', async () => {
    const w = await world();
    const pledge = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id });
    await setItemStatus(w.item.id, 'submitted');
    const page = pledgeRoutes(pledge.id);

    expect(await page.view(w.vcseCookie)).toMatchObject({ steps: ['decline'], itemNotice: ACCEPT_BLOCKED['in-moderation'] });
    const asContractor = await page.view(w.contractorCookie);
    expect(asContractor.steps).toEqual(['withdraw']);
    expect(asContractor.itemNotice).toMatch(/^The organisation changed this need.*You can withdraw it at any time\.$/);

    const before = await pledgeRow(pledge.id);
    const refused = await page.post(w.vcseCookie, { panel: 'respond', intent: 'accept', version: before.updated_at });
    expect(refused.status).toBe(409);
    expect(refused.data).toBe(ACCEPT_BLOCKED['in-moderation']);
    expect(await pledgeRow(pledge.id)).toEqual(before);
    expect(await auditsOf(pledge.id)).toEqual([]);

    // Declining from the decline-only form (the button carries the intent) needs a reason, then works.
    const noReason = await page.post(w.vcseCookie, { panel: 'respond', intent: 'decline', reason: '', version: before.updated_at });
    expect(noReason.status).toBe(400);
    expect(noReason.data).toMatchObject({ panel: 'respond', error: { reason: ['Enter the reason you are declining this pledge'] } });
    expect((await page.post(w.vcseCookie, { panel: 'respond', intent: 'decline', reason: 'We are changing what we need', version: before.updated_at })).location).toBe(`${page.path}?done=decline`);
    expect(await itemStatus(w.item.id)).toBe('submitted');
  });

  it('the owner’s item page says the offers wait, and the edit page warns before a published item goes back', async () => {
    const w = await world();
    await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id });
    await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id });
    const params = { itemId: w.item.id };
    const edit = await run(editPage.loader, makeRequest(`/organisation/wishlist/${w.item.id}/edit`, { cookie: w.vcseCookie }), params);
    expect(edit.data).toMatchObject({ returnsToModeration: true, waitingOffers: 2 });
    expect((await run(ownerItemPage.loader, makeRequest(`/organisation/wishlist/${w.item.id}`, { cookie: w.vcseCookie }), params)).data).toMatchObject({ pledgesNote: null });

    await setItemStatus(w.item.id, 'submitted');
    const owner = await run(ownerItemPage.loader, makeRequest(`/organisation/wishlist/${w.item.id}`, { cookie: w.vcseCookie }), params);
    expect(owner.data).toMatchObject({ pledgesNote: waitingOffersNote('submitted') });
    expect((await run(editPage.loader, makeRequest(`/organisation/wishlist/${w.item.id}/edit`, { cookie: w.vcseCookie }), params)).data).toMatchObject({ waitingOffers: 0 });
  });
});

describe('an offer on a fulfilled item', () => {
  it('cannot be accepted through the form (409, nothing written); the VCSE is offered declining only', async () => {
    const w = await world();
    const pledge = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id });
    await makePledge(w.item.id, (await makeOrganisation('supplier')).id, { status: 'confirmed', valuePence: 50_000 });
    await setItemStatus(w.item.id, 'fulfilled');
    const page = pledgeRoutes(pledge.id);
    expect(await page.view(w.vcseCookie)).toMatchObject({ steps: ['decline'], itemNotice: ACCEPT_BLOCKED.met });
    const before = await pledgeRow(pledge.id);
    const refused = await page.post(w.vcseCookie, { panel: 'respond', intent: 'accept', version: before.updated_at });
    expect(refused.status).toBe(409);
    expect(refused.data).toBe(ACCEPT_BLOCKED.met);
    expect(await pledgeRow(pledge.id)).toEqual(before);
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
  });
});

describe('an accepted pledge on an expired item', () => {
  it('says it carries on, and can be delivered and confirmed through the forms', async () => {
    const w = await world({ estimatePence: 30_000 });
    const pledge = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, status: 'accepted', valuePence: 30_000 });
    await setItemStatus(w.item.id, 'expired');
    const page = pledgeRoutes(pledge.id);
    const asContractor = await page.view(w.contractorCookie);
    expect(asContractor.steps).toEqual(['deliver', 'withdraw']);
    expect(asContractor.itemNotice).toMatch(/^This need has passed its needed-by date\. This pledge carries on/);
    // Staff read the same notice, and take no step.
    const officer = await makeUser('officer');
    const asOfficer = await run(pledgePage.loader, makeRequest(page.path, { cookie: await cookieFor(officer.id) }), { pledgeId: pledge.id });
    expect(asOfficer.data).toMatchObject({ steps: [], itemNotice: asContractor.itemNotice });
    expect((await page.post(w.contractorCookie, { panel: 'deliver', intent: 'deliver', note: 'Delivered after the date' })).location).toBe(`${page.path}?done=deliver`);
    expect(await page.view(w.vcseCookie)).toMatchObject({ steps: ['confirm', 'dispute'] });
    expect((await page.post(w.vcseCookie, { panel: 'receipt', intent: 'confirm' })).location).toBe(`${page.path}?done=confirm`);
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
    expect((await page.view(w.vcseCookie)).itemNotice).toBeNull();
  });
});
