import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { getDb } from '#db/client';
import { makeItem } from '../support/factories-wishlist';
import {
  afterNavigation, assertEveryPageChecked, expectErrorSummary, expectHeading, expectText, latestEmail, newContextWithoutJavaScript, signIn,
  trackNavigations, unique, visit, type Journey, type JourneyContext,
} from './support';

// The VCSE side of the wishlist and its moderation (docs/wishlist.md): an
// organisation drafts a need with a photo and submits it; an officer approves
// it; the organisation is told. The same without JavaScript, with a rejection.
// And an axe tour of every VCSE and moderation page.

async function go(page: Page, url: RegExp, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

/** Opens the first link in the main content whose address matches, and checks the page. */
async function followFirst(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `No link matching ${pattern} on ${page.url()}`);
  await visit(page, href);
  return href;
}

async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#2a6f97' } })
    .withExif({ IFD0: { Artist: 'Someone private' } })
    .jpeg()
    .toBuffer();
}

async function fillItem(page: Page, title: string) {
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Two tables and twelve chairs for the community kitchen, so that visitors can sit down to eat.');
  await page.getByLabel('Category').selectOption({ label: 'Goods and equipment' });
  await page.getByLabel('Theme', { exact: true }).selectOption({ label: 'Healthier communities' });
  await page.getByLabel('Ward (optional)').selectOption({ label: 'Eastfield' });
  await page.getByLabel('Estimated value').fill('£640');
  await page.getByLabel('Quantity or detail (optional)').fill('2 tables, 12 chairs');
  await page.getByLabel('Day').fill('30');
  await page.getByLabel('Month').fill('6');
  await page.getByLabel('Year').fill(String(new Date().getUTCFullYear() + 1));
}

/** Runs `steps` as an officer in a separate browser context, checking every page it shows. */
async function asOfficer(ctx: JourneyContext, steps: (page: Page) => Promise<void>, { javaScript = true } = {}) {
  const context = javaScript ? await ctx.browser.newContext({ baseURL: ctx.baseURL }) : await newContextWithoutJavaScript(ctx);
  try {
    const page = await context.newPage();
    trackNavigations(page);
    await signIn(page, 'officer@demo.test');
    await steps(page);
    assertEveryPageChecked(page);
  } finally {
    await context.close();
  }
}

export const journeys: Journey[] = [
  {
    name: 'wishlist (VCSE): an organisation drafts a need with a photo and submits it; an officer approves it',
    run: async (ctx) => {
      const { page } = ctx;
      const title = unique('Kitchen tables');
      await signIn(page, 'vcse@demo.test');
      await visit(page, '/organisation');
      await go(page, /\/organisation\/wishlist$/, () => page.getByRole('link', { name: /See and add the things/ }).click());
      await go(page, /\/organisation\/wishlist\/new$/, () => page.getByRole('link', { name: 'Add an item' }).click());
      // A photo without its description is refused, by the field, keeping what was typed.
      await fillItem(page, title);
      await page.getByLabel('Photo (optional)').setInputFiles({ name: 'tables.jpg', mimeType: 'image/jpeg', buffer: await photo() });
      await page.getByRole('button', { name: 'Save as draft' }).click();
      await afterNavigation(page);
      await expectErrorSummary(page, 'Describe the photo for people who cannot see it');
      assert.equal(await page.getByLabel('Title').inputValue(), title);
      await page.getByLabel('Photo (optional)').setInputFiles({ name: 'tables.jpg', mimeType: 'image/jpeg', buffer: await photo() });
      await page.getByLabel('Describe the photo (needed if there is one)').fill('Two folding tables stacked against a wall');
      await go(page, /\/organisation\/wishlist\/[0-9a-f-]{36}\?done=saved$/, () => page.getByRole('button', { name: 'Save as draft' }).click());
      await expectHeading(page, title);
      await expectText(page, 'This is a draft');
      const img = page.getByRole('img', { name: 'Two folding tables stacked against a wall' });
      await img.waitFor();
      assert.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 1200), 'the photo is served, resized to 1200 pixels wide');
      const itemId = /wishlist\/([0-9a-f-]{36})/.exec(page.url())![1]!;

      await page.getByRole('button', { name: 'Submit for checking' }).click();
      await afterNavigation(page);
      await expectText(page, 'Item submitted to the council for checking');
      await expectText(page, 'The council is checking this item');

      await asOfficer(ctx, async (officer) => {
        await visit(officer, '/officer/wishlist');
        await go(officer, new RegExp(`/officer/wishlist/${itemId}$`), () => officer.getByRole('link', { name: title }).click());
        // Rejecting without a reason is refused.
        await officer.getByLabel('Reject: send it back with a reason').check();
        await officer.getByRole('button', { name: 'Save decision' }).click();
        await afterNavigation(officer);
        await expectErrorSummary(officer, 'Enter the reason for rejecting the item. The organisation will see it');
        await officer.getByLabel('Approve: publish it on the wishlist').check();
        await go(officer, /\/officer\/wishlist\?done=approve/, () => officer.getByRole('button', { name: 'Save decision' }).click());
        await expectText(officer, 'Item approved and published');
      });

      const email = await latestEmail('vcse@demo.test', { kind: 'wishlist_item_approved' });
      assert.match(email.subject, new RegExp(title));
      await visit(page, `/organisation/wishlist/${itemId}`);
      await expectText(page, 'This item is on the public');
      const row = await getDb().selectFrom('wishlist_item').select(['status', 'photo_content_type']).where('id', '=', itemId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'published', photo_content_type: 'image/jpeg' });
    },
  },
  {
    name: 'wishlist (VCSE): without JavaScript, a draft is refused with errors, saved and submitted',
    run: async (ctx) => {
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        const title = unique('Storeroom shelving');
        await signIn(page, 'vcse@demo.test');
        await visit(page, '/organisation/wishlist/new');
        await page.getByRole('button', { name: 'Save as draft' }).click();
        await afterNavigation(page);
        await expectText(page, 'Enter a title for what you need');
        await fillItem(page, title);
        await go(page, /\?done=saved$/, () => page.getByRole('button', { name: 'Save as draft' }).click());
        await go(page, /\?done=submitted$/, () => page.getByRole('button', { name: 'Submit for checking' }).click());
        const itemId = /wishlist\/([0-9a-f-]{36})/.exec(page.url())![1]!;
        const row = await getDb().selectFrom('wishlist_item').select('status').where('id', '=', itemId).executeTakeFirstOrThrow();
        assert.equal(row.status, 'submitted');
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'wishlist (VCSE): without JavaScript, an officer rejects with a reason; the organisation changes the item and sends it back',
    run: async (ctx) => {
      const pantry = await getDb().selectFrom('user').select(['id', 'organisation_id']).where('email', '=', 'vcse@demo.test').executeTakeFirstOrThrow();
      const theme = await getDb().selectFrom('measure').select('theme').where('active', '=', 1).orderBy('theme').executeTakeFirstOrThrow();
      const item = await makeItem(pantry.organisation_id, { status: 'submitted', title: unique('Tea urn'), theme: theme.theme, createdBy: pantry.id });
      await asOfficer(ctx, async (officer) => {
        await visit(officer, `/officer/wishlist/${item.id}`);
        await officer.getByLabel('Reject: send it back with a reason').check();
        await officer.getByRole('textbox', { name: 'Reason' }).fill('Please say how many visitors a week will use it.');
        await go(officer, /\/officer\/wishlist\?done=reject/, () => officer.getByRole('button', { name: 'Save decision' }).click());
      }, { javaScript: false });

      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        await signIn(page, 'vcse@demo.test');
        await visit(page, `/organisation/wishlist/${item.id}`);
        await expectText(page, 'Please say how many visitors a week will use it.');
        await go(page, /\/edit$/, () => page.getByRole('link', { name: 'Change this item' }).click());
        await page.getByLabel('Description').fill('A tea urn for the drop-in; about 150 visitors a week.');
        await go(page, /\?done=saved$/, () => page.getByRole('button', { name: 'Save changes' }).click());
        await go(page, /\?done=submitted$/, () => page.getByRole('button', { name: 'Submit for checking' }).click());
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'wishlist (VCSE): tour of the organisation’s pages passes axe',
    run: async ({ page }) => {
      await signIn(page, 'vcse@demo.test');
      await visit(page, '/organisation');
      await visit(page, '/organisation/edit');
      await visit(page, '/organisation/wishlist');
      await visit(page, '/organisation/wishlist?status=rejected');
      const rejected = await followFirst(page, /^\/organisation\/wishlist\/[0-9a-f-]{36}$/);
      await visit(page, `${rejected}/edit`);
      await visit(page, '/organisation/wishlist?status=published');
      const published = await followFirst(page, /^\/organisation\/wishlist\/[0-9a-f-]{36}$/);
      await visit(page, `${published}/edit`);
      await visit(page, '/organisation/wishlist?status=draft');
      await followFirst(page, /^\/organisation\/wishlist\/[0-9a-f-]{36}$/);
      await visit(page, '/organisation/wishlist/new');
    },
  },
  {
    name: 'wishlist (VCSE): tour of the moderation pages and a pending organisation’s item passes axe',
    run: async (ctx) => {
      const { page } = ctx;
      // A pending organisation can draft but not submit.
      await signIn(page, 'riverside@demo.test');
      await visit(page, '/organisation/wishlist');
      await followFirst(page, /^\/organisation\/wishlist\/[0-9a-f-]{36}$/);
      await expectText(page, 'You can submit this item once the council has verified your organisation.');
      await asOfficer(ctx, async (officer) => {
        await visit(officer, '/officer/wishlist');
        await followFirst(officer, /^\/officer\/wishlist\/[0-9a-f-]{36}$/);
        const live = await getDb().selectFrom('wishlist_item').select('id').where('status', '=', 'published').orderBy('title').executeTakeFirstOrThrow();
        await visit(officer, `/officer/wishlist/${live.id}`);
        await expectText(officer, 'Correct how it is filed');
      });
    },
  },
  {
    name: 'wishlist (VCSE): the profile and item forms work and pass axe without JavaScript',
    run: async (ctx) => {
      const noJs = await newContextWithoutJavaScript(ctx);
      try {
        const p = await noJs.newPage();
        trackNavigations(p);
        await signIn(p, 'youth@demo.test');
        await visit(p, '/organisation/edit');
        await p.getByLabel('Website (optional)').fill('javascript:alert(1)');
        await p.getByRole('button', { name: 'Save changes' }).click();
        await afterNavigation(p);
        await expectText(p, 'Enter a website address, like https://www.example.org');
        await p.getByLabel('Website (optional)').fill('harbouryouth.example');
        await go(p, /\/organisation\?done=profile$/, () => p.getByRole('button', { name: 'Save changes' }).click());
        await expectText(p, 'Your organisation’s details have been saved');
        await visit(p, '/organisation/wishlist/new');
        assertEveryPageChecked(p);
      } finally {
        await noJs.close();
      }
    },
  },
];
