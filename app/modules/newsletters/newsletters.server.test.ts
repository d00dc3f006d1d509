import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeStory, storyWorld } from '../../../tests/support/factories-stories';
import { earnCredits } from '../../../tests/support/factories-credits';
import { makePledge } from '../../../tests/support/factories-claims';
import { makeUser } from '../../../tests/support/factories';
import { quarterFigures, creditsBookedBySupplier, creditsBookedPence, disclosedTotal, needsMetCount } from './newsletter-figures.server';
import { newsletterText, WITHHELD } from './newsletter-text';
import { chosenStories, parseFigures, quarterChoices, quarterStartingOn } from './newsletters.schema';
import { createNewsletter, newsletterRecipients, newsletterStories, offeredStories, findNewsletter, updateNewsletter } from './newsletters.server';
import { NO_STORIES, sendNewsletter } from './newsletter-send.server';
import { setNewsletterOptIn } from './opt-in.server';

const db = () => getDb();
const actorOf = (u: { id: string; organisationId: string }) => ({ userId: u.id, organisationId: u.organisationId, requestId: null });

/** Quarters are unique per newsletter, and every test file shares one database: each test takes a quarter of its own. */
let nextYear = 2016;
const freshQuarter = () => quarterStartingOn(`${nextYear++}-10-01`)!;

describe('quarters', () => {
  it('knows the financial quarters', () => {
    expect(quarterStartingOn('2026-10-01')).toMatchObject({ start: '2026-10-01', end: '2026-12-31', label: 'Q3 2026/27 (Oct to Dec 2026)' });
    expect(quarterStartingOn('2027-01-01')).toMatchObject({ end: '2027-03-31', quarter: 4, year: 2026 });
    expect(quarterStartingOn('2026-11-01')).toBeNull();
    expect(quarterChoices('2026-11-25', 3).map((q) => q.start)).toEqual(['2026-10-01', '2026-07-01', '2026-04-01']);
    expect(quarterChoices('2026-02-10', 2).map((q) => q.start)).toEqual(['2026-01-01', '2025-10-01']);
  });

  it('reads the chosen stories in the order given, blanks last, unknown ids ignored', () => {
    const form = new FormData();
    for (const id of ['a', 'b', 'c', 'x']) form.append('story', id);
    form.set('position.a', '3');
    form.set('position.b', '1');
    form.set('position.c', '');
    expect(chosenStories(form, ['a', 'b', 'c', 'd'])).toEqual({ ids: ['b', 'a', 'c'], problem: null });
    form.set('position.a', 'first');
    expect(chosenStories(form, ['a']).problem).toMatch(/whole number/);
  });
});

describe('building a newsletter', () => {
  it('starts with every story published in the quarter, oldest first; one per quarter; chosen and ordered by the officer', async () => {
    const q = freshQuarter();
    const officer = await makeUser('officer');
    const inside1 = await makeStory({ publishedAt: `${q.start}T09:00:00.000Z` });
    const inside2 = await makeStory({ publishedAt: `${q.end}T23:00:00.000Z` });
    const outside = await makeStory({ publishedAt: `${q.start.slice(0, 4)}-09-30T12:00:00.000Z` });
    const draft = await makeStory({ status: 'draft' });
    const created = await createNewsletter(db(), q.start, actorOf(officer));
    expect(created.ok).toBe(true);
    const id = (created as { id: string }).id;
    const ids = (await newsletterStories(db(), id, { publishedOnly: false })).map((s) => s.id);
    expect(ids).toEqual([inside1.id, inside2.id]);
    expect(ids).not.toContain(outside.id);
    expect(ids).not.toContain(draft.id);
    expect(await createNewsletter(db(), q.start, actorOf(officer))).toMatchObject({ ok: false, reason: 'conflict', id });

    expect((await offeredStories(db(), (await findNewsletter(db(), id))!)).map((s) => s.id)).toEqual([inside1.id, inside2.id]);
    expect(await updateNewsletter(db(), id, { title: 'Autumn news', introduction: 'Hello' }, [inside2.id, outside.id, inside1.id], actorOf(officer))).toEqual({ ok: true, id });
    expect((await newsletterStories(db(), id, { publishedOnly: false })).map((s) => s.id)).toEqual([inside2.id, inside1.id]);
    expect(await findNewsletter(db(), id)).toMatchObject({ title: 'Autumn news', introduction: 'Hello' });
    const actions = (await db().selectFrom('audit_event').select('action').where('subject_id', '=', id).execute()).map((a) => a.action);
    expect(actions).toEqual(['newsletter.created', 'newsletter.updated']);
  });

  it('makes one newsletter for a double-clicked form', async () => {
    const q = freshQuarter();
    const officer = await makeUser('officer');
    const once = { key: randomUUID(), userId: officer.id };
    const [a, b] = await Promise.all([createNewsletter(db(), q.start, actorOf(officer), once), createNewsletter(db(), q.start, actorOf(officer), once)]);
    expect(a).toEqual(b);
    expect(a.ok).toBe(true);
  });
});

describe('figures', () => {
  it('publishes a £ figure only under the disclosure rule: 3 suppliers or more, none above 80% (the newsletter is a public page)', () => {
    expect(disclosedTotal(new Map())).toBe(0);
    expect(disclosedTotal(new Map([['a', 0], ['b', 0]]))).toBe(0);
    expect(disclosedTotal(new Map([['a', 500]]))).toBeNull();
    expect(disclosedTotal(new Map([['a', 500], ['b', 500]]))).toBeNull();
    // Three suppliers, but only one with a share: that is one company's figure.
    expect(disclosedTotal(new Map([['a', 500], ['b', 0], ['c', 0]]))).toBeNull();
    expect(disclosedTotal(new Map([['a', 810], ['b', 100], ['c', 90]]))).toBeNull();
    expect(disclosedTotal(new Map([['a', 800], ['b', 100], ['c', 100]]))).toBe(1000);
  });

  it('counts delivered value from approved returns ending in the quarter (withheld while one supplier makes it), credits booked in it and needs met', async () => {
    const period = { start: '2019-07-01', end: '2019-09-30' };
    const supplierDelivers = async () => {
      const w = await storyWorld({ periodStart: period.start, periodEnd: period.end });
      await db().updateTable('contract').set({ start_date: '2019-04-01' }).where('id', '=', w.contract.id).execute();
      return w;
    };
    expect((await quarterFigures(db(), period)).deliveredPence).toBe(0);
    const w = await supplierDelivers();
    // 2 apprentices approved at £1,000 each, by one supplier: its own figure, so not shown.
    expect((await quarterFigures(db(), period)).deliveredPence).toBeNull();
    await supplierDelivers();
    expect((await quarterFigures(db(), period)).deliveredPence).toBeNull();
    await supplierDelivers();
    expect((await quarterFigures(db(), period)).deliveredPence).toBe(600_000);

    const txId = await earnCredits(w.contract.id, w.officer.id, 12_345);
    const booked = await db().selectFrom('ledger_transaction').select('booked_at').where('id', '=', txId).executeTakeFirstOrThrow();
    const bookedPeriod = { start: booked.booked_at.slice(0, 10), end: booked.booked_at.slice(0, 10) };
    // The only credits earned in this file's database.
    expect(await creditsBookedPence(db(), 'earned', bookedPeriod)).toBe(12_345);
    expect(await creditsBookedBySupplier(db(), 'earned', bookedPeriod)).toEqual(new Map([[w.supplier.id, 12_345]]));
    expect((await quarterFigures(db(), bookedPeriod)).creditsEarnedPence).toBeNull();
    expect(await creditsBookedPence(db(), 'earned', { start: '2019-07-01', end: '2019-09-30' })).toBe(0);
    expect(await creditsBookedPence(db(), 'claimed', { start: '1999-01-01', end: '1999-01-02' })).toBe(0);

    const today = new Date().toISOString().slice(0, 10);
    const needsBefore = await needsMetCount(db(), { start: today, end: today });
    await makePledge(w.supplier.id, w.contractor.id, { status: 'confirmed' });
    await makePledge(w.supplier.id, w.contractor.id, { status: 'delivered' });
    expect(await needsMetCount(db(), { start: today, end: today })).toBe(needsBefore + 1);
  });
});

describe('recipients and sending', () => {
  it('goes to active contractors and opted-in users, never deactivated ones, once each; a second send is a conflict', async () => {
    const q = freshQuarter();
    const officer = await makeUser('officer');
    const contractor = await makeUser('contractor');
    const gone = await makeUser('contractor');
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', gone.id).execute();
    const vcseIn = await makeUser('vcse');
    await setNewsletterOptIn(db(), vcseIn.id, true, actorOf(vcseIn));
    const vcseOut = await makeUser('vcse');
    const goneOptedIn = await makeUser('officer');
    await setNewsletterOptIn(db(), goneOptedIn.id, true, actorOf(goneOptedIn));
    await db().updateTable('user').set({ status: 'deactivated' }).where('id', '=', goneOptedIn.id).execute();
    const contractorOptedIn = await makeUser('contractor');
    await setNewsletterOptIn(db(), contractorOptedIn.id, true, actorOf(contractorOptedIn));

    const recipients = (await newsletterRecipients(db())).map((r) => r.id);
    expect(recipients).toEqual(expect.arrayContaining([contractor.id, vcseIn.id, contractorOptedIn.id]));
    for (const id of [gone.id, vcseOut.id, goneOptedIn.id, officer.id]) expect(recipients).not.toContain(id);
    expect(new Set(recipients).size).toBe(recipients.length);

    const story = await makeStory({ publishedAt: `${q.start}T10:00:00.000Z`, title: 'Apprentices at the depot' });
    const id = ((await createNewsletter(db(), q.start, actorOf(officer))) as { id: string }).id;
    const [first, second] = await Promise.all([sendNewsletter(db(), id, actorOf(officer)), sendNewsletter(db(), id, actorOf(officer))]);
    expect(first).toMatchObject({ ok: true, recipients: recipients.length });
    expect(second).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await sendNewsletter(db(), id, actorOf(officer))).toMatchObject({ ok: false, reason: 'conflict', message: expect.stringMatching(/already sent/) });

    const messages = await db().selectFrom('notification').select(['to_user_id', 'dedupe_key', 'body_text', 'subject', 'link']).where('kind', '=', 'newsletter').where('dedupe_key', 'like', `newsletter:${id}:%`).execute();
    expect(messages.map((m) => m.to_user_id).sort()).toEqual([...recipients].sort());
    const toContractor = messages.find((m) => m.to_user_id === contractor.id)!;
    expect(toContractor.dedupe_key).toBe(`newsletter:${id}:${contractor.id}`);
    expect(toContractor.body_text).toContain('Apprentices at the depot');
    expect(toContractor.body_text).toContain(`/stories/${story.id}`);
    expect(toContractor.link).toBe(`http://localhost:3000/newsletters/${id}`);
    expect(messages.find((m) => m.to_user_id === vcseIn.id)!.body_text).toContain('/account');

    const sent = await db().selectFrom('newsletter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    expect(JSON.parse(sent.figures_json!)).toMatchObject({ deliveredPence: expect.any(Number), needsMet: expect.any(Number) });
    expect(parseFigures(JSON.stringify({ deliveredPence: null, creditsEarnedPence: 5, creditsClaimedPence: null, needsMet: 1 }))).toEqual({ deliveredPence: null, creditsEarnedPence: 5, creditsClaimedPence: null, needsMet: 1 });
    expect(await updateNewsletter(db(), id, { title: 'Changed' }, [], actorOf(officer))).toMatchObject({ ok: false, reason: 'conflict' });
    const audit = await db().selectFrom('audit_event').select(['action', 'after_json']).where('subject_id', '=', id).where('action', '=', 'newsletter.sent').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ recipients: recipients.length, stories: [story.id] });
  });

  it('refuses to send a newsletter with no published story', async () => {
    const q = freshQuarter();
    const officer = await makeUser('officer');
    const id = ((await createNewsletter(db(), q.start, actorOf(officer))) as { id: string }).id;
    expect(await sendNewsletter(db(), id, actorOf(officer))).toEqual({ ok: false, reason: 'empty', message: NO_STORIES });
    expect((await findNewsletter(db(), id))?.status).toBe('draft');
  });

  it('opting in and out is audited, and a no-change is not', async () => {
    const user = await makeUser('vcse');
    await setNewsletterOptIn(db(), user.id, true, actorOf(user));
    await setNewsletterOptIn(db(), user.id, true, actorOf(user));
    await setNewsletterOptIn(db(), user.id, false, actorOf(user));
    const actions = (await db().selectFrom('audit_event').select('action').where('subject_id', '=', user.id).orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(['user.newsletter_opted_in', 'user.newsletter_opted_out']);
  });
});

describe('the email text', () => {
  it('has the title, introduction, figures, each story with its link, and why the reader gets it', () => {
    const text = newsletterText({
      title: 'Autumn news', introduction: 'Welcome.', periodLabel: 'Q3 2026/27 (Oct to Dec 2026)', origin: 'https://sv.example',
      figures: { deliveredPence: 123_456, creditsEarnedPence: 5_000, creditsClaimedPence: 0, needsMet: 1 },
      stories: [{ id: 's1', title: 'Apprentices', body: 'Two started.' }],
    }, 'contractor');
    expect(text).toContain('Autumn news');
    expect(text).toContain('Welcome.');
    expect(text).toContain('£1,234.56 of social value delivered');
    expect(text).toContain('1 community need on the wishlist met');
    expect(text).toContain('1. Apprentices');
    expect(text).toContain('Read the story: https://sv.example/stories/s1');
    expect(text).toContain('contractor user');
  });

  it('says why a withheld figure is not shown, and shows no amount for it', () => {
    const text = newsletterText({
      title: 'Autumn news', introduction: '', periodLabel: 'Q3 2026/27 (Oct to Dec 2026)', origin: 'https://sv.example',
      figures: { deliveredPence: null, creditsEarnedPence: 0, creditsClaimedPence: null, needsMet: 2 },
      stories: [],
    }, 'opted-in');
    expect(text).toContain(`Social value delivered: ${WITHHELD}`);
    expect(text).toContain(`Credits claimed for other social value: ${WITHHELD}`);
    expect(text).toContain('£0.00 of credits earned');
    expect(text).not.toMatch(/£[1-9]/);
  });
});
