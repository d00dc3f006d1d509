import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser, makeWard } from '../../../tests/support/factories';
import { makeItem, makePledge, makeTheme, makeVcse } from '../../../tests/support/factories-wishlist';
import type { ItemInput } from './items.schema';
import { closeItem, withdrawItem, WITHDRAW_DECLINE_REASON } from './items-ending.server';
import { createItem, EDIT_BLOCKED_MESSAGE, findOwnItem, submitItem, UNVERIFIED_MESSAGE, updateItem } from './items.server';

const TODAY = '2026-11-25';
const actorOf = (u: { id: string; organisationId: string }) => ({ userId: u.id, organisationId: u.organisationId, requestId: null });

async function input(overrides: Partial<ItemInput> = {}): Promise<ItemInput> {
  return {
    title: 'Laptops for homework club', description: 'Six refurbished laptops', category: 'goods', theme: await makeTheme(),
    estimatedValue: 120_000, quantityDetail: '6 laptops', neededBy: '2027-03-31', ...overrides,
  } as ItemInput;
}

const audits = (subjectId: string) => getDb().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', subjectId).orderBy('id').execute();

describe('createItem', () => {
  it('creates a draft for the organisation, audited, once per submission key', async () => {
    const { user } = await makeVcse('pending');
    const once = { key: crypto.randomUUID(), userId: user.id };
    const first = await createItem(getDb(), actorOf(user), user.organisationId, await input(), { uploaded: null }, once, TODAY);
    const second = await createItem(getDb(), actorOf(user), user.organisationId, await input(), { uploaded: null }, once, TODAY);
    expect(first).toMatchObject({ ok: true, status: 'draft' });
    expect(second).toEqual(first);
    const rows = await getDb().selectFrom('wishlist_item').select('id').where('organisation_id', '=', user.organisationId).execute();
    expect(rows).toHaveLength(1);
    expect((await audits(rows[0]!.id)).map((a) => a.action)).toEqual(['wishlist.created']);
  });

  it('refuses an unknown theme or ward, a past needed-by date, and a photo without a description', async () => {
    const { user } = await makeVcse();
    const create = async (o: Partial<ItemInput>, photo: { sha256: string; contentType: string } | null = null) => createItem(getDb(), actorOf(user), user.organisationId, await input(o), { uploaded: photo }, undefined, TODAY);
    expect(await create({ theme: 'Not a theme' })).toMatchObject({ ok: false, field: 'theme' });
    expect(await create({ wardId: 'no-such-ward' })).toMatchObject({ ok: false, field: 'wardId' });
    expect(await create({ neededBy: TODAY })).toMatchObject({ ok: false, field: 'neededBy' });
    expect(await create({ photoAlt: undefined }, { sha256: 'a'.repeat(64), contentType: 'image/png' })).toMatchObject({ ok: false, field: 'photoAlt' });
    const ward = await makeWard();
    expect(await create({ wardId: ward.id, neededBy: undefined })).toMatchObject({ ok: true });
  });
});

describe('submitItem', () => {
  it('sends a verified organisation’s draft to moderation', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId);
    expect(await submitItem(getDb(), actorOf(user), user.organisationId, item.id, TODAY)).toMatchObject({ ok: true, status: 'submitted' });
    expect((await findOwnItem(getDb(), user.organisationId, item.id))?.submitted_at).toBeTruthy();
    expect((await audits(item.id)).map((a) => a.action)).toEqual(['wishlist.submitted']);
  });

  it('refuses submission until the organisation is verified (drafts are fine)', async () => {
    for (const status of ['pending', 'rejected'] as const) {
      const { user } = await makeVcse(status);
      const item = await makeItem(user.organisationId);
      expect(await submitItem(getDb(), actorOf(user), user.organisationId, item.id, TODAY)).toEqual({ ok: false, reason: 'unverified', message: UNVERIFIED_MESSAGE });
    }
  });

  it('refuses a passed needed-by date and an item not in draft or rejected', async () => {
    const { user } = await makeVcse();
    const late = await makeItem(user.organisationId, { neededBy: '2026-11-01' });
    expect(await submitItem(getDb(), actorOf(user), user.organisationId, late.id, TODAY)).toMatchObject({ ok: false, reason: 'conflict' });
    const live = await makeItem(user.organisationId, { status: 'published' });
    expect(await submitItem(getDb(), actorOf(user), user.organisationId, live.id, TODAY)).toMatchObject({ ok: false, reason: 'conflict' });
    const rejected = await makeItem(user.organisationId, { status: 'rejected' });
    expect(await submitItem(getDb(), actorOf(user), user.organisationId, rejected.id, TODAY)).toMatchObject({ ok: true, status: 'submitted' });
    expect((await audits(rejected.id)).map((a) => a.action)).toEqual(['wishlist.resubmitted']);
  });

  it('cannot touch another organisation’s item', async () => {
    const { user } = await makeVcse();
    const other = await makeVcse();
    const theirs = await makeItem(other.org.id);
    expect(await submitItem(getDb(), actorOf(user), user.organisationId, theirs.id, TODAY)).toEqual({ ok: false, reason: 'not-found' });
    expect(await updateItem(getDb(), actorOf(user), user.organisationId, theirs.id, await input(), { uploaded: null }, TODAY)).toEqual({ ok: false, reason: 'not-found' });
    expect(await withdrawItem(getDb(), actorOf(user), user.organisationId, theirs.id)).toEqual({ ok: false, reason: 'not-found' });
  });
});

describe('updateItem', () => {
  it('sends an edited published item back to moderation', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId, { status: 'published' });
    const result = await updateItem(getDb(), actorOf(user), user.organisationId, item.id, await input({ title: 'New title' }), { uploaded: null }, TODAY);
    expect(result).toMatchObject({ ok: true, status: 'submitted' });
    const row = await findOwnItem(getDb(), user.organisationId, item.id);
    expect(row).toMatchObject({ title: 'New title', status: 'submitted' });
  });

  it('keeps, replaces or removes the photo, requiring its description while there is one', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId, { photo: { sha256: 'b'.repeat(64), contentType: 'image/jpeg', alt: 'Old' } });
    const save = async (o: Partial<ItemInput>, uploaded: { sha256: string; contentType: string } | null = null) => updateItem(getDb(), actorOf(user), user.organisationId, item.id, await input(o), { uploaded }, TODAY);
    expect(await save({ photoAlt: undefined })).toMatchObject({ ok: false, field: 'photoAlt' });
    expect(await save({ photoAlt: 'Kept' })).toMatchObject({ ok: true });
    expect(await findOwnItem(getDb(), user.organisationId, item.id)).toMatchObject({ photo_sha256: 'b'.repeat(64), photo_alt: 'Kept' });
    expect(await save({ photoAlt: 'New' }, { sha256: 'c'.repeat(64), contentType: 'image/png' })).toMatchObject({ ok: true });
    expect(await findOwnItem(getDb(), user.organisationId, item.id)).toMatchObject({ photo_sha256: 'c'.repeat(64), photo_content_type: 'image/png' });
    expect(await save({ removePhoto: 'yes' })).toMatchObject({ ok: true });
    expect(await findOwnItem(getDb(), user.organisationId, item.id)).toMatchObject({ photo_sha256: null, photo_content_type: null, photo_alt: null });
  });

  it('refuses a stale form and an item with pledges', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId);
    expect(await updateItem(getDb(), actorOf(user), user.organisationId, item.id, await input({ version: '2000-01-01T00:00:00.000Z' }), { uploaded: null }, TODAY)).toMatchObject({ ok: false, reason: 'conflict' });
    const pledged = await makeItem(user.organisationId, { status: 'pledged' });
    expect(await updateItem(getDb(), actorOf(user), user.organisationId, pledged.id, await input(), { uploaded: null }, TODAY)).toMatchObject({ ok: false, reason: 'conflict' });
  });

  it('refuses to change a live item with an accepted pledge short of its estimate (still published), but not one with offers only', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId, { status: 'published', valuePence: 100_000 });
    await makePledge(item.id, { status: 'accepted', valuePence: 30_000 });
    const refused = await updateItem(getDb(), actorOf(user), user.organisationId, item.id, await input({ title: 'Something else' }), { uploaded: null }, TODAY);
    expect(refused).toMatchObject({ ok: false, reason: 'conflict', message: EDIT_BLOCKED_MESSAGE });
    expect(await findOwnItem(getDb(), user.organisationId, item.id)).toMatchObject({ status: 'published', title: item.title });
    const offered = await makeItem(user.organisationId, { status: 'published' });
    await makePledge(offered.id, { status: 'offered' });
    await makePledge(offered.id, { status: 'declined' });
    expect(await updateItem(getDb(), actorOf(user), user.organisationId, offered.id, await input(), { uploaded: null }, TODAY)).toMatchObject({ ok: true, status: 'submitted' });
  });
});

describe('withdrawItem and closeItem', () => {
  it('declines offered pledges with the reason and tells their contractor', async () => {
    const { user } = await makeVcse();
    const item = await makeItem(user.organisationId, { status: 'published' });
    const offered = await makePledge(item.id);
    const withdrawn = await makePledge(item.id, { status: 'withdrawn' });
    expect(await withdrawItem(getDb(), actorOf(user), user.organisationId, item.id)).toMatchObject({ ok: true, status: 'withdrawn' });
    const pledges = await getDb().selectFrom('pledge').select(['id', 'status', 'response_reason']).where('item_id', '=', item.id).execute();
    expect(pledges.find((p) => p.id === offered.id)).toMatchObject({ status: 'declined', response_reason: WITHDRAW_DECLINE_REASON });
    expect(pledges.find((p) => p.id === withdrawn.id)).toMatchObject({ status: 'withdrawn' });
    const mail = await getDb().selectFrom('notification').select(['subject', 'body_text']).where('to_email', '=', offered.contractorEmail).execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body_text).toContain(WITHDRAW_DECLINE_REASON);
    expect((await audits(offered.id)).map((a) => a.action)).toEqual(['pledge.declined']);
  });

  it('refuses while a pledge is accepted or delivered, and from a status that cannot be withdrawn', async () => {
    const { user } = await makeVcse();
    for (const status of ['accepted', 'delivered'] as const) {
      const item = await makeItem(user.organisationId, { status: 'published' });
      await makePledge(item.id, { status });
      expect(await withdrawItem(getDb(), actorOf(user), user.organisationId, item.id)).toMatchObject({ ok: false, reason: 'conflict' });
    }
    const fulfilled = await makeItem(user.organisationId, { status: 'fulfilled' });
    expect(await withdrawItem(getDb(), actorOf(user), user.organisationId, fulfilled.id)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await closeItem(getDb(), actorOf(user), user.organisationId, fulfilled.id)).toMatchObject({ ok: true, status: 'closed' });
    const draft = await makeItem(user.organisationId);
    expect(await closeItem(getDb(), actorOf(user), user.organisationId, draft.id)).toMatchObject({ ok: false, reason: 'conflict' });
  });

  it('lets another user of the same organisation act on the item', async () => {
    const { user, org } = await makeVcse();
    const colleague = await makeUser('vcse', { organisationId: org.id });
    const item = await makeItem(org.id, { createdBy: user.id });
    expect(await withdrawItem(getDb(), actorOf(colleague), org.id, item.id)).toMatchObject({ ok: true });
  });
});
