import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { afterNavigation, assertEveryPageChecked, expectErrorSummary, expectHeading, expectText, newContextWithoutJavaScript, signIn, trackNavigations, visit, type Journey } from './support';

// Every pledge page, as each role that may see it, checked with axe (the
// issue #6 journey itself is in wishlist.journey.ts). Pages are found through
// their lists, so the tour follows the demo data (db/seeds/demo-pledges.ts).

async function followFirst(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `No link matching ${pattern} on ${page.url()}`);
  await visit(page, href);
  return href;
}

const PLEDGE_PAGE = /^\/pledges\/[0-9a-f-]{36}$/;

/** A published need nobody has pledged to yet. */
async function openNeed(): Promise<string> {
  const row = await getDb()
    .selectFrom('wishlist_item')
    .select('id')
    .where('status', '=', 'published')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('pledge').select('pledge.id').whereRef('pledge.item_id', '=', 'wishlist_item.id'))))
    .orderBy('published_at')
    .executeTakeFirst();
  assert.ok(row, 'The demo has no published need without pledges');
  return row.id;
}

export const journeys: Journey[] = [
  {
    name: 'tour: pledge pages for a contractor pass axe (home page signposting, list, pledge pages, the form and its errors)',
    run: async ({ page }) => {
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/');
      await page.getByRole('heading', { name: 'Needs you could meet' }).waitFor();
      await visit(page, '/pledges');
      await expectHeading(page, /pledges/);
      await visit(page, '/pledges?status=confirmed');
      await followFirst(page, PLEDGE_PAGE);
      await page.getByRole('button', { name: 'Claim credits for this pledge' }).or(page.getByText('Credits claimed')).first().waitFor();
      await visit(page, '/pledges?status=offered');
      await followFirst(page, PLEDGE_PAGE);
      await page.getByRole('button', { name: 'Withdraw pledge' }).waitFor();
      await visit(page, '/pledges?status=disputed');
      await visit(page, '/pledges?status=withdrawn');

      const itemId = await openNeed();
      await visit(page, `/wishlist/${itemId}/pledge`);
      await expectHeading(page, /^Pledge to meet/);
      await page.getByRole('button', { name: 'Send pledge' }).click();
      await afterNavigation(page);
      await expectErrorSummary(page, 'Describe what you will give', 'Enter the value of what you will give, in pounds', 'Enter the expected date');
    },
  },
  {
    name: 'tour: pledge pages for a VCSE user and for an officer pass axe',
    run: async ({ page }) => {
      await signIn(page, 'vcse@demo.test');
      await visit(page, '/pledges');
      await visit(page, '/pledges?status=offered');
      const offered = await followFirst(page, PLEDGE_PAGE);
      await page.getByRole('radio', { name: 'No, decline it' }).check();
      await page.getByRole('button', { name: 'Send answer' }).click();
      await afterNavigation(page);
      await expectErrorSummary(page, 'Enter the reason you are declining this pledge');
      await visit(page, '/pledges?status=accepted');
      await followFirst(page, PLEDGE_PAGE);

      const officer = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
      try {
        const staff = await officer.newPage();
        trackNavigations(staff);
        await signIn(staff, 'officer@demo.test');
        await visit(staff, offered);
        await expectText(staff, 'Council staff can see pledges but not act on them');
        assert.equal(await staff.getByRole('button', { name: 'Send answer' }).count(), 0);
        assertEveryPageChecked(staff);
      } finally {
        await officer.close();
      }
    },
  },
  {
    name: 'tour: the pledge form and a pledge page work without JavaScript',
    run: async (ctx) => {
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        // Greenway's pledge to the pantry is accepted in the demo.
        await signIn(page, 'greenway@demo.test');
        const itemId = await openNeed();
        await visit(page, `/wishlist/${itemId}/pledge`);
        await page.getByLabel('Value, in pounds').fill('nonsense');
        await page.getByRole('button', { name: 'Send pledge' }).click();
        await afterNavigation(page);
        await page.locator('.govuk-error-summary').getByText('Enter the value in pounds, like 250 or £1,250.50').waitFor();
        assert.match(await page.title(), /^Error: /);
        await visit(page, '/pledges?status=accepted');
        await followFirst(page, PLEDGE_PAGE);
        await page.getByRole('button', { name: 'Mark as delivered' }).click();
        await afterNavigation(page);
        await page.locator('.govuk-error-summary').getByText('Say what was delivered and when').waitFor();
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
];
