import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makePledge } from '../../../tests/support/factories-claims';
import { makeStory, storyWorld } from '../../../tests/support/factories-stories';
import { makeContract, makeUser } from '../../../tests/support/factories';
import { parseSource, storySchema } from './stories.schema';
import { createStory, publishStory, removeStoryPhoto, setStoryPhoto, unpublishStory, updateStory } from './stories.server';
import { listStoryCandidates } from './story-candidates.server';
import { findPublishedStory, findStorySource, listPublishedStories, storiesFor } from './story-queries.server';

const db = () => getDb();
const input = (over: Partial<{ title: string; body: string; consentNote: string; consentDate: string; version: string }> = {}) => ({
  title: 'Apprentices start at Eastfield', body: 'Two apprentices started.', consentNote: 'Both apprentices agreed by email on 3 Nov 2026', consentDate: '2026-11-03', ...over,
});
const NOW = new Date('2026-11-25T12:00:00Z');
const audits = (id: string) => db().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', id).orderBy('id').execute();
const storyRow = (id: string) => db().selectFrom('story').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the story form', () => {
  it('requires a title, the text and a consent note and date', () => {
    const result = storySchema.safeParse({ title: '', body: '', consentNote: '', consentDate: {} });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['title', 'body', 'consentNote', 'consentDate']));
  });

  it('reads a source parameter', () => {
    const id = randomUUID();
    expect(parseSource(`progress_return:${id}`)).toEqual({ type: 'progress_return', id });
    expect(parseSource(`pledge:${id}`)).toEqual({ type: 'pledge', id });
    expect(parseSource(`contract:${id}`)).toBeNull();
    expect(parseSource('pledge:1')).toBeNull();
  });
});

describe('drafting a story', () => {
  it('drafts from an approved return with the narrative prefilled, the contract and supplier from the return, consent recorded and audited', async () => {
    const w = await storyWorld();
    const source = { type: 'progress_return' as const, id: w.ret.id };
    const found = await findStorySource(db(), source);
    expect(found).toMatchObject({ contractId: w.contract.id, organisationId: w.supplier.id, body: 'Two apprentices from Eastfield started with us this quarter.' });
    const result = await createStory(db(), source, input(), w.officerActor, undefined, NOW);
    expect(result.ok).toBe(true);
    const id = (result as { id: string }).id;
    expect(await storyRow(id)).toMatchObject({
      status: 'draft', contract_id: w.contract.id, organisation_id: w.supplier.id, consent_note: 'Both apprentices agreed by email on 3 Nov 2026', consent_recorded_at: '2026-11-03', published_at: null,
    });
    expect(await audits(id)).toEqual([{ action: 'story.created', actor_user_id: w.officer.id }]);
  });

  it('refuses a consent date in the future, a return that is not approved, and a second story for the same source', async () => {
    const w = await storyWorld();
    const source = { type: 'progress_return' as const, id: w.ret.id };
    expect(await createStory(db(), source, input({ consentDate: '2026-11-26' }), w.officerActor, undefined, NOW)).toMatchObject({ ok: false, reason: 'invalid', field: 'consentDate' });
    await db().updateTable('progress_return').set({ status: 'submitted' }).where('id', '=', w.ret.id).execute();
    expect(await createStory(db(), source, input(), w.officerActor, undefined, NOW)).toEqual({ ok: false, reason: 'not-found' });
    await db().updateTable('progress_return').set({ status: 'approved' }).where('id', '=', w.ret.id).execute();
    const first = await createStory(db(), source, input(), w.officerActor, undefined, NOW);
    expect(await createStory(db(), source, input(), w.officerActor, undefined, NOW)).toEqual({ ok: false, reason: 'exists', id: (first as { id: string }).id });
  });

  it('creates one story for a double-clicked form (same submission key)', async () => {
    const w = await storyWorld();
    const once = { key: randomUUID(), userId: w.officer.id };
    const source = { type: 'progress_return' as const, id: w.ret.id };
    const [a, b] = await Promise.all([createStory(db(), source, input(), w.officerActor, once, NOW), createStory(db(), source, input(), w.officerActor, once, NOW)]);
    expect(a).toEqual(b);
    expect(await db().selectFrom('story').select('id').where('source_id', '=', w.ret.id).execute()).toHaveLength(1);
  });

  it('drafts from a delivered or confirmed pledge: the VCSE organisation and the pledge’s contract', async () => {
    const w = await storyWorld();
    const pledge = await makePledge(w.supplier.id, w.contractor.id, { status: 'confirmed', contractId: w.contract.id });
    const item = await db().selectFrom('wishlist_item').select('organisation_id').where('id', '=', pledge.itemId).executeTakeFirstOrThrow();
    const found = await findStorySource(db(), { type: 'pledge', id: pledge.id });
    expect(found).toMatchObject({ contractId: w.contract.id, organisationId: item.organisation_id, body: 'Twenty food parcels' });
    const offered = await makePledge(w.supplier.id, w.contractor.id, { status: 'offered' });
    expect(await findStorySource(db(), { type: 'pledge', id: offered.id })).toBeUndefined();
  });
});

describe('candidates', () => {
  it('lists approved returns and delivered or confirmed pledges flagged as a story, until a story is drafted from them', async () => {
    const w = await storyWorld();
    const unflagged = await storyWorld({ isStory: false });
    const pledge = await makePledge(w.supplier.id, w.contractor.id, { status: 'delivered' });
    await db().updateTable('pledge').set({ is_story: 1, delivered_at: new Date().toISOString() }).where('id', '=', pledge.id).execute();
    const offered = await makePledge(w.supplier.id, w.contractor.id, { status: 'offered' });
    await db().updateTable('pledge').set({ is_story: 1 }).where('id', '=', offered.id).execute();
    const sources = (await listStoryCandidates(db())).map((c) => c.source);
    expect(sources).toContain(`progress_return:${w.ret.id}`);
    expect(sources).toContain(`pledge:${pledge.id}`);
    expect(sources).not.toContain(`progress_return:${unflagged.ret.id}`);
    expect(sources).not.toContain(`pledge:${offered.id}`);
    await createStory(db(), { type: 'progress_return', id: w.ret.id }, input(), w.officerActor, undefined, NOW);
    expect((await listStoryCandidates(db())).map((c) => c.source)).not.toContain(`progress_return:${w.ret.id}`);
  });
});

describe('editing, publishing and unpublishing', () => {
  async function draft() {
    const w = await storyWorld();
    const result = await createStory(db(), { type: 'progress_return', id: w.ret.id }, input(), w.officerActor, undefined, NOW);
    return { ...w, id: (result as { id: string }).id };
  }

  it('publishes once (a second publish is a conflict), keeps the first publication date, unpublishes, and audits each', async () => {
    const w = await draft();
    expect(await findPublishedStory(db(), w.id)).toBeUndefined();
    expect(await publishStory(db(), w.id, w.officerActor, NOW)).toEqual({ ok: true, id: w.id });
    expect(await publishStory(db(), w.id, w.officerActor, NOW)).toMatchObject({ ok: false, reason: 'conflict' });
    expect((await findPublishedStory(db(), w.id))?.publishedAt).toBe(NOW.toISOString());
    expect(await unpublishStory(db(), w.id, w.officerActor)).toEqual({ ok: true, id: w.id });
    expect(await unpublishStory(db(), w.id, w.officerActor)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await findPublishedStory(db(), w.id)).toBeUndefined();
    await publishStory(db(), w.id, w.officerActor, new Date('2027-01-10T00:00:00Z'));
    expect((await storyRow(w.id)).published_at).toBe(NOW.toISOString());
    expect((await audits(w.id)).map((a) => a.action)).toEqual(['story.created', 'story.published', 'story.unpublished', 'story.published']);
  });

  it('edits the text and consent; a stale form is refused', async () => {
    const w = await draft();
    const before = await storyRow(w.id);
    expect(await updateStory(db(), w.id, input({ title: 'New title', version: before.updated_at }), w.officerActor, new Date(NOW.getTime() + 1000))).toEqual({ ok: true, id: w.id });
    expect((await storyRow(w.id)).title).toBe('New title');
    expect(await updateStory(db(), w.id, input({ version: before.updated_at }), w.officerActor, NOW)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await updateStory(db(), randomUUID(), input(), w.officerActor, NOW)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('sets and removes a photo with its alt text', async () => {
    const w = await draft();
    const sha = 'a'.repeat(64);
    await setStoryPhoto(db(), w.id, { sha256: sha, contentType: 'image/jpeg', alt: 'Two apprentices on site' }, w.officerActor);
    expect(await storyRow(w.id)).toMatchObject({ photo_sha256: sha, photo_alt: 'Two apprentices on site' });
    await removeStoryPhoto(db(), w.id, w.officerActor);
    expect(await storyRow(w.id)).toMatchObject({ photo_sha256: null, photo_alt: null });
    expect((await audits(w.id)).map((a) => a.action)).toEqual(['story.created', 'story.photo_set', 'story.photo_removed']);
  });

  it('refuses a change without a signed-in user', async () => {
    const w = await draft();
    await expect(publishStory(db(), w.id, { userId: null, organisationId: null })).rejects.toThrow();
  });
});

describe('public lists', () => {
  it('shows only published stories, on their contract, organisation or wishlist item', async () => {
    const officer = await makeUser('officer');
    const contract = await makeContract();
    const published = await makeStory({ contractId: contract.id, organisationId: contract.supplierId, createdBy: officer.id });
    const draftStory = await makeStory({ contractId: contract.id, createdBy: officer.id, status: 'draft' });
    const gone = await makeStory({ contractId: contract.id, createdBy: officer.id, status: 'unpublished' });
    const ids = (await storiesFor(db(), { contractId: contract.id })).map((s) => s.id);
    expect(ids).toEqual([published.id]);
    expect((await storiesFor(db(), { organisationId: contract.supplierId })).map((s) => s.id)).toEqual([published.id]);
    const all = (await listPublishedStories(db(), 1, 1000)).stories.map((s) => s.id);
    expect(all).toContain(published.id);
    expect(all).not.toContain(draftStory.id);
    expect(all).not.toContain(gone.id);

    const supplierUser = await makeUser('contractor', { organisationId: contract.supplierId });
    const pledge = await makePledge(contract.supplierId, supplierUser.id, { status: 'confirmed' });
    const pledgeStory = await makeStory({ sourceType: 'pledge', sourceId: pledge.id, createdBy: officer.id });
    expect((await storiesFor(db(), { itemId: pledge.itemId })).map((s) => s.id)).toEqual([pledgeStory.id]);
  });
});
