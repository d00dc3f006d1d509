import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterNavigation, checkA11y, expectHeading, signIn, visit, type Journey } from './support';

// Reports (issue #7): the officer dashboard (period chooser, charts, CSV), the
// annual impact report (on screen, and printed to PDF through Chromium with the
// print stylesheet) and the public impact page, each checked with axe.

export const journeys: Journey[] = [
  {
    name: 'reports: an officer opens the dashboard, chooses a quarter and exports a breakdown as CSV',
    run: async ({ page }) => {
      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/dashboard');
      await expectHeading(page, /Social value dashboard/);
      assert.ok((await page.locator('svg[role="img"] title').count()) >= 5, 'a chart per breakdown');
      await page.getByLabel('Quarter').selectOption('2');
      await page.getByRole('button', { name: 'Show figures' }).click();
      await afterNavigation(page);
      assert.match(page.url(), /quarter=2/);
      await page.getByRole('heading', { name: /Q2 / }).first().waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download this breakdown as CSV.*theme/ }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^social-value-by-theme-\d{4}-\d{2}-q2\.csv$/);
      const text = fs.readFileSync((await download.path())!, 'utf8');
      assert.match(text, /^\uFEFFtheme,id,commitments,committed_gbp/);
      assert.match(text, /\r\nTotal,/);
    },
  },
  {
    name: 'reports: an officer prints the annual impact report to PDF',
    run: async ({ page }) => {
      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/reports/annual');
      await page.getByRole('link', { name: /^Annual impact report \d{4}\/\d{2}/ }).first().click();
      await afterNavigation(page);
      await expectHeading(page, /Annual impact report/);
      await page.getByRole('button', { name: 'Print or save as PDF' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('nav[aria-label="Menu"]').isVisible(), false, 'navigation hidden in print');
      assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false, 'print button hidden in print');
      await checkA11y(page);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      assert.ok(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10_000, 'a PDF document');
      await page.emulateMedia({ media: 'screen' });
    },
  },
  {
    name: 'reports: anyone reads the public impact page; the dashboard needs a council account',
    run: async ({ page }) => {
      await visit(page, '/impact');
      await expectHeading(page, /Our social value impact/);
      await visit(page, '/officer/dashboard'); // redirected to sign in
      assert.match(page.url(), /\/sign-in\?redirectTo=/);
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/officer/dashboard', { status: 403 });
      await visit(page, '/officer/reports/annual/2026', { status: 403 });
    },
  },
];
