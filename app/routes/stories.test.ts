import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeStory, storyWorld } from '../../tests/support/factories-stories';
import { makeUser } from '../../tests/support/factories';
import { makePledge } from '../../tests/support/factories-claims';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { londonToday } from '~/modules/contracts/dates';
import { quarterChoices } from '~/modules/newsletters/newsletters.schema';
import { loadEnv } from '~/utils/env.server';
import * as account from './account._index';
import * as contractPage from './contracts.$contractId._index';
import * as itemPage from './wishlist.$itemId._index';
import * as newsletterArchive from './newsletters._index';
import * as publicNewsletter from './newsletters.$newsletterId';
import * as editNewsletter from './officer.newsletters.$newsletterId';
import * as newNewsletter from './officer.newsletters.new';
import * as editStory from './officer.stories.$storyId';
import * as storiesPage from './officer.stories._index';
import * as newStory from './officer.stories.new';
import * as photo from './stories.$storyId.photo';
import * as publicStory from './stories.$storyId._index';
import * as publicStories from './stories._index';

type Reply = { status?: string; error?: Record<string, string[] | null> };

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'svp-story-routes-'));
  loadEnv();
});

const db = () => getDb();
const staff = async (role: 'officer' | 'admin' = 'officer') => {
  const user = await makeUser(role);
  return { ...user, cookie: await cookieFor(user.id) };
};
const storyForm = (over: Record<string, string> = {}) => ({
  submissionKey: randomUUID(), title: 'Apprentices at Eastfield', body: 'Two apprentices started.', consentNote: 'Both agreed by email',
  'consentDate.day': '3', 'consentDate.month': '11', 'consentDate.year': '2026', ...over,
});

describe('drafting and publishing through the pages', () => {
  it('drafts from a candidate (one story for a double submit), publishes it, and only then shows it publicly', async () => {
    const w = await storyWorld();
    const officer = await staff();
    const list = await run(storiesPage.loader, makeRequest('/officer/stories', { cookie: officer.cookie }));
    expect((list.data as { candidates: Array<{ source: string }> }).candidates.map((c) => c.source)).toContain(`progress_return:${w.ret.id}`);

    const url = `/officer/stories/new?source=progress_return:${w.ret.id}`;
    const page = await run(newStory.loader, makeRequest(url, { cookie: officer.cookie }));
    expect(page.data).toMatchObject({ body: 'Two apprentices from Eastfield started with us this quarter.' });
    const form = storyForm();
    const [a, b] = await Promise.all([1, 2].map(() => run(newStory.action, makeRequest(url, { method: 'POST', cookie: officer.cookie, form }))));
    expect(a!.status).toBe(303);
    expect(b!.location?.split('?')[0]).toBe(a!.location?.split('?')[0]);
    const storyId = a!.location!.split('/').pop()!.split('?')[0]!;
    // Opening the source again leads to its story.
    expect((await run(newStory.loader, makeRequest(url, { cookie: officer.cookie }))).location).toBe(`/officer/stories/${storyId}`);

    const params = { storyId };
    expect((await run(publicStory.loader, makeRequest(`/stories/${storyId}`), params)).status).toBe(404);
    const publish = await run(editStory.action, makeRequest(`/officer/stories/${storyId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'publish' } }), params);
    expect(publish.location).toBe(`/officer/stories/${storyId}?done=published`);
    expect((await run(editStory.action, makeRequest(`/officer/stories/${storyId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'publish' } }), params)).status).toBe(409);
    expect((await run(publicStory.loader, makeRequest(`/stories/${storyId}`), params)).status).toBe(200);
    const all = await run(publicStories.loader, makeRequest('/stories?page=1'));
    expect((all.data as { stories: Array<{ id: string }> }).stories.map((s) => s.id)).toContain(storyId);

    await run(editStory.action, makeRequest(`/officer/stories/${storyId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'unpublish' } }), params);
    expect((await run(publicStory.loader, makeRequest(`/stories/${storyId}`), params)).status).toBe(404);
  });

  it('needs consent: the form without a consent note or date is 400 with the messages by the fields', async () => {
    const w = await storyWorld();
    const officer = await staff();
    const url = `/officer/stories/new?source=progress_return:${w.ret.id}`;
    const outcome = await run(newStory.action, makeRequest(url, { method: 'POST', cookie: officer.cookie, form: storyForm({ consentNote: '', 'consentDate.day': '', 'consentDate.month': '', 'consentDate.year': '' }) }));
    expect(outcome.status).toBe(400);
    const error = (outcome.data as Reply).error!;
    expect(error.consentNote?.[0]).toMatch(/who gave consent/);
    expect(error.consentDate?.[0]).toMatch(/Enter the date consent was given/);
    expect(await db().selectFrom('story').select('id').where('source_id', '=', w.ret.id).execute()).toEqual([]);
  });

  it('404s a source that is not an approved return or delivered pledge', async () => {
    const officer = await staff();
    for (const source of ['nonsense', `progress_return:${randomUUID()}`, `pledge:${randomUUID()}`]) {
      expect((await run(newStory.loader, makeRequest(`/officer/stories/new?source=${source}`, { cookie: officer.cookie }))).status).toBe(404);
    }
  });

  it('uploads a photo with alt text (required), served publicly only once published', async () => {
    const officer = await staff();
    const story = await makeStory({ status: 'draft' });
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
    const upload = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('photo', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'site.png');
      return new Request(`http://localhost:3000/officer/stories/${story.id}`, { method: 'POST', headers: { Cookie: officer.cookie }, body: form });
    };
    const missingAlt = await run(editStory.action, upload({ intent: 'photo' }), { storyId: story.id });
    expect(missingAlt.status).toBe(400);
    expect((missingAlt.data as { result: Reply }).result.error?.photoAlt?.[0]).toMatch(/Describe the photo/);
    const ok = await run(editStory.action, upload({ intent: 'photo', photoAlt: 'Apprentices on site' }), { storyId: story.id });
    expect(ok.location).toBe(`/officer/stories/${story.id}?done=photo`);

    const anonymous = await run(photo.loader, makeRequest(`/stories/${story.id}/photo`), { storyId: story.id });
    expect(anonymous.status).toBe(404);
    const contractor = await makeUser('contractor');
    expect((await run(photo.loader, makeRequest(`/stories/${story.id}/photo`, { cookie: await cookieFor(contractor.id) }), { storyId: story.id })).status).toBe(404);
    const forStaff = await run(photo.loader, makeRequest(`/stories/${story.id}/photo`, { cookie: officer.cookie }), { storyId: story.id });
    expect(forStaff.status).toBe(200);
    expect(forStaff.headers.get('Cache-Control')).toBe('private, no-store');
    await db().updateTable('story').set({ status: 'published', published_at: new Date().toISOString() }).where('id', '=', story.id).execute();
    const published = await run(photo.loader, makeRequest(`/stories/${story.id}/photo`), { storyId: story.id });
    expect(published.status).toBe(200);
    expect(published.headers.get('Content-Type')).toBe('image/png');
    // Not cached even while published: once unpublished (consent withdrawn) no shared cache may keep serving it.
    expect(published.headers.get('Cache-Control')).toBe('private, no-store');
    await db().updateTable('story').set({ status: 'unpublished' }).where('id', '=', story.id).execute();
    expect((await run(photo.loader, makeRequest(`/stories/${story.id}/photo`), { storyId: story.id })).status).toBe(404);
  });
});

describe('newsletters through the pages', () => {
  it('builds the quarter’s newsletter, previews the email, sends it once (a second send is 409) and publishes it', async () => {
    const officer = await staff('admin');
    // Last quarter (the page offers the current one and the seven before it), with a story published in it.
    const quarter = quarterChoices(londonToday())[1]!;
    const story = await makeStory({ publishedAt: `${quarter.start}T10:00:00.000Z`, title: 'A newsletter story' });
    const created = await run(newNewsletter.action, makeRequest('/officer/newsletters/new', { method: 'POST', cookie: officer.cookie, form: { quarter: quarter.start, submissionKey: randomUUID() } }));
    expect(created.status).toBe(303);
    const newsletterId = created.location!.split('/').pop()!.split('?')[0]!;
    const params = { newsletterId };
    expect((await run(publicNewsletter.loader, makeRequest(`/newsletters/${newsletterId}`), params)).status).toBe(404);

    const page = await run(editNewsletter.loader, makeRequest(`/officer/newsletters/${newsletterId}?confirm=send`, { cookie: officer.cookie }), params);
    const data = page.data as { email: string; confirming: boolean; offered: Array<{ id: string }> };
    expect(data.confirming).toBe(true);
    expect(data.email).toContain('A newsletter story');
    expect(data.offered.map((s) => s.id)).toContain(story.id);

    const bad = await run(editNewsletter.action, makeRequest(`/officer/newsletters/${newsletterId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'save', title: '' } }), params);
    expect(bad.status).toBe(400);
    // An order that is not a number is reported by the stories (not as a form error linked to the title), and nothing is saved.
    const badOrder = await run(editNewsletter.action, makeRequest(`/officer/newsletters/${newsletterId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'save', title: 'Spring news', story: story.id, [`position.${story.id}`]: 'first' } }), params);
    expect(badOrder.status).toBe(400);
    expect((badOrder.data as Reply).error?.stories?.[0]).toMatch(/whole number/);
    expect((badOrder.data as Reply).error?.['']).toBeFalsy();
    expect((await db().selectFrom('newsletter').select('title').where('id', '=', newsletterId).executeTakeFirstOrThrow()).title).not.toBe('Spring news');
    const saved = await run(editNewsletter.action, makeRequest(`/officer/newsletters/${newsletterId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'save', title: 'Spring news', introduction: 'Hello', story: story.id, [`position.${story.id}`]: '1' } }), params);
    expect(saved.location).toBe(`/officer/newsletters/${newsletterId}?done=saved`);

    const send = () => run(editNewsletter.action, makeRequest(`/officer/newsletters/${newsletterId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'send' } }), params);
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status].sort()).toEqual([303, 409]);
    const shown = await run(publicNewsletter.loader, makeRequest(`/newsletters/${newsletterId}`), params);
    expect(shown.status).toBe(200);
    expect((shown.data as { view: { title: string } }).view.title).toBe('Spring news');
    const archive = await run(newsletterArchive.loader, makeRequest('/newsletters'));
    expect((archive.data as { newsletters: Array<{ id: string }> }).newsletters.map((n) => n.id)).toContain(newsletterId);

    // A story taken down later (say consent was withdrawn) leaves the newsletter's web page too.
    expect((shown.data as { view: { stories: Array<{ id: string }> } }).view.stories.map((st) => st.id)).toEqual([story.id]);
    await db().updateTable('story').set({ status: 'unpublished' }).where('id', '=', story.id).execute();
    const after = await run(publicNewsletter.loader, makeRequest(`/newsletters/${newsletterId}`), params);
    expect((after.data as { view: { stories: unknown[] } }).view.stories).toEqual([]);
  });

  it('builds newsletters only for the quarters the page offers (not a future quarter, nor one older than the list)', async () => {
    const officer = await staff();
    const oldest = quarterChoices(londonToday()).at(-1)!.start;
    const tooOld = `${Number(oldest.slice(0, 4)) - 1}${oldest.slice(4)}`;
    for (const quarter of ['2099-04-01', tooOld]) {
      const outcome = await run(newNewsletter.action, makeRequest('/officer/newsletters/new', { method: 'POST', cookie: officer.cookie, form: { quarter, submissionKey: randomUUID() } }));
      expect(outcome.status).toBe(400);
      expect((outcome.data as Reply).error?.quarter?.[0]).toBe('Select a quarter from the list');
      expect(await db().selectFrom('newsletter').select('id').where('period_start', '=', quarter).execute()).toEqual([]);
    }
  });

  it('refuses to send a newsletter without a published story (422, nothing sent)', async () => {
    const officer = await staff();
    const created = await run(newNewsletter.action, makeRequest('/officer/newsletters/new', { method: 'POST', cookie: officer.cookie, form: { quarter: quarterChoices(londonToday()).at(-1)!.start, submissionKey: randomUUID() } }));
    const newsletterId = created.location!.split('/').pop()!.split('?')[0]!;
    const outcome = await run(editNewsletter.action, makeRequest(`/officer/newsletters/${newsletterId}`, { method: 'POST', cookie: officer.cookie, form: { intent: 'send' } }), { newsletterId });
    expect(outcome.status).toBe(422);
    expect((outcome.data as Reply).error?.['']?.[0]).toMatch(/at least one published story/);
    expect((await db().selectFrom('newsletter').select('status').where('id', '=', newsletterId).executeTakeFirstOrThrow()).status).toBe('draft');
  });
});

describe('account: the newsletter choice', () => {
  it('saves the opt-in and audits it', async () => {
    const user = await makeUser('vcse');
    const cookie = await cookieFor(user.id);
    const outcome = await run(account.action, makeRequest('/account?index', { method: 'POST', cookie, form: { intent: 'newsletter', newsletter: 'yes' } }));
    expect(outcome.location).toBe('/account?newsletter=saved');
    expect((await run(account.loader, makeRequest('/account', { cookie }))).data).toMatchObject({ newsletterOptIn: true });
    await run(account.action, makeRequest('/account?index', { method: 'POST', cookie, form: { intent: 'newsletter' } }));
    expect((await run(account.loader, makeRequest('/account', { cookie }))).data).toMatchObject({ newsletterOptIn: false });
    const actions = (await db().selectFrom('audit_event').select('action').where('subject_id', '=', user.id).orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(['user.newsletter_opted_in', 'user.newsletter_opted_out']);
  });
});

describe('stories on the pages they came from', () => {
  it('shows published stories (not drafts) on their contract’s page and their pledge’s wishlist item', async () => {
    const w = await storyWorld();
    const officer = await staff();
    const published = await makeStory({ contractId: w.contract.id, organisationId: w.supplier.id, title: 'On the contract' });
    await makeStory({ contractId: w.contract.id, organisationId: w.supplier.id, status: 'draft', title: 'A draft' });
    const page = await run(contractPage.loader, makeRequest(`/contracts/${w.contract.id}`, { cookie: officer.cookie }), { contractId: w.contract.id });
    expect((page.data as { stories: Array<{ id: string }> }).stories.map((s) => s.id)).toEqual([published.id]);

    const pledge = await makePledge(w.supplier.id, w.contractor.id, { status: 'confirmed' });
    const itemStory = await makeStory({ sourceType: 'pledge', sourceId: pledge.id, title: 'On the item' });
    const item = await run(itemPage.loader, makeRequest(`/wishlist/${pledge.itemId}`), { itemId: pledge.itemId });
    expect((item.data as { stories: Array<{ id: string }> }).stories.map((s) => s.id)).toEqual([itemStory.id]);
  });
});
