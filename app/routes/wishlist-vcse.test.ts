import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeUser, makeWard } from '../../tests/support/factories';
import { makeItem, makeTheme, makeVcse } from '../../tests/support/factories-wishlist';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { storePhoto } from '~/modules/photos/photos.server';
import { loadEnv } from '~/utils/env.server';
import * as itemPage from './organisation_.wishlist.$itemId._index';
import * as editPage from './organisation_.wishlist.$itemId.edit';
import * as listPage from './organisation_.wishlist._index';
import * as newPage from './organisation_.wishlist.new';
import * as profilePage from './organisation_.edit';
import * as moderatePage from './officer.wishlist.$itemId';
import * as queuePage from './officer.wishlist._index';
import * as photoRoute from './wishlist_.$itemId.photo';

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-wishlist-routes-'));
  loadEnv();
});

const itemForm = (theme: string, extra: Record<string, string> = {}) => ({
  title: 'Laptops for homework club', description: 'Six laptops', category: 'goods', theme, estimatedValue: '£1,200', quantityDetail: '6 laptops',
  'neededBy.day': '31', 'neededBy.month': '3', 'neededBy.year': '2030', ...extra,
});

function multipart(url: string, cookie: string, fields: Record<string, string>, photo?: { name: string; bytes: Buffer }): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (photo) form.append('photo', new Blob([new Uint8Array(photo.bytes)], { type: 'image/jpeg' }), photo.name);
  return new Request(`http://localhost:3000${url}`, { method: 'POST', body: form, headers: { Cookie: cookie } });
}

describe('a VCSE user and their organisation’s items', () => {
  it('cannot see, change or act on another organisation’s item (404)', async () => {
    const { user } = await makeVcse();
    const other = await makeVcse();
    const theirs = await makeItem(other.org.id, { status: 'published' });
    const cookie = await cookieFor(user.id);
    const params = { itemId: theirs.id };
    expect((await run(itemPage.loader, makeRequest(`/organisation/wishlist/${theirs.id}`, { cookie }), params)).status).toBe(404);
    expect((await run(editPage.loader, makeRequest(`/organisation/wishlist/${theirs.id}/edit`, { cookie }), params)).status).toBe(404);
    expect((await run(itemPage.action, makeRequest(`/organisation/wishlist/${theirs.id}`, { cookie, method: 'POST', form: { intent: 'withdraw' } }), params)).status).toBe(404);
    expect((await run(editPage.action, makeRequest(`/organisation/wishlist/${theirs.id}/edit`, { cookie, method: 'POST', form: itemForm(await makeTheme()) }), params)).status).toBe(404);
    const list = await run(listPage.loader, makeRequest('/organisation/wishlist', { cookie }));
    expect((list.data as { items: unknown[] }).items).toEqual([]);
    expect((await getDb().selectFrom('wishlist_item').select('status').where('id', '=', theirs.id).executeTakeFirstOrThrow()).status).toBe('published');
  });

  it('adds a draft (once for a repeated submission key), then submits it', async () => {
    const { user } = await makeVcse();
    const cookie = await cookieFor(user.id);
    const theme = await makeTheme();
    const submissionKey = crypto.randomUUID();
    const first = await run(newPage.action, makeRequest('/organisation/wishlist/new', { cookie, method: 'POST', form: { ...itemForm(theme), submissionKey } }));
    const second = await run(newPage.action, makeRequest('/organisation/wishlist/new', { cookie, method: 'POST', form: { ...itemForm(theme), submissionKey } }));
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    const id = first.location!.match(/wishlist\/([^?]+)/)![1]!;
    const item = await getDb().selectFrom('wishlist_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'draft', estimated_value_pence: 120_000, needed_by: '2030-03-31', organisation_id: user.organisationId });
    const submitted = await run(itemPage.action, makeRequest(`/organisation/wishlist/${id}`, { cookie, method: 'POST', form: { intent: 'submit' } }), { itemId: id });
    expect(submitted.location).toBe(`/organisation/wishlist/${id}?done=submitted`);
  });

  it('shows every problem by its field, keeping what was typed (400)', async () => {
    const { user } = await makeVcse();
    const cookie = await cookieFor(user.id);
    const outcome = await run(newPage.action, makeRequest('/organisation/wishlist/new', { cookie, method: 'POST', form: { title: '', estimatedValue: 'lots', 'neededBy.day': '31', 'neededBy.month': '2', 'neededBy.year': '2030' } }));
    expect(outcome.status).toBe(400);
    const errors = (outcome.data as { error: Record<string, string[]> }).error;
    expect(Object.keys(errors).sort()).toEqual(['category', 'description', 'estimatedValue', 'neededBy', 'theme', 'title']);
  });

  it('takes a photo with a description, resized, and refuses a file that is not an image', async () => {
    const { user } = await makeVcse();
    const cookie = await cookieFor(user.id);
    const theme = await makeTheme();
    const big = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    const refused = await run(newPage.action, multipart('/organisation/wishlist/new', cookie, itemForm(theme, { photoAlt: 'x' }), { name: 'photo.jpg', bytes: Buffer.from('not really a jpeg') }));
    expect(refused.status).toBe(415);
    expect((refused.data as { error: Record<string, string[]> }).error.photo?.[0]).toContain('JPEG, PNG or WebP');
    const noAlt = await run(newPage.action, multipart('/organisation/wishlist/new', cookie, itemForm(theme), { name: 'photo.jpg', bytes: big }));
    expect(noAlt.status).toBe(400);
    expect(Object.keys((noAlt.data as { error: Record<string, string[]> }).error)).toContain('photoAlt');
    const ok = await run(newPage.action, multipart('/organisation/wishlist/new', cookie, itemForm(theme, { photoAlt: 'A blue square' }), { name: 'photo.jpg', bytes: big }));
    expect(ok.status).toBe(303);
    const id = ok.location!.match(/wishlist\/([^?]+)/)![1]!;
    const photo = await run(photoRoute.loader, makeRequest(`/wishlist/${id}/photo`, { cookie }), { itemId: id });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('Cache-Control')).toBe('private, no-store');
    const row = await getDb().selectFrom('wishlist_item').select(['photo_alt', 'photo_content_type']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ photo_alt: 'A blue square', photo_content_type: 'image/jpeg' });
  });
});

describe('/wishlist/:itemId/photo', () => {
  it('is public for a public item, and 404 for a draft except to its own organisation', async () => {
    const { org, user } = await makeVcse();
    const stored = await storePhoto(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer());
    if (!stored.ok) throw new Error(stored.message);
    const photo = { sha256: stored.sha256, contentType: stored.contentType, alt: 'Red' };
    const live = await makeItem(org.id, { status: 'published', photo });
    const draft = await makeItem(org.id, { photo });
    const submitted = await makeItem(org.id, { status: 'submitted', photo });
    const get = async (id: string, cookie?: string) => run(photoRoute.loader, makeRequest(`/wishlist/${id}/photo`, { cookie }), { itemId: id });
    const pub = await get(live.id);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('Cache-Control')).toBe('public, no-cache');
    expect(pub.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const etag = pub.headers.get('ETag')!;
    const revalidate = (id: string) => run(photoRoute.loader, new Request(`http://localhost:3000/wishlist/${id}/photo`, { headers: { 'If-None-Match': etag } }), { itemId: id });
    expect((await revalidate(live.id)).status).toBe(304);
    const officer = await cookieFor((await makeUser('officer')).id);
    const stranger = await cookieFor((await makeVcse()).user.id);
    expect((await get(draft.id)).status).toBe(404);
    expect((await get(draft.id, stranger)).status).toBe(404);
    expect((await get(draft.id, officer)).status).toBe(404);
    expect((await get(draft.id, await cookieFor(user.id))).status).toBe(200);
    expect((await get(submitted.id, officer)).status).toBe(200);
    expect((await get(submitted.id, stranger)).status).toBe(404);
    expect((await get(crypto.randomUUID())).status).toBe(404);
  });

  it('leaves every cache at once when its item stops being public: a cache revalidating it is told 404', async () => {
    const { org } = await makeVcse();
    const stored = await storePhoto(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#00ff00' } }).png().toBuffer());
    if (!stored.ok) throw new Error(stored.message);
    const item = await makeItem(org.id, { status: 'published', photo: { sha256: stored.sha256, contentType: stored.contentType, alt: 'Green' } });
    const first = await run(photoRoute.loader, makeRequest(`/wishlist/${item.id}/photo`), { itemId: item.id });
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).not.toMatch(/max-age=[1-9]/);
    await getDb().updateTable('wishlist_item').set({ status: 'withdrawn' }).where('id', '=', item.id).execute();
    const again = await run(photoRoute.loader, new Request(`http://localhost:3000/wishlist/${item.id}/photo`, { headers: { 'If-None-Match': first.headers.get('ETag')! } }), { itemId: item.id });
    expect(again.status).toBe(404);
  });
});

describe('officer moderation pages', () => {
  it('answers 409 to a decision on a submitted item its organisation edited after the officer opened it', async () => {
    const { org, user } = await makeVcse();
    const theme = await makeTheme();
    const item = await makeItem(org.id, { status: 'submitted', theme });
    const officer = await cookieFor((await makeUser('officer')).id);
    const params = { itemId: item.id };
    const page = await run(moderatePage.loader, makeRequest(`/officer/wishlist/${item.id}`, { cookie: officer }), params);
    const version = (page.data as { item: { updatedAt: string } }).item.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const edited = await run(editPage.action, makeRequest(`/organisation/wishlist/${item.id}/edit`, { cookie: await cookieFor(user.id), method: 'POST', form: itemForm(theme, { title: 'Something else entirely', version }) }), params);
    expect(edited.status).toBe(303);
    const row = await getDb().selectFrom('wishlist_item').select(['status', 'title']).where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', title: 'Something else entirely' });
    const decided = await run(moderatePage.action, makeRequest(`/officer/wishlist/${item.id}`, { cookie: officer, method: 'POST', form: { intent: 'decide', decision: 'approve', version } }), params);
    expect(decided.status).toBe(409);
    expect((await getDb().selectFrom('wishlist_item').select('status').where('id', '=', item.id).executeTakeFirstOrThrow()).status).toBe('submitted');
  });

  it('lists the queue, approves once and answers a second decision with 409', async () => {
    const { org } = await makeVcse();
    const item = await makeItem(org.id, { status: 'submitted' });
    const cookie = await cookieFor((await makeUser('officer')).id);
    const queue = await run(queuePage.loader, makeRequest('/officer/wishlist', { cookie }));
    expect((queue.data as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(item.id);
    const params = { itemId: item.id };
    const noReason = await run(moderatePage.action, makeRequest(`/officer/wishlist/${item.id}`, { cookie, method: 'POST', form: { intent: 'decide', decision: 'reject' } }), params);
    expect(noReason.status).toBe(400);
    const approved = await run(moderatePage.action, makeRequest(`/officer/wishlist/${item.id}`, { cookie, method: 'POST', form: { intent: 'decide', decision: 'approve' } }), params);
    expect(approved.location).toBe(`/officer/wishlist?done=approve&item=${item.id}`);
    const again = await run(moderatePage.action, makeRequest(`/officer/wishlist/${item.id}`, { cookie, method: 'POST', form: { intent: 'decide', decision: 'reject', reason: 'Late' } }), params);
    expect(again.status).toBe(409);
  });

  it('does not show a draft to staff (404)', async () => {
    const { org } = await makeVcse();
    const draft = await makeItem(org.id);
    const cookie = await cookieFor((await makeUser('admin')).id);
    expect((await run(moderatePage.loader, makeRequest(`/officer/wishlist/${draft.id}`, { cookie }), { itemId: draft.id })).status).toBe(404);
  });
});

describe('/organisation/edit', () => {
  it('saves the profile, audited, and refuses a bad website by the field', async () => {
    const { user, org } = await makeVcse('pending');
    const ward = await makeWard();
    const cookie = await cookieFor(user.id);
    const form = { name: 'Renamed Pantry', description: 'Food for all', wardId: ward.id, website: 'pantry.example.org', charityNumber: '1187654', contactName: 'Amina', contactEmail: 'amina@example.org' };
    const bad = await run(profilePage.action, makeRequest('/organisation/edit', { cookie, method: 'POST', form: { ...form, website: 'javascript:alert(1)' } }));
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { error: Record<string, string[]> }).error)).toEqual(['website']);
    const ok = await run(profilePage.action, makeRequest('/organisation/edit', { cookie, method: 'POST', form }));
    expect(ok.location).toBe('/organisation?done=profile');
    const row = await getDb().selectFrom('organisation').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Renamed Pantry', website: 'https://pantry.example.org/', ward_id: ward.id, status: 'pending' });
    const audit = await getDb().selectFrom('audit_event').select(['action', 'actor_user_id']).where('subject_id', '=', org.id).execute();
    expect(audit).toEqual([{ action: 'organisation.profile_updated', actor_user_id: user.id }]);
  });

  it('refuses changes for a rejected organisation (409)', async () => {
    const { user } = await makeVcse('rejected');
    const ward = await makeWard();
    const cookie = await cookieFor(user.id);
    const outcome = await run(profilePage.action, makeRequest('/organisation/edit', { cookie, method: 'POST', form: { name: 'X', description: 'Y', wardId: ward.id, contactName: 'Z', contactEmail: 'z@example.org' } }));
    expect(outcome.status).toBe(409);
  });
});
