import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { getDb } from '#db/client';
import { makeItem, makePledge } from '../support/factories-pledges';
import {
  afterNavigation, assertEveryPageChecked, createUser, expectErrorSummary, expectHeading, expectText, latestEmail, newContextWithoutJavaScript, signIn,
  trackNavigations, unique, visit, type Journey, type JourneyContext,
} from './support';

/** A demo user's id and organisation. */
const userByEmail = (email: string) =>
  getDb().selectFrom('user').select(['id', 'organisation_id as organisationId']).where('email', '=', email).executeTakeFirstOrThrow();

// Issue #6 end to end, in two journeys (each kept well under the runner's
// 60 s on a busy machine; they do not depend on each other):
// 1. a VCSE organisation registers and is verified; it drafts a need and
//    submits it; an officer approves it; an anonymous visitor finds it by search;
// 2. without JavaScript, a contractor finds a published need by search and
//    pledges to it (a refused form first); the organisation accepts; the
//    contractor marks it delivered; the organisation confirms; the need shows
//    as fulfilled.
// Every page is checked with axe.

const PASSWORD = 'harbour-lantern-quince-42';

async function press(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click();
  await afterNavigation(page);
}

/** Runs `steps` on a page of a separate browser context (another person), checking every page it shows. */
async function as(ctx: JourneyContext, steps: (page: Page) => Promise<void>, context?: BrowserContext) {
  const own = context ?? (await ctx.browser.newContext({ baseURL: ctx.baseURL }));
  try {
    const page = await own.newPage();
    trackNavigations(page);
    await steps(page);
    assertEveryPageChecked(page);
  } finally {
    await own.close();
  }
}

/** Another person's browser for a whole journey: every page it shows is checked; close() checks that and closes it. */
async function person(ctx: JourneyContext, context?: BrowserContext) {
  const own = context ?? (await ctx.browser.newContext({ baseURL: ctx.baseURL }));
  const page = await own.newPage();
  trackNavigations(page);
  return {
    page,
    /** `check`: false when the journey already failed, so its own error is the one reported. */
    close: async (check: boolean) => {
      try {
        if (check) assertEveryPageChecked(page);
      } finally {
        await own.close();
      }
    },
  };
}

/** Searches the public wishlist for the need and opens it (the same clicks with or without JavaScript). */
async function findBySearch(page: Page, query: string, title: string) {
  await visit(page, '/wishlist');
  await page.getByLabel('Search the wishlist').fill(query);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === query);
  await afterNavigation(page);
  await expectText(page, /Showing 1 to 1 of 1 need/);
  await page.getByRole('link', { name: title }).click();
  await page.waitForURL(/\/wishlist\/[0-9a-f-]{36}$/);
  await afterNavigation(page);
  await expectHeading(page, title);
}

export const journeys: Journey[] = [
  {
    name: 'issue 6 (1 of 2): a VCSE registers and is verified, drafts and submits a need; an officer approves it; an anonymous visitor finds it by search',
    run: async (ctx) => {
      const { page } = ctx;
      const word = `Zephyrine${randomUUID().slice(0, 6)}`;
      const organisation = unique('Castle Street Homework Club');
      const email = `homework-${randomUUID().slice(0, 8)}@e2e.example`;
      const title = `${word} laptops for the homework club`;

      // The VCSE organisation registers.
      await visit(page, '/register');
      await page.getByLabel('Organisation name').fill(organisation);
      await page.getByLabel(/Registered charity number/).fill('1198765');
      await page.getByLabel('Ward').selectOption({ label: 'Castle' });
      await page.getByLabel('What your organisation does').fill('An after-school homework club for children in Castle ward.');
      await page.getByLabel('Full name').fill('Robin Ashby');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Create a password').fill(PASSWORD);
      await page.getByLabel(/Confirm/).fill(PASSWORD);
      await Promise.all([page.waitForURL('**/register/done'), page.getByRole('button', { name: 'Register' }).click()]);
      await afterNavigation(page);

      const officer = await person(ctx);
      let finished = false;
      try {
        // An officer verifies it.
        await signIn(officer.page, 'officer@demo.test');
        await visit(officer.page, '/officer/organisations');
        await officer.page.getByRole('link', { name: organisation }).click();
        await officer.page.waitForURL(/\/officer\/organisations\/[^/?]+$/);
        await afterNavigation(officer.page);
        await officer.page.getByLabel('Yes, verify it').check();
        await Promise.all([officer.page.waitForURL(/decided=/), officer.page.getByRole('button', { name: 'Save decision' }).click()]);
        await afterNavigation(officer.page);

        // The VCSE drafts the need, then submits it.
        await visit(page, '/organisation/wishlist/new');
        await page.getByLabel('Title').fill(title);
        await page.getByLabel('Description').fill('Six laptops so children without a computer at home can do their homework at the club.');
        await page.getByLabel('Category').selectOption({ label: 'Goods and equipment' });
        await page.getByLabel('Theme', { exact: true }).selectOption({ index: 1 });
        await page.getByLabel('Ward (optional)').selectOption({ label: 'Castle' });
        await page.getByLabel('Estimated value').fill('1,200');
        await page.getByLabel('Quantity or detail (optional)').fill('6 laptops');
        await Promise.all([page.waitForURL(/\/organisation\/wishlist\/[0-9a-f-]{36}\?done=saved$/), page.getByRole('button', { name: 'Save as draft' }).click()]);
        await afterNavigation(page);
        await Promise.all([page.waitForURL(/done=submitted$/), page.getByRole('button', { name: 'Submit for checking' }).click()]);
        await afterNavigation(page);

        // The officer approves it.
        await visit(officer.page, '/officer/wishlist');
        await officer.page.getByRole('link', { name: title }).click();
        await officer.page.waitForURL(/\/officer\/wishlist\/[^/?]+$/);
        await afterNavigation(officer.page);
        await officer.page.getByLabel('Approve: publish it on the wishlist').check();
        await Promise.all([officer.page.waitForURL(/\/officer\/wishlist\?/), officer.page.getByRole('button', { name: 'Save decision' }).click()]);
        await afterNavigation(officer.page);
        finished = true;
      } finally {
        await officer.close(finished);
      }

      // An anonymous visitor finds it by search ("laptop" finds "laptops"). (Without JavaScript: the next journey.)
      await as(ctx, async (visitor) => {
        await findBySearch(visitor, `${word} laptop`, title);
        await visitor.getByRole('link', { name: 'Sign in to pledge' }).waitFor();
      });
    },
  },
  {
    name: 'issue 6 (2 of 2): without JavaScript a contractor finds a need by search and pledges; the VCSE accepts; the contractor delivers; the VCSE confirms; the need is fulfilled',
    run: async (ctx) => {
      const { page } = ctx;
      // A verified VCSE organisation of its own, with a published need of £1,200.
      const vcse = await createUser('vcse');
      const title = `Laptops for the homework club ${randomUUID().slice(0, 8)}`;
      const item = await makeItem({ organisationId: vcse.organisationId, createdBy: vcse.id, title, estimatePence: 120_000, category: 'goods' });

      const contractor = await person(ctx, await newContextWithoutJavaScript(ctx));
      let finished = false;
      try {
        // The contractor pledges, without JavaScript: a refused form first, then the pledge.
        const c = contractor.page;
        await signIn(c, 'contractor@demo.test');
        await findBySearch(c, `${item.title.split(' ').pop()} laptop`, title);
        await c.getByRole('link', { name: 'Pledge to meet this need' }).click();
        await c.waitForURL(/\/pledge$/);
        await afterNavigation(c);
        await c.getByLabel('Value, in pounds').fill('5000');
        await press(c, 'Send pledge');
        await c.locator('.govuk-error-summary').getByText('Describe what you will give').waitFor();
        await c.locator('.govuk-error-summary').getByText('Value must be £1,200.00 or less, the organisation’s estimate for this need').waitFor();
        assert.match(await c.title(), /^Error: /);
        await c.getByLabel('What will you give?').fill('Six refurbished laptops with chargers and a year of technical support.');
        await c.getByLabel('Value, in pounds').fill('1200');
        await c.getByLabel('Day').fill('15');
        await c.getByLabel('Month').fill('1');
        await c.getByLabel('Year').fill(String(new Date().getUTCFullYear() + 1));
        await c.getByLabel('Which of your contracts does it relate to? (optional)').selectOption({ label: 'NBC-2025-014: Eastfield school extension' });
        await c.getByLabel('This is a story worth telling').check();
        await Promise.all([c.waitForURL(/\/pledges\/[0-9a-f-]{36}\?done=offered$/), c.getByRole('button', { name: 'Send pledge' }).click()]);
        await afterNavigation(c);
        await expectText(c, 'Pledge sent. The organisation has been told.');
        const pledgePath = new URL(c.url()).pathname;

        // The VCSE is told, opens the pledge from the email's link and accepts it.
        const offered = await latestEmail(vcse.email, { kind: 'pledge_offered' });
        assert.ok(offered.link && new URL(offered.link).pathname === pledgePath, `the email links to ${offered.link}`);
        await signIn(page, vcse.email, vcse.password);
        await visit(page, pledgePath);
        await expectText(page, 'Six refurbished laptops');
        await page.getByRole('radio', { name: 'Yes, accept it' }).check();
        await page.getByLabel('Message to the contractor').fill('Thank you! The children will be delighted.');
        await Promise.all([page.waitForURL(/done=accept$/), page.getByRole('button', { name: 'Send answer' }).click()]);
        await afterNavigation(page);
        await expectText(page, 'Pledge accepted. The contractor has been told.');

        // The contractor hears of it and marks it delivered.
        const accepted = await latestEmail('contractor@demo.test', { kind: 'pledge_accepted' });
        assert.ok(accepted.subject.includes(title), accepted.subject);
        await visit(c, pledgePath);
        await c.getByLabel('What did you deliver, and when?').fill('Six laptops delivered to the club on Monday and set up with the volunteers.');
        await Promise.all([c.waitForURL(/done=deliver$/), c.getByRole('button', { name: 'Mark as delivered' }).click()]);
        await afterNavigation(c);

        // The VCSE confirms it received them.
        await latestEmail(vcse.email, { kind: 'pledge_delivered' });
        await visit(page, pledgePath);
        await page.getByRole('radio', { name: 'Yes, we received it' }).check();
        await Promise.all([page.waitForURL(/done=confirm$/), page.getByRole('button', { name: 'Send answer' }).click()]);
        await afterNavigation(page);
        const history = await page.getByTestId('pledge-history').locator('li strong').allInnerTexts();
        assert.deepEqual(history, ['Offered the pledge', 'Accepted the pledge', 'Marked it delivered', 'Confirmed it was received']);

        // The need shows as fulfilled on its owner's page, with the confirmed pledge (the public page and the
        // contractor's "Claim credits" button are checked by the pledge tour and the route tests).
        await visit(page, `/organisation/wishlist/${item.id}`);
        await expectText(page, 'Fulfilled');
        await page.getByTestId('item-pledges').getByText('Confirmed').waitFor();
        await latestEmail('contractor@demo.test', { kind: 'pledge_confirmed' });
        finished = true;
      } finally {
        await contractor.close(finished);
      }
    },
  },
  {
    name: 'a VCSE declines a pledge without a reason and is told what to write; a second answer from a stale page is refused',
    run: async (ctx) => {
      const { page } = ctx;
      // A new need of the pantry (vcse@demo.test) with a new offer from Brightwater (contractor@demo.test): the demo's own stay as they are.
      const pantry = await userByEmail('vcse@demo.test');
      const brightwater = await userByEmail('contractor@demo.test');
      const item = await makeItem({ organisationId: pantry.organisationId, createdBy: pantry.id, title: unique('Chest freezer'), estimatePence: 45_000 });
      const pledge = await makePledge(item.id, brightwater.organisationId, { createdBy: brightwater.id, valuePence: 45_000, description: 'A new chest freezer, delivered and installed' });
      const pledgePath = `/pledges/${pledge.id}`;
      await signIn(page, 'vcse@demo.test');
      await visit(page, '/pledges?status=offered');
      await page.getByTestId('pledges-table').getByRole('link', { name: new RegExp(item.title) }).click();
      await page.waitForURL((url) => url.pathname === pledgePath);
      await afterNavigation(page);
      await page.getByRole('radio', { name: 'No, decline it' }).check();
      await press(page, 'Send answer');
      await expectErrorSummary(page, 'Enter the reason you are declining this pledge');

      // Meanwhile the contractor withdraws it in another tab.
      await as(ctx, async (contractor) => {
        await signIn(contractor, 'contractor@demo.test');
        await visit(contractor, pledgePath);
        await press(contractor, 'Withdraw pledge');
        await expectText(contractor, 'Pledge withdrawn.');
      });
      await page.getByLabel('Message to the contractor').fill('We have enough now, thank you.');
      await page.getByRole('button', { name: 'Send answer' }).click();
      await afterNavigation(page);
      await expectText(page, /has been withdrawn, so that step is no longer possible/);
    },
  },
];
