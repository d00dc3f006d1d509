import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { makeOrganisation, makeWard } from '../support/factories';
import { makeListedItem } from '../support/factories-wishlist-public';
import {
  afterNavigation, assertEveryPageChecked, expectHeading, expectText, newContextWithoutJavaScript, signIn, trackNavigations, visit,
  type Journey, type JourneyContext,
} from './support';

// The public wishlist as an anonymous visitor: search, filter, page, open an
// item; with JavaScript and without. Each journey makes its own items around a
// made-up word, so the demo data does not matter.

async function makeNeeds() {
  const word = `Quokka${randomUUID().slice(0, 8)}`;
  const ward = await makeWard(`Ward ${word}`);
  const org = await makeOrganisation('vcse', 'verified', `Friends of ${word}`);
  for (let n = 1; n <= 24; n += 1) {
    await makeListedItem(org.id, {
      title: `${word} tablets number ${n}`, description: `Tablets for the ${word} homework club.`, category: n % 2 ? 'goods' : 'skills',
      wardId: ward.id, valuePence: n * 1_000, publishedAt: new Date(Date.UTC(2026, 9, n)).toISOString(), neededBy: '2027-05-01',
    });
  }
  const hidden = await makeListedItem(org.id, { status: 'submitted', title: `${word} secret draft`, description: `Not public ${word}`, wardId: ward.id });
  return { word, ward, org, hiddenId: hidden.id };
}

/** Search, filter by category, go to page 2 and open an item: the same clicks with or without JavaScript. */
async function searchFilterPageAndOpen(page: Page, word: string) {
  await visit(page, '/wishlist');
  await expectHeading(page, 'Community wishlist');
  await page.getByLabel('Search the wishlist').fill(`${word}s`); // stemming: "…s" finds "…"
  await page.getByLabel('Category').selectOption({ label: 'Goods and equipment' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((url) => url.searchParams.get('category') === 'goods');
  await afterNavigation(page);
  await expectText(page, /Showing 1 to 12 of 12 needs/);
  const titles = await page.getByTestId('wishlist-results').getByRole('heading', { level: 2 }).allInnerTexts();
  assert.equal(titles.length, 12);
  assert.ok(titles.every((t) => t.startsWith(word)), `unexpected results: ${titles.join(', ')}`);
  assert.ok(!titles.some((t) => t.includes('secret')), 'a hidden item was listed');

  // Without the category: 24 needs over two pages; page 2 keeps the search in its address.
  await page.getByLabel('Category').selectOption({ label: 'Any category' });
  await page.getByLabel('Sort by').selectOption({ label: 'Value (lowest first)' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((url) => url.searchParams.get('sort') === 'value-low' && !url.searchParams.get('category'));
  await afterNavigation(page);
  await expectText(page, /Showing 1 to 20 of 24 needs/);
  await page.getByRole('link', { name: 'Next page' }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  await afterNavigation(page);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('q'), `${word}s`);
  assert.equal(url.searchParams.get('sort'), 'value-low');
  await expectText(page, /Showing 21 to 24 of 24 needs/);
  assert.deepEqual(await page.getByTestId('wishlist-results').getByRole('heading', { level: 2 }).allInnerTexts(), [21, 22, 23, 24].map((n) => `${word} tablets number ${n}`));

  await page.getByRole('link', { name: `${word} tablets number 24` }).click();
  await page.waitForURL(/\/wishlist\/[^/?]+$/);
  await afterNavigation(page);
  await expectHeading(page, `${word} tablets number 24`);
  await expectText(page, 'Pledged so far');
  await expectText(page, '£240.00');
  await page.getByRole('link', { name: 'Sign in to pledge' }).waitFor();
  await page.getByRole('link', { name: 'Back to the wishlist' }).waitFor();
}

async function hostileAndMissing(page: Page, hiddenId: string) {
  await visit(page, `/wishlist?q=${encodeURIComponent('"NEAR(*) OR ^title:')}`);
  await expectText(page, /No needs match/);
  await visit(page, '/wishlist?q=%F0%9F%8E%89');
  await expectText(page, 'search with words or numbers (symbols and punctuation are ignored)');
  await visit(page, `/wishlist/${hiddenId}`, { status: 404 });
  await expectHeading(page, 'Page not found');
}

export const journeys: Journey[] = [
  {
    name: 'an anonymous visitor searches, filters, pages and opens a need',
    run: async ({ page }) => {
      const { word, hiddenId } = await makeNeeds();
      await searchFilterPageAndOpen(page, word);
      await hostileAndMissing(page, hiddenId);
    },
  },
  {
    name: 'the same without JavaScript',
    run: async (ctx: JourneyContext) => {
      const { word, hiddenId } = await makeNeeds();
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        await searchFilterPageAndOpen(page, word);
        // (Hostile searches and the 404 are the same server answers as in the journey above.)
        await visit(page, `/wishlist/${hiddenId}`, { status: 404 });
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'tour: the public wishlist pages pass axe, as a contractor and as the officer previewing a hidden need',
    run: async ({ page }) => {
      const { word, ward, hiddenId } = await makeNeeds();
      await visit(page, '/wishlist');
      await visit(page, `/wishlist?q=${word}&ward=${ward.id}&sort=needed-by`);
      await visit(page, '/wishlist?q=nothing-matches-this-zzzz');
      await signIn(page, 'contractor@demo.test');
      await visit(page, `/wishlist?q=${word}&sort=value-low`);
      await page.getByRole('link', { name: `${word} tablets number 1`, exact: true }).click();
      await afterNavigation(page);
      await page.getByRole('link', { name: 'Pledge to meet this need' }).waitFor();
      await visit(page, `/wishlist/${hiddenId}`, { status: 404 });
      await page.context().clearCookies();
      await signIn(page, 'officer@demo.test');
      await visit(page, `/wishlist/${hiddenId}`);
      await page.getByTestId('preview-banner').waitFor();
    },
  },
];
