import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { makeContract, makeOrganisation, makeUser } from '../../../tests/support/factories';
import { itemStatus, makeItem, makePledge, pledgeRow } from '../../../tests/support/factories-pledges';
import type { Actor } from '~/modules/audit/audit.server';
import { statusFromPledges, syncItemStatus } from './item-status.server';
import { pledgeHistory } from './pledge-queries.server';
import { confirmPledge, disputePledge, markDelivered, offerPledge, respondToPledge, takeStep, withdrawPledge } from './pledges.server';

interface TestUser { id: string; role: Role; organisationId: string; email: string }

const actorOf = (u: TestUser): Actor => ({ userId: u.id, organisationId: u.organisationId, requestId: 'test' });

/** A supplier with a contractor and an active contract; a VCSE with two users (one deactivated) and a published item of £500. */
async function world({ estimatePence = 50_000 }: { estimatePence?: number } = {}) {
  const supplier = await makeOrganisation('supplier');
  const contractor = (await makeUser('contractor', { organisationId: supplier.id })) as TestUser;
  const colleague = (await makeUser('contractor', { organisationId: supplier.id })) as TestUser;
  const contract = await makeContract({ supplierId: supplier.id });
  const vcseOrg = await makeOrganisation('vcse');
  const vcse = (await makeUser('vcse', { organisationId: vcseOrg.id })) as TestUser;
  const vcse2 = (await makeUser('vcse', { organisationId: vcseOrg.id })) as TestUser;
  const gone = (await makeUser('vcse', { organisationId: vcseOrg.id })) as TestUser;
  await getDb().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
  const item = await makeItem({ organisationId: vcseOrg.id, createdBy: vcse.id, estimatePence });
  return { supplier, contractor, colleague, contract, vcseOrg, vcse, vcse2, gone, item };
}

const offer = (over: Partial<{ description: string; value: number; expectedDate: string; contractId: string; isStory: boolean }> = {}) => ({
  description: 'Ten refurbished laptops', value: 20_000, expectedDate: '2027-02-01', contractId: undefined, isStory: false, ...over,
});

const mail = (pledgeId: string) =>
  getDb().selectFrom('notification').select(['kind', 'to_email', 'to_user_id', 'subject', 'body_text', 'link', 'dedupe_key']).where('link', 'like', `%/pledges/${pledgeId}`).orderBy('created_at').execute();

const audits = (subjectId: string) =>
  getDb().selectFrom('audit_event').select(['action', 'actor_user_id', 'before_json', 'after_json']).where('subject_id', '=', subjectId).orderBy('id').execute();

async function offered(w: Awaited<ReturnType<typeof world>>, value = 20_000) {
  const result = await offerPledge(getDb(), w.item.id, offer({ value }), w.contractor, actorOf(w.contractor));
  if (!result.ok) throw new Error(`offer failed: ${JSON.stringify(result)}`);
  return result.id;
}

describe('offerPledge', () => {
  it('records an offered pledge, audits it and tells the VCSE’s active users; the item stays published', async () => {
    const w = await world();
    const result = await offerPledge(getDb(), w.item.id, offer({ contractId: w.contract.id, isStory: true }), w.contractor, actorOf(w.contractor));
    expect(result).toMatchObject({ ok: true, status: 'offered' });
    const id = (result as { id: string }).id;
    expect(await pledgeRow(id)).toMatchObject({ status: 'offered', supplier_id: w.supplier.id, contract_id: w.contract.id, value_pence: 20_000, is_story: 1, created_by: w.contractor.id });
    expect((await audits(id)).map((a) => a.action)).toEqual(['pledge.offered']);
    const sent = await mail(id);
    expect(sent.map((m) => m.to_user_id).sort()).toEqual([w.vcse.id, w.vcse2.id].sort());
    expect(sent[0]).toMatchObject({ kind: 'pledge_offered', link: `http://localhost:3000/pledges/${id}` });
    expect(sent[0]!.subject).toContain(w.item.title);
    expect(await itemStatus(w.item.id)).toBe('published');
  });

  it('creates one pledge for a form sent twice with the same submission key', async () => {
    const w = await world();
    const once = { key: randomUUID(), userId: w.contractor.id };
    const [a, b] = await Promise.all([
      offerPledge(getDb(), w.item.id, offer(), w.contractor, actorOf(w.contractor), once),
      offerPledge(getDb(), w.item.id, offer(), w.contractor, actorOf(w.contractor), once),
    ]);
    expect(a).toEqual(b);
    expect(await getDb().selectFrom('pledge').select('id').where('item_id', '=', w.item.id).execute()).toHaveLength(1);
  });

  it('refuses what is not open, too big, another supplier’s or a closed contract, and anyone but a contractor', async () => {
    const w = await world();
    const draft = await makeItem({ organisationId: w.vcseOrg.id, status: 'draft' });
    expect(await offerPledge(getDb(), draft.id, offer(), w.contractor, actorOf(w.contractor))).toEqual({ ok: false, reason: 'not-found' });
    const closed = await makeItem({ organisationId: w.vcseOrg.id, status: 'fulfilled' });
    expect(await offerPledge(getDb(), closed.id, offer(), w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await offerPledge(getDb(), w.item.id, offer({ value: 50_001 }), w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'invalid', field: 'value' });
    const theirs = await makeContract();
    expect(await offerPledge(getDb(), w.item.id, offer({ contractId: theirs.id }), w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'invalid', field: 'contractId' });
    const ended = await makeContract({ supplierId: w.supplier.id, status: 'completed' });
    expect(await offerPledge(getDb(), w.item.id, offer({ contractId: ended.id }), w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'invalid', field: 'contractId' });
    expect(await offerPledge(getDb(), w.item.id, offer(), w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await getDb().selectFrom('pledge').select('id').where('supplier_id', '=', w.supplier.id).execute()).toEqual([]);
  });
});

describe('the steps', () => {
  it('accept, deliver, confirm: each audited, each tells the other side, and the item becomes pledged then fulfilled', async () => {
    const w = await world();
    const id = await offered(w, 50_000);

    expect(await respondToPledge(getDb(), id, { decision: 'accept', reason: 'Thank you!' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'accepted' });
    expect(await pledgeRow(id)).toMatchObject({ status: 'accepted', responded_by: w.vcse.id, response_reason: 'Thank you!' });
    expect(await itemStatus(w.item.id)).toBe('pledged');

    expect(await markDelivered(getDb(), id, 'Delivered to the hall on Monday', w.colleague, actorOf(w.colleague))).toMatchObject({ ok: true, status: 'delivered' });
    expect(await itemStatus(w.item.id)).toBe('pledged');

    expect(await confirmPledge(getDb(), id, w.vcse2, actorOf(w.vcse2))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await pledgeRow(id)).toMatchObject({ status: 'confirmed', confirmed_by: w.vcse2.id, delivery_note: 'Delivered to the hall on Monday' });
    expect(await itemStatus(w.item.id)).toBe('fulfilled');

    expect((await audits(id)).map((a) => [a.action, a.actor_user_id])).toEqual([
      ['pledge.offered', w.contractor.id], ['pledge.accepted', w.vcse.id], ['pledge.delivered', w.colleague.id], ['pledge.confirmed', w.vcse2.id],
    ]);
    expect((await audits(w.item.id)).map((a) => a.action)).toEqual(['wishlist_item.pledged', 'wishlist_item.fulfilled']);

    const kinds = (await mail(id)).map((m) => `${m.kind}:${m.to_user_id}`);
    // The supplier's two users hear of acceptance and confirmation; the VCSE's two active users of the offer and delivery; never the deactivated one.
    for (const user of [w.contractor, w.colleague]) for (const kind of ['pledge_accepted', 'pledge_confirmed']) expect(kinds).toContain(`${kind}:${user.id}`);
    for (const user of [w.vcse, w.vcse2]) for (const kind of ['pledge_offered', 'pledge_delivered']) expect(kinds).toContain(`${kind}:${user.id}`);
    expect(kinds.filter((k) => k.endsWith(w.gone.id))).toEqual([]);
    expect(kinds).toHaveLength(8);

    const history = await pledgeHistory(getDb(), id);
    expect(history.map((h) => [h.label, h.text])).toEqual([
      ['Offered the pledge', null], ['Accepted the pledge', 'Thank you!'], ['Marked it delivered', 'Delivered to the hall on Monday'], ['Confirmed it was received', null],
    ]);
    expect(history[1]!.by).toBe('Test vcse');
  });

  it('counts partial pledges together: pledged once accepted ones cover the estimate, fulfilled once confirmed ones do', async () => {
    const w = await world();
    const a = await offered(w, 30_000);
    const b = await offered(w, 20_000);
    await respondToPledge(getDb(), a, { decision: 'accept' }, w.vcse, actorOf(w.vcse));
    expect(await itemStatus(w.item.id)).toBe('published');
    await respondToPledge(getDb(), b, { decision: 'accept' }, w.vcse, actorOf(w.vcse));
    expect(await itemStatus(w.item.id)).toBe('pledged');
    await markDelivered(getDb(), a, 'Done', w.contractor, actorOf(w.contractor));
    await confirmPledge(getDb(), a, w.vcse, actorOf(w.vcse));
    expect(await itemStatus(w.item.id)).toBe('pledged');
    await markDelivered(getDb(), b, 'Done', w.contractor, actorOf(w.contractor));
    await confirmPledge(getDb(), b, w.vcse, actorOf(w.vcse));
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
  });

  it('puts the item back to published when an accepted pledge is withdrawn; a decline needs a reason and leaves it alone', async () => {
    const w = await world();
    const id = await offered(w, 50_000);
    await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse));
    expect(await itemStatus(w.item.id)).toBe('pledged');
    expect(await withdrawPledge(getDb(), id, w.contractor, actorOf(w.contractor), 'Our van broke down')).toMatchObject({ ok: true, status: 'withdrawn' });
    expect(await itemStatus(w.item.id)).toBe('published');
    expect((await audits(w.item.id)).map((a) => a.action)).toEqual(['wishlist_item.pledged', 'wishlist_item.reopened']);
    expect((await mail(id)).filter((m) => m.kind === 'pledge_withdrawn').map((m) => m.body_text).join()).toContain('Our van broke down');

    const other = await offered(w);
    expect(await respondToPledge(getDb(), other, { decision: 'decline' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    expect((await pledgeRow(other)).status).toBe('offered');
    expect(await respondToPledge(getDb(), other, { decision: 'decline', reason: 'We have enough laptops now' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'declined' });
    expect((await mail(other)).find((m) => m.kind === 'pledge_declined')?.body_text).toContain('We have enough laptops now');
  });

  it('a dispute needs a reason; the contractor re-delivers with a note; the VCSE may confirm a disputed pledge', async () => {
    const w = await world();
    const id = await offered(w, 50_000);
    await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse));
    await markDelivered(getDb(), id, 'Delivered', w.contractor, actorOf(w.contractor));
    expect(await disputePledge(getDb(), id, '', w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    expect(await disputePledge(getDb(), id, 'Only eight laptops arrived', w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'disputed' });
    expect(await itemStatus(w.item.id)).toBe('pledged');
    expect(await markDelivered(getDb(), id, '', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'invalid', field: 'note' });
    expect(await markDelivered(getDb(), id, 'Two more delivered today', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: true, status: 'delivered' });
    await disputePledge(getDb(), id, 'One is broken', w.vcse, actorOf(w.vcse));
    expect(await confirmPledge(getDb(), id, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
    expect((await pledgeHistory(getDb(), id)).map((h) => h.label)).toEqual([
      'Offered the pledge', 'Accepted the pledge', 'Marked it delivered', 'Disputed the delivery', 'Marked it delivered', 'Disputed the delivery', 'Confirmed it was received',
    ]);
  });

  it('answers a conflict, and changes nothing, when the pledge has moved on or the page is stale', async () => {
    const w = await world();
    const id = await offered(w);
    const version = (await pledgeRow(id)).updated_at;
    const [first, second] = await Promise.all([
      respondToPledge(getDb(), id, { decision: 'accept', version }, w.vcse, actorOf(w.vcse)),
      respondToPledge(getDb(), id, { decision: 'decline', reason: 'No thanks', version }, w.vcse2, actorOf(w.vcse2)),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect([first, second].find((r) => !r.ok)).toMatchObject({ reason: 'conflict' });
    const after = await pledgeRow(id);
    expect(['accepted', 'declined']).toContain(after.status);
    expect((await audits(id)).filter((a) => a.action !== 'pledge.offered')).toHaveLength(1);

    // A step that no longer applies, and a stale version of a step that still does.
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'conflict' });
    const other = await offered(w);
    expect(await respondToPledge(getDb(), other, { decision: 'accept', version: '2020-01-01T00:00:00.000Z' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'conflict' });
    expect((await pledgeRow(other)).status).toBe('offered');
  });

  it('lets only the right side act: another organisation does not find the pledge; staff and the wrong side are refused', async () => {
    const w = await world();
    const id = await offered(w);
    const stranger = (await makeUser('contractor')) as TestUser;
    const otherVcse = (await makeUser('vcse')) as TestUser;
    const officer = (await makeUser('officer')) as TestUser;
    expect(await takeStep(getDb(), id, { step: 'withdraw' }, stranger, actorOf(stranger))).toEqual({ ok: false, reason: 'not-found' });
    expect(await takeStep(getDb(), id, { step: 'accept' }, otherVcse, actorOf(otherVcse))).toEqual({ ok: false, reason: 'not-found' });
    expect(await takeStep(getDb(), id, { step: 'accept' }, officer, actorOf(officer))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await takeStep(getDb(), id, { step: 'accept' }, w.contractor, actorOf(w.contractor))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await takeStep(getDb(), id, { step: 'withdraw' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect((await pledgeRow(id)).status).toBe('offered');
  });

  it('refuses to accept a pledge once the need has closed, but the offer can still be declined', async () => {
    const w = await world();
    const id = await offered(w);
    await getDb().updateTable('wishlist_item').set({ status: 'closed' }).where('id', '=', w.item.id).execute();
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await respondToPledge(getDb(), id, { decision: 'decline', reason: 'We closed this need' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true });
    expect(await itemStatus(w.item.id)).toBe('closed');
  });
});

describe('item status from pledges', () => {
  const progress = (pledgedPence: number, confirmedPence: number, pledgeCount: number) => ({ pledgedPence, confirmedPence, pledgeCount });

  it('is fulfilled when confirmed pledges cover the estimate, pledged when counted ones do, else published', () => {
    expect(statusFromPledges(500, progress(0, 0, 0))).toBe('published');
    expect(statusFromPledges(500, progress(499, 0, 1))).toBe('published');
    expect(statusFromPledges(500, progress(500, 0, 1))).toBe('pledged');
    expect(statusFromPledges(500, progress(700, 499, 2))).toBe('pledged');
    expect(statusFromPledges(500, progress(500, 500, 1))).toBe('fulfilled');
  });

  it('needs at least one pledge for an item estimated at £0', () => {
    expect(statusFromPledges(0, progress(0, 0, 0))).toBe('published');
    expect(statusFromPledges(0, progress(100, 0, 1))).toBe('pledged');
    expect(statusFromPledges(0, progress(100, 100, 1))).toBe('fulfilled');
  });

  it('fulfils an item that expired while its accepted pledges were being delivered, once they are confirmed (and moves it no other way)', async () => {
    const w = await world({ estimatePence: 30_000 });
    const id = await offered(w, 30_000);
    expect(await respondToPledge(getDb(), id, { decision: 'accept' }, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true });
    expect(await itemStatus(w.item.id)).toBe('pledged');
    await getDb().updateTable('wishlist_item').set({ status: 'expired' }).where('id', '=', w.item.id).execute();
    expect(await markDelivered(getDb(), id, 'Delivered late', w.contractor, actorOf(w.contractor))).toMatchObject({ ok: true });
    expect(await itemStatus(w.item.id)).toBe('expired');
    expect(await confirmPledge(getDb(), id, w.vcse, actorOf(w.vcse))).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await itemStatus(w.item.id)).toBe('fulfilled');
    const other = await world({ estimatePence: 30_000 });
    const partial = await offered(other, 10_000);
    await respondToPledge(getDb(), partial, { decision: 'accept' }, other.vcse, actorOf(other.vcse));
    await getDb().updateTable('wishlist_item').set({ status: 'expired' }).where('id', '=', other.item.id).execute();
    await markDelivered(getDb(), partial, 'Some of it', other.contractor, actorOf(other.contractor));
    await confirmPledge(getDb(), partial, other.vcse, actorOf(other.vcse));
    expect(await itemStatus(other.item.id)).toBe('expired');
  });

  it('never moves an item the owner or a moderator put in another status', async () => {
    const w = await world();
    const withdrawn = await makeItem({ organisationId: w.vcseOrg.id, status: 'withdrawn' });
    await makePledge(withdrawn.id, w.supplier.id, { status: 'confirmed', valuePence: 50_000 });
    await getDb().transaction().execute(async (tx) => {
      expect(await syncItemStatus(tx, withdrawn.id, actorOf(w.vcse))).toBeNull();
    });
    expect(await itemStatus(withdrawn.id)).toBe('withdrawn');
  });
});
