import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { londonToday } from '~/modules/contracts/dates';
import { formatPence, parsePounds } from '~/modules/contracts/figures';
import { quarterChoices } from '~/modules/newsletters/newsletters.schema';
import { financialYearOf } from '~/modules/reports/period';
import { afterNavigation, expectErrorSummary, expectHeading, expectText, latestEmail, newContextWithoutJavaScript, signIn, signOut, trackNavigations, assertEveryPageChecked, unique, visit, type Journey } from './support';

// Issue 7's acceptance: an officer opens the dashboard and exports a breakdown
// as CSV, drafts and publishes a story from a flagged return, builds and sends
// the quarter's newsletter (seen in the outbox), and prints the annual report
// to PDF through Chromium; residents then read the story and the newsletter.
// Every page is checked with axe. Plus an axe tour of the stories and
// newsletter pages (docs/stories-and-newsletters.md).

/** Clicks (or submits) and waits for the address it should reach, then checks the page. */
async function go(page: Page, url: RegExp | string, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

/** Opens the first link in main whose address matches, and checks the page it reaches. */
async function followFirst(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `No link matching ${pattern} on ${page.url()}`);
  await visit(page, href);
  return href;
}

export const journeys: Journey[] = [
  {
    name: 'impact: an officer exports a dashboard breakdown as CSV and prints the annual report to PDF (issue 7)',
    run: async ({ page }) => {
      const year = financialYearOf(londonToday());
      await signIn(page, 'officer@demo.test');

      /* ---- The dashboard, and one breakdown as CSV. */
      await visit(page, '/officer/dashboard');
      await expectHeading(page, /Social value dashboard/);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download this breakdown as CSV (theme)' }).click(),
      ]);
      const csv = await fs.readFile((await download.path())!, 'utf8');
      const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      assert.equal(lines[0], 'theme,id,commitments,committed_gbp,delivered_gbp,substituted_gbp,remaining_gbp,period_start,period_end');
      const total = lines.at(-1)!.split(',');
      assert.equal(total[0], 'Total');
      const committed = parsePounds(total[3]!);
      assert.ok(committed !== null && committed > 0, `a committed total in the CSV: ${total[3]}`);
      // The same figure is on the dashboard.
      await expectText(page, formatPence(committed));

      /* ---- The annual report, with the year's published stories, printed to PDF by Chromium. */
      await visit(page, `/officer/reports/annual/${year}`);
      await expectHeading(page, /Annual impact report/);
      await expectText(page, /^A first step into construction with/);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      assert.ok(pdf.length > 5_000, `a PDF with content (${pdf.length} bytes)`);
      assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
    },
  },
  {
    name: 'impact: an officer publishes a story from a flagged return and sends the quarter’s newsletter; residents read both (issue 7)',
    run: async ({ page }) => {
      const today = londonToday();
      await signIn(page, 'officer@demo.test');

      /* ---- A story from a flagged return: consent is required; then published. */
      await visit(page, '/officer/stories');
      await expectHeading(page, 'Stories of impact');
      const candidate = page.getByTestId('story-candidates').locator('tr', { hasText: 'Progress return' }).first();
      await go(page, /\/officer\/stories\/new\?source=progress_return/, () => candidate.getByRole('link', { name: /^Draft a story/ }).click());
      await expectHeading(page, 'Draft a story');
      const title = unique('Apprentices build the new hall');
      await page.getByLabel('Title').fill(title);
      await go(page, /\/officer\/stories\/new/, () => page.getByRole('button', { name: 'Save draft' }).click());
      await expectErrorSummary(page, 'Say who gave consent to publish this story and how, for example “Named apprentice agreed by email”', 'Enter the date consent was given');
      await page.getByLabel('Who gave consent and how').fill('The apprentice agreed by email on 3 Nov 2026 to be named');
      const [y, m, d] = today.split('-');
      await page.getByLabel('Day').fill(String(Number(d)));
      await page.getByLabel('Month').fill(String(Number(m)));
      await page.getByLabel('Year').fill(y!);
      await go(page, /\/officer\/stories\/[0-9a-f-]{36}\?done=created$/, () => page.getByRole('button', { name: 'Save draft' }).click());
      await expectText(page, 'Draft saved');
      const storyPath = new URL(page.url()).pathname;
      const storyId = storyPath.split('/').pop()!;
      await go(page, /\?done=published$/, () => page.getByRole('button', { name: 'Publish story' }).click());
      await expectText(page, 'Story published');

      /* ---- The quarter's newsletter: built, previewed, sent once, in the outbox. */
      const quarter = quarterChoices(today)[0]!;
      await visit(page, '/officer/newsletters/new');
      await page.getByLabel(quarter.label).check();
      await go(page, /\/officer\/newsletters\/[0-9a-f-]{36}\?done=created$/, () => page.getByRole('button', { name: 'Continue' }).click());
      const newsletterPath = new URL(page.url()).pathname;
      assert.ok(await page.getByRole('checkbox', { name: new RegExp(title) }).isChecked(), 'the story published this quarter is in the newsletter');
      const newsletterTitle = unique('Winter social value news');
      await page.getByLabel('Title').fill(newsletterTitle);
      await page.getByLabel('Introduction (optional)').fill('Thank you to everyone who made this quarter count.');
      await go(page, /\?done=saved$/, () => page.getByRole('button', { name: 'Save newsletter' }).click());
      const preview = await page.getByTestId('email-preview').innerText();
      assert.ok(preview.includes(newsletterTitle) && preview.includes(title) && preview.includes(`/stories/${storyId}`), 'the email preview has the title and the story with its link');
      await go(page, /\?confirm=send#send$/, () => page.getByRole('link', { name: 'Send newsletter' }).click());
      await go(page, /\?done=sent$/, () => page.getByRole('button', { name: 'Yes, send it now' }).click());
      await expectText(page, 'Newsletter sent');
      const email = await latestEmail('contractor@demo.test', { kind: 'newsletter' });
      assert.equal(email.subject, newsletterTitle);
      assert.ok(email.body.includes(title), 'the email tells the story');
      assert.ok(email.link?.endsWith(newsletterPath.replace('/officer', '')), `the email links to the public page: ${email.link}`);

      /* ---- Residents read the story and the newsletter. */
      await signOut(page);
      await visit(page, '/stories');
      await go(page, new RegExp(`/stories/${storyId}$`), () => page.getByRole('link', { name: title }).click());
      await expectHeading(page, title);
      await visit(page, '/newsletters');
      await go(page, /\/newsletters\/[0-9a-f-]{36}$/, () => page.getByRole('link', { name: newsletterTitle }).click());
      await expectHeading(page, newsletterTitle);
      await expectText(page, title);
    },
  },
  {
    name: 'impact tour: the public stories and newsletter pages pass axe',
    run: async ({ page }) => {
      await visit(page, '/stories');
      await followFirst(page, /^\/stories\/[0-9a-f-]{36}$/);
      await visit(page, '/newsletters');
      await followFirst(page, /^\/newsletters\/[0-9a-f-]{36}$/);
      await visit(page, '/stories/00000000-0000-4000-8000-000000000000', { status: 404 });
    },
  },
  {
    name: 'impact tour: the officer’s stories and newsletter pages pass axe',
    run: async ({ page }) => {
      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/stories');
      await followFirst(page, /^\/officer\/stories\/new\?source=/);
      await visit(page, '/officer/stories');
      await followFirst(page, /^\/officer\/stories\/[0-9a-f-]{36}$/);
      await visit(page, '/officer/newsletters');
      await visit(page, '/officer/newsletters/new');
      await visit(page, '/officer/newsletters');
      await followFirst(page, /^\/officer\/newsletters\/[0-9a-f-]{36}$/);
    },
  },
  {
    name: 'impact tour: the newsletter choice on the account page works without JavaScript',
    run: async (ctx) => {
      // Without JavaScript: the opt-in form works.
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const plain = await context.newPage();
        trackNavigations(plain);
        await signIn(plain, 'vcse@demo.test');
        await visit(plain, '/account');
        await plain.getByLabel('Send me the quarterly newsletter').check();
        await go(plain, /\/account\?newsletter=saved$/, () => plain.getByRole('button', { name: 'Save newsletter choice' }).click());
        assert.ok(await plain.getByLabel('Send me the quarterly newsletter').isChecked());
        assertEveryPageChecked(plain);
      } finally {
        await context.close();
      }
    },
  },
];
