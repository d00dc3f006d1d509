import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser, makeWard } from '../../../tests/support/factories';
import { makeItem, makePledge, makeTheme, makeVcse } from '../../../tests/support/factories-wishlist';
import { expireWishlistItems } from './expiry.server';
import { correctItem, countOrganisationsAwaitingVerification, decideItem, findItemForModeration, listModerationQueue } from './moderation.server';

const actorOf = (u: { id: string; organisationId: string }) => ({ userId: u.id, organisationId: u.organisationId, requestId: null });
const mailTo = (email: string) => getDb().selectFrom('notification').select(['subject', 'body_text', 'dedupe_key']).where('to_email', '=', email).execute();

describe('the moderation queue', () => {
  it('lists submitted items oldest first, never drafts or decided items', async () => {
    const { org } = await makeVcse();
    const newer = await makeItem(org.id, { status: 'submitted', submittedAt: '2026-11-20T10:00:00.000Z' });
    const older = await makeItem(org.id, { status: 'submitted', submittedAt: '2026-11-01T10:00:00.000Z' });
    const draft = await makeItem(org.id);
    const published = await makeItem(org.id, { status: 'published' });
    const { items } = await listModerationQueue(getDb(), 1, 1000);
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(published.id);
    expect(await findItemForModeration(getDb(), draft.id)).toBeUndefined();
  });

  it('counts VCSE organisations awaiting verification', async () => {
    const before = await countOrganisationsAwaitingVerification(getDb());
    await makeVcse('pending');
    expect(await countOrganisationsAwaitingVerification(getDb())).toBe(before + 1);
  });
});

describe('decideItem', () => {
  it('will not publish an item whose needed-by date passed while it waited (a field error on the decision); rejecting it is still possible', async () => {
    const { org } = await makeVcse();
    const officer = await makeUser('officer');
    const item = await makeItem(org.id, { status: 'submitted', neededBy: '2026-11-20' });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'approve' }, '2026-11-25')).toMatchObject({ ok: false, reason: 'invalid', field: 'decision' });
    expect((await findItemForModeration(getDb(), item.id))?.status).toBe('submitted');
    const dueToday = await makeItem(org.id, { status: 'submitted', neededBy: '2026-11-25' });
    expect(await decideItem(getDb(), actorOf(officer), dueToday.id, { decision: 'approve' }, '2026-11-25')).toMatchObject({ ok: true, status: 'published' });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'reject', reason: 'The date has passed' }, '2026-11-25')).toMatchObject({ ok: true, status: 'rejected' });
  });

  it('approves an item that has accepted pledges covering its estimate as pledged (defence: editing such an item is refused)', async () => {
    const { org } = await makeVcse();
    const officer = await makeUser('officer');
    // Set up directly: a submitted item with an accepted pledge can no longer be reached through the services.
    const item = await makeItem(org.id, { status: 'submitted', valuePence: 30_000 });
    await makePledge(item.id, { status: 'accepted', valuePence: 30_000 });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'approve' })).toMatchObject({ ok: true, status: 'pledged' });
    expect((await findItemForModeration(getDb(), item.id))?.status).toBe('pledged');
    const uncovered = await makeItem(org.id, { status: 'submitted', valuePence: 50_000 });
    await makePledge(uncovered.id, { status: 'accepted', valuePence: 30_000 });
    expect(await decideItem(getDb(), actorOf(officer), uncovered.id, { decision: 'approve' })).toMatchObject({ ok: true, status: 'published' });
  });

  it('approves: published, decided by the officer, audited, every active user of the organisation emailed once', async () => {
    const { org, user } = await makeVcse();
    const colleague = await makeUser('vcse', { organisationId: org.id });
    const officer = await makeUser('officer');
    const item = await makeItem(org.id, { status: 'submitted' });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'approve' })).toMatchObject({ ok: true, status: 'published' });
    const row = await findItemForModeration(getDb(), item.id);
    expect(row).toMatchObject({ status: 'published', decided_by: officer.id });
    expect(row?.published_at).toBeTruthy();
    for (const u of [user, colleague]) {
      const mail = await mailTo(u.email);
      expect(mail).toHaveLength(1);
      expect(mail[0]!.subject).toContain('is live');
    }
    const audit = await getDb().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', item.id).execute();
    expect(audit).toEqual([{ action: 'wishlist.approved', actor_user_id: officer.id }]);
  });

  it('rejects only with a reason, which the organisation is sent', async () => {
    const { org, user } = await makeVcse();
    const officer = await makeUser('officer');
    const item = await makeItem(org.id, { status: 'submitted' });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'reject' })).toMatchObject({ ok: false, reason: 'invalid', field: 'reason' });
    expect(await decideItem(getDb(), actorOf(officer), item.id, { decision: 'reject', reason: 'Please give a realistic value' })).toMatchObject({ ok: true, status: 'rejected' });
    expect(await findItemForModeration(getDb(), item.id)).toMatchObject({ status: 'rejected', decision_reason: 'Please give a realistic value' });
    expect((await mailTo(user.email))[0]!.body_text).toContain('Please give a realistic value');
  });

  it('answers a second decision, or one on a resubmitted item, with a conflict', async () => {
    const { org } = await makeVcse();
    const [a, b] = [await makeUser('officer'), await makeUser('admin')];
    const item = await makeItem(org.id, { status: 'submitted' });
    const results = await Promise.all([
      decideItem(getDb(), actorOf(a), item.id, { decision: 'approve' }),
      decideItem(getDb(), actorOf(b), item.id, { decision: 'reject', reason: 'No' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'conflict' });
    const other = await makeItem(org.id, { status: 'submitted' });
    expect(await decideItem(getDb(), actorOf(a), other.id, { decision: 'approve', version: '2000-01-01T00:00:00.000Z' })).toMatchObject({ ok: false, reason: 'conflict' });
  });

  it('will not approve an item of an organisation that is not verified', async () => {
    const { org } = await makeVcse('pending');
    const item = await makeItem(org.id, { status: 'submitted' });
    expect(await decideItem(getDb(), actorOf(await makeUser('officer')), item.id, { decision: 'approve' })).toMatchObject({ ok: false, reason: 'unverified' });
  });
});

describe('correctItem', () => {
  it('changes the category, theme or ward of a live item with a reason, audited, and tells the organisation', async () => {
    const { org, user } = await makeVcse();
    const officer = await makeUser('officer');
    const theme = await makeTheme('Environment');
    const ward = await makeWard();
    const item = await makeItem(org.id, { status: 'pledged', theme: await makeTheme() });
    const result = await correctItem(getDb(), actorOf(officer), item.id, { category: 'skills', theme, wardId: ward.id, reason: 'Filed under the wrong theme' });
    expect(result).toMatchObject({ ok: true, status: 'pledged' });
    expect(await findItemForModeration(getDb(), item.id)).toMatchObject({ category: 'skills', theme, ward_id: ward.id, status: 'pledged' });
    const audit = await getDb().selectFrom('audit_event').select(['action', 'before_json', 'after_json']).where('subject_id', '=', item.id).executeTakeFirstOrThrow();
    expect(audit.action).toBe('wishlist.corrected');
    expect(JSON.parse(audit.after_json!)).toMatchObject({ category: 'skills', reason: 'Filed under the wrong theme' });
    expect((await mailTo(user.email))[0]!.body_text).toContain('Filed under the wrong theme');
  });

  it('refuses items that are not live, unknown themes and no change', async () => {
    const { org } = await makeVcse();
    const officer = await makeUser('officer');
    const theme = await makeTheme();
    const submitted = await makeItem(org.id, { status: 'submitted', theme });
    expect(await correctItem(getDb(), actorOf(officer), submitted.id, { category: 'goods', theme, reason: 'x' })).toMatchObject({ ok: false, reason: 'conflict' });
    const live = await makeItem(org.id, { status: 'published', theme });
    expect(await correctItem(getDb(), actorOf(officer), live.id, { category: 'goods', theme: 'Nope', reason: 'x' })).toMatchObject({ ok: false, field: 'theme' });
    expect(await correctItem(getDb(), actorOf(officer), live.id, { category: 'goods', theme, reason: 'x' })).toMatchObject({ ok: false, field: 'category' });
  });
});

describe('expireWishlistItems', () => {
  it('expires open items whose needed-by date has passed, audited as the system, the organisation told once', async () => {
    const { org, user } = await makeVcse();
    const late = await makeItem(org.id, { status: 'published', neededBy: '2026-11-24' });
    const latePledged = await makeItem(org.id, { status: 'pledged', neededBy: '2026-10-01' });
    const today = await makeItem(org.id, { status: 'published', neededBy: '2026-11-25' });
    const draft = await makeItem(org.id, { neededBy: '2026-01-01' });
    await expireWishlistItems(getDb(), '2026-11-25');
    const again = await expireWishlistItems(getDb(), '2026-11-25');
    expect(again.expired).toBe(0);
    const statuses = Object.fromEntries((await getDb().selectFrom('wishlist_item').select(['id', 'status']).where('organisation_id', '=', org.id).execute()).map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ [late.id]: 'expired', [latePledged.id]: 'expired', [today.id]: 'published', [draft.id]: 'draft' });
    const audit = await getDb().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', late.id).execute();
    expect(audit).toEqual([{ action: 'wishlist.expired', actor_user_id: null }]);
    expect((await mailTo(user.email)).filter((m) => m.subject.includes('expired'))).toHaveLength(2);
  });
});
