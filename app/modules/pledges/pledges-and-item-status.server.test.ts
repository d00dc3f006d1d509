import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { PledgeStatus, WishlistStatus } from '#db/schema';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { actorOf, auditsOf, itemStatus, mailAbout, makePledge, makePledgeWorld, pledgeRow, type PledgeWorld } from '../../../tests/support/factories-pledges';
import { decideItem } from '~/modules/wishlist/moderation.server';
import { withdrawItem } from '~/modules/wishlist/items-ending.server';
import { updateItem } from '~/modules/wishlist/items.server';
import type { ItemInput } from '~/modules/wishlist/items.schema';
import { ACCEPT_BLOCKED } from './item-rule';
import { LAPSE_REASONS } from './lapse.server';
import { pledgeHistory } from './pledge-queries.server';
import { confirmPledge, disputePledge, markDelivered, offerPledge, overEstimateMessage, respondToPledge, withdrawPledge } from './pledges.server';

// The item's status and its pledges (ADR 0022): offers and acceptances need an
// open item; the rest of a pledge's steps carry on whatever the item's status;
// offers a need can never take again are declined, audited, and the contractor told.

const setItemStatus = (itemId: string, status: WishlistStatus) => getDb().updateTable('wishlist_item').set({ status }).where('id', '=', itemId).execute();
const offer = { description: 'Ten refurbished laptops', value: 20_000, expectedDate: '2027-02-01', contractId: undefined, isStory: false };

async function offered(w: PledgeWorld, value = 20_000, by = w.contractor) {
  const result = await offerPledge(getDb(), w.item.id, { ...offer, value }, by, actorOf(by));
  if (!result.ok) throw new Error(`offer failed: ${JSON.stringify(result)}`);
  return result.id;
}

async function accepted(w: PledgeWorld, value = 20_000) {
  const id = await offered(w, value);
  expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true });
  return id;
}

const NOT_OPEN: Array<[WishlistStatus, keyof typeof ACCEPT_BLOCKED]> = [
  ['fulfilled', 'met'], ['closed', 'closed'], ['withdrawn', 'withdrawn'], ['expired', 'expired'], ['submitted', 'in-moderation'], ['rejected', 'not-approved'],
];

describe('accepting an offer', () => {
  it.each(NOT_OPEN)('is refused on a %s item, with a message saying why; nothing is written; declining still works', async (status, block) => {
    const w = await makePledgeWorld();
    const id = await offered(w);
    const before = await pledgeRow(id);
    const mailBefore = (await mailAbout(id)).length;
    // A fulfilled item is one confirmed pledges cover (this offer was made before, and survived from before ADR 0022).
    if (status === 'fulfilled') await makePledge(w.item.id, w.supplier.id, { status: 'confirmed', valuePence: 50_000, createdBy: w.contractor.id });
    await setItemStatus(w.item.id, status);
    const result = await respondToPledge(getDb(), id, { decision: 'accept', version: before.updated_at }, w.vcse, actorOf(w.vcse));
    expect(result).toEqual({ ok: false, reason: 'conflict', message: ACCEPT_BLOCKED[block] });
    expect(await pledgeRow(id)).toEqual(before);
    expect((await auditsOf(id)).map((a) => a.action)).toEqual(['pledge.offered']);
    expect(await auditsOf(w.item.id)).toEqual([]);
    expect(await mailAbout(id)).toHaveLength(mailBefore);
    expect(await itemStatus(w.item.id)).toBe(status);

    expect(await respondToPledge(getDb(), id, { decision: 'decline', reason: 'We cannot take it now' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'declined' });
    expect(await itemStatus(w.item.id)).toBe(status);
  });

  it('works on a published or pledged item', async () => {
    const w = await makePledgeWorld({ estimatePence: 30_000 });
    const first = await accepted(w, 30_000);
    expect(await itemStatus(w.item.id)).toBe('pledged');
    const second = await offered(w, 10_000);
    expect(await respondToPledge(getDb(), second, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'accepted' });
    expect((await pledgeRow(first)).status).toBe('accepted');
  });
});

describe('making a new pledge', () => {
  it.each(['fulfilled', 'closed', 'withdrawn', 'expired', 'submitted', 'rejected', 'draft'] as const)('is refused on a %s item, nothing written', async (status) => {
    const w = await makePledgeWorld({ status });
    const result = await offerPledge(getDb(), w.item.id, offer, w.contractor, actorOf(w.contractor));
    // A fulfilled need is public (it says so, the form is gone): a conflict. Any other is not found by a contractor.
    expect(result).toMatchObject(status === 'fulfilled' ? { ok: false, reason: 'conflict' } : { ok: false, reason: 'not-found' });
    expect(await getDb().selectFrom('pledge').select('id').where('item_id', '=', w.item.id).execute()).toEqual([]);
  });
});

describe('keeping a promise after the need has moved on', () => {
  it.each(['expired', 'closed', 'fulfilled'] as const)('an accepted pledge on a %s item can be delivered, disputed, delivered again and confirmed', async (status) => {
    const w = await makePledgeWorld({ estimatePence: 30_000 });
    const id = await accepted(w, 10_000);
    // A fulfilled item is one confirmed pledges cover: another contractor's, say, while this one was still being delivered.
    if (status === 'fulfilled') await makePledge(w.item.id, (await makeOrganisation('supplier')).id, { status: 'confirmed', valuePence: 30_000 });
    await setItemStatus(w.item.id, status);
    expect(await markDelivered(getDb(), id, 'Delivered late', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: true, status: 'delivered' });
    expect(await disputePledge(getDb(), id, 'One is missing', w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'disputed' });
    expect(await markDelivered(getDb(), id, 'The last one', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: true, status: 'delivered' });
    expect(await confirmPledge(getDb(), id, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await itemStatus(w.item.id)).toBe(status);
  });

  it('a pledge delivered before the need expired is still confirmable, and the contractor can still withdraw an accepted one', async () => {
    const w = await makePledgeWorld({ estimatePence: 30_000 });
    const delivered = await accepted(w, 30_000);
    await markDelivered(getDb(), delivered, 'Delivered on the day', w.contractor, actorOf(w.contractor));
    const other = await makePledgeWorld();
    const stillAccepted = await accepted(other);
    await setItemStatus(w.item.id, 'expired');
    await setItemStatus(other.item.id, 'expired');
    expect(await confirmPledge(getDb(), delivered, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
    expect(await withdrawPledge(getDb(), stillAccepted, other.contractor, actorOf(other.contractor), 'We missed the date')).toMatchObject({ ok: true, status: 'withdrawn' });
    expect(await itemStatus(other.item.id)).toBe('expired');
  });
});

describe('offers on an item that becomes fulfilled', () => {
  it('are declined in the confirming step’s transaction, with the reason, audited, the contractor told once; accepted ones are left alone', async () => {
    const w = await makePledgeWorld({ estimatePence: 30_000 });
    const full = await accepted(w, 30_000);
    const other = await makeOrganisation('supplier');
    const latecomer = await makeUser('contractor', { organisationId: other.id });
    const waiting = await offered(w, 5_000, { ...latecomer });
    const extra = await offered(w, 5_000);
    await respondToPledge(getDb(), extra, { decision: 'accept' }, w.vcse, actorOf(w.vcse));
    await markDelivered(getDb(), full, 'Delivered', w.contractor, actorOf(w.contractor));
    expect(await confirmPledge(getDb(), full, w.vcse2, actorOf(w.vcse2))).toMatchObject({ ok: true, status: 'confirmed' });

    expect(await itemStatus(w.item.id)).toBe('fulfilled');
    expect(await pledgeRow(waiting)).toMatchObject({ status: 'declined', response_reason: LAPSE_REASONS.met, responded_by: w.vcse2.id });
    expect((await pledgeRow(extra)).status).toBe('accepted');
    const audit = (await auditsOf(waiting)).at(-1)!;
    expect(audit).toMatchObject({ action: 'pledge.declined', actor_user_id: w.vcse2.id });
    expect(JSON.parse(audit.after_json!)).toMatchObject({ status: 'declined', reason: LAPSE_REASONS.met, cause: 'item-met' });
    const told = (await mailAbout(waiting)).filter((m) => m.kind === 'pledge_declined');
    expect(told.map((m) => m.to_user_id)).toEqual([latecomer.id]);
    expect(told[0]!.body_text).toContain(`${LAPSE_REASONS.met}, so it can no longer be accepted.`);
    expect(told[0]!.dedupe_key).toMatch(new RegExp(`^pledge_declined:${waiting}:.+:${latecomer.id}$`));
    expect((await pledgeHistory(getDb(), waiting)).map((h) => [h.label, h.text])).toEqual([['Offered the pledge', null], ['Declined the pledge', LAPSE_REASONS.met]]);
  });
});

describe('withdrawing an item', () => {
  it('declines its offers with the reason, audited, each of the contractor’s active users told with a link to the pledge', async () => {
    const w = await makePledgeWorld();
    const id = await offered(w);
    const gone = await makePledge(w.item.id, w.supplier.id, { status: 'withdrawn', createdBy: w.contractor.id });
    expect(await withdrawItem(getDb(), actorOf(w.vcse), w.vcseOrg.id, w.item.id)).toMatchObject({ ok: true, status: 'withdrawn' });
    expect(await pledgeRow(id)).toMatchObject({ status: 'declined', response_reason: LAPSE_REASONS.withdrawn, responded_by: w.vcse.id });
    expect((await pledgeRow(gone.id)).status).toBe('withdrawn');
    expect((await auditsOf(id)).map((a) => a.action)).toEqual(['pledge.offered', 'pledge.declined']);
    const told = (await mailAbout(id)).filter((m) => m.kind === 'pledge_declined');
    expect(told.map((m) => m.to_user_id).sort()).toEqual([w.contractor.id, w.colleague.id].sort());
    expect(told[0]!.link).toBe(`http://localhost:3000/pledges/${id}`);
  });
});

describe('an item sent back to moderation by its owner’s edit', () => {
  const edit = (w: PledgeWorld, over: Partial<ItemInput> = {}) =>
    updateItem(getDb(), actorOf(w.vcse), w.vcseOrg.id, w.item.id, {
      title: 'Laptops for the homework club', description: 'Six refurbished laptops with webcams', category: 'goods', theme: 'Community wellbeing',
      estimatedValue: 50_000, quantityDetail: '6 laptops', neededBy: '2027-03-31', ...over,
    } as ItemInput, { uploaded: null }, '2026-11-25');

  it('keeps its offers; they cannot be accepted until the council approves the changes, then they can', async () => {
    const w = await makePledgeWorld();
    const id = await offered(w);
    expect(await edit(w)).toMatchObject({ ok: true, status: 'submitted' });
    expect((await pledgeRow(id)).status).toBe('offered');
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toEqual({ ok: false, reason: 'conflict', message: ACCEPT_BLOCKED['in-moderation'] });

    const officer = await makeUser('officer');
    const version = (await getDb().selectFrom('wishlist_item').select('updated_at').where('id', '=', w.item.id).executeTakeFirstOrThrow()).updated_at;
    expect(await decideItem(getDb(), actorOf(officer), w.item.id, { decision: 'reject', reason: 'Say what the webcams are for', version }, '2026-11-25')).toMatchObject({ ok: true });
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toEqual({ ok: false, reason: 'conflict', message: ACCEPT_BLOCKED['not-approved'] });
    expect((await pledgeRow(id)).status).toBe('offered');

    expect(await edit(w, { description: 'Six laptops with webcams for video job interviews' })).toMatchObject({ ok: true, status: 'rejected' });
    await getDb().updateTable('wishlist_item').set({ status: 'submitted' }).where('id', '=', w.item.id).execute();
    expect(await decideItem(getDb(), actorOf(officer), w.item.id, { decision: 'approve' }, '2026-11-25')).toMatchObject({ ok: true, status: 'published' });
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'accepted' });
  });

  it('refuses to accept an offer worth more than the estimate the owner lowered it to', async () => {
    const w = await makePledgeWorld();
    const id = await offered(w, 40_000);
    expect(await edit(w, { estimatedValue: 30_000 })).toMatchObject({ ok: true, status: 'submitted' });
    const officer = await makeUser('officer');
    expect(await decideItem(getDb(), actorOf(officer), w.item.id, { decision: 'approve' }, '2026-11-25')).toMatchObject({ ok: true, status: 'published' });
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toEqual({ ok: false, reason: 'conflict', message: overEstimateMessage(40_000, 30_000) });
    expect((await pledgeRow(id)).status).toBe('offered' satisfies PledgeStatus);
    expect(await respondToPledge(getDb(), id, { decision: 'decline', reason: 'We need less now' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true });
  });
});
