import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeUser } from '../../../tests/support/factories';
import { actorOf, auditsOf, itemStatus, mailAbout, makePledge, makePledgeWorld, pledgeRow } from '../../../tests/support/factories-pledges';
import { LAPSE_REASONS } from '~/modules/pledges/lapse.server';
import { pledgeHistory } from '~/modules/pledges/pledge-queries.server';
import { confirmPledge, markDelivered, respondToPledge } from '~/modules/pledges/pledges.server';
import { expireWishlistItems } from './expiry.server';

// The jobs command's expiry and the pledges on an expiring item (ADR 0022).

const TODAY = '2026-11-25';

describe('expiring an item with pledges', () => {
  it('declines its offers with a reason saying why, audited as the system, each contractor told once; accepted pledges carry on', async () => {
    const w = await makePledgeWorld({ neededBy: '2026-11-24' });
    const waiting = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, valuePence: 10_000 });
    const otherSupplier = await makeOrganisation('supplier');
    const otherContractor = await makeUser('contractor', { organisationId: otherSupplier.id });
    const second = await makePledge(w.item.id, otherSupplier.id, { createdBy: otherContractor.id, valuePence: 5_000 });
    const taken = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, status: 'accepted', valuePence: 20_000 });
    const answered = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, status: 'declined' });

    expect(await expireWishlistItems(getDb(), TODAY)).toEqual({ expired: 1, declined: 2 });

    expect(await itemStatus(w.item.id)).toBe('expired');
    for (const id of [waiting.id, second.id]) {
      expect(await pledgeRow(id)).toMatchObject({ status: 'declined', response_reason: LAPSE_REASONS.expired, responded_by: null });
      const audit = await auditsOf(id);
      expect(audit.map((a) => [a.action, a.actor_user_id])).toEqual([['pledge.declined', null]]);
      expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ status: 'declined', reason: LAPSE_REASONS.expired, cause: 'item-expired' });
      expect((await pledgeHistory(getDb(), id)).map((h) => [h.label, h.by, h.text])).toEqual([['Declined the pledge', null, LAPSE_REASONS.expired]]);
    }
    expect((await pledgeRow(taken.id)).status).toBe('accepted');
    expect((await pledgeRow(answered.id)).status).toBe('declined');
    expect(await auditsOf(taken.id)).toEqual([]);

    // Each contractor's active users (not the deactivated one), once, linking to the pledge.
    const toFirst = await mailAbout(waiting.id);
    expect(toFirst.map((m) => m.to_user_id).sort()).toEqual([w.contractor.id, w.colleague.id].sort());
    expect(toFirst[0]).toMatchObject({ kind: 'pledge_declined', link: `http://localhost:3000/pledges/${waiting.id}` });
    expect(toFirst[0]!.subject).toBe(`Pledge declined: “${w.item.title}”`);
    expect(toFirst[0]!.body_text).toContain('The need reached its needed-by date before this offer was answered, so it can no longer be accepted.');
    expect(toFirst[0]!.dedupe_key).toMatch(new RegExp(`^pledge_declined:${waiting.id}:`));
    expect((await mailAbout(second.id)).map((m) => m.to_user_id)).toEqual([otherContractor.id]);
    expect(await mailAbout(taken.id)).toEqual([]);

    // The organisation's expiry email says so.
    const toOwner = await getDb().selectFrom('notification').select('body_text').where('kind', '=', 'wishlist_item_expired').where('to_user_id', '=', w.vcse.id).execute();
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]!.body_text).toContain('2 pledges you had not answered have been declined, and the contractors told.');

    // Running the job again changes nothing and tells nobody twice.
    const before = await getDb().selectFrom('notification').select('id').execute();
    expect(await expireWishlistItems(getDb(), TODAY)).toEqual({ expired: 0, declined: 0 });
    expect(await getDb().selectFrom('notification').select('id').execute()).toHaveLength(before.length);
  });

  it('declines offers on an expiring pledged item too; its accepted pledge is still delivered and confirmed, and fulfils it', async () => {
    const w = await makePledgeWorld({ estimatePence: 30_000, neededBy: '2026-10-01', status: 'pledged' });
    const taken = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, status: 'accepted', valuePence: 30_000 });
    const waiting = await makePledge(w.item.id, w.supplier.id, { createdBy: w.contractor.id, valuePence: 1_000 });
    expect(await expireWishlistItems(getDb(), TODAY)).toMatchObject({ expired: 1, declined: 1 });
    expect((await pledgeRow(waiting.id)).status).toBe('declined');
    // The declined offer can no longer be accepted; the accepted pledge carries on.
    expect(await respondToPledge(getDb(), waiting.id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await markDelivered(getDb(), taken.id, 'Delivered a week late', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: true });
    expect(await confirmPledge(getDb(), taken.id, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
  });

  it('leaves the offers of an item that does not expire (date today or later, or not open) alone', async () => {
    const today = await makePledgeWorld({ neededBy: TODAY });
    const onToday = await makePledge(today.item.id, today.supplier.id, { createdBy: today.contractor.id });
    const submitted = await makePledgeWorld({ neededBy: '2026-01-01', status: 'submitted' });
    const onSubmitted = await makePledge(submitted.item.id, submitted.supplier.id, { createdBy: submitted.contractor.id });
    await expireWishlistItems(getDb(), TODAY);
    expect((await pledgeRow(onToday.id)).status).toBe('offered');
    expect((await pledgeRow(onSubmitted.id)).status).toBe('offered');
    expect(await itemStatus(submitted.item.id)).toBe('submitted');
  });
});
