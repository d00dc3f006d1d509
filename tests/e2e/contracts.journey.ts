import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterNavigation, expectErrorSummary, expectHeading, expectText, signIn, signOut, visit, type Journey } from './support';

// An officer sets up a contract with two commitments; the contractor then sees
// the same contract and the same figures (docs/contracts.md).

/** The commitments table's rows: the measure (first line of its cell) and every figure cell. */
async function commitmentRows(page: Page): Promise<string[][]> {
  const table = page.getByTestId('commitments-table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const head = (row.querySelector('th')?.textContent ?? '').trim();
      const measure = head.split(/\s+/)[0] ?? '';
      return [measure, ...Array.from(row.querySelectorAll('td')).map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())];
    }),
  );
}

async function fillDate(page: Page, legend: string, day: string, month: string, year: string) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
}

async function submit(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click();
  await afterNavigation(page);
}

export const journeys: Journey[] = [
  {
    name: 'an officer creates a contract with two commitments and the contractor sees the same figures',
    run: async ({ page }) => {
      const reference = `E2E-${randomUUID().slice(0, 8).toUpperCase()}`;
      const title = 'Riverside library refurbishment';

      await signIn(page, 'officer@demo.test');
      await visit(page, '/contracts');
      await page.getByRole('button', { name: 'Create a contract' }).click();
      await page.waitForURL('**/contracts/new');
      await afterNavigation(page);

      // Nothing filled in: the error summary, and nothing created.
      await submit(page, 'Create contract');
      await expectErrorSummary(page, 'Enter the contract reference', 'Enter the start date');

      await page.getByLabel('Reference').fill(reference);
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Supplier').selectOption({ label: 'Brightwater Construction Ltd' });
      await page.getByLabel('Contract value').fill('1,250,000');
      await fillDate(page, 'Start date', '1', '4', '2026');
      await fillDate(page, 'End date', '31', '3', '2028');
      await Promise.all([page.waitForURL(/\/contracts\/[^/]+\?done=created$/), page.getByRole('button', { name: 'Create contract' }).click()]);
      await afterNavigation(page);
      await expectHeading(page, title);
      await expectText(page, 'Contract created');
      const contractPath = new URL(page.url()).pathname;

      for (const [index, target, ward] of [[1, '2.5', 'Eastfield'], [2, '120', null]] as const) {
        await page.getByRole('button', { name: 'Add a commitment' }).click();
        await page.waitForURL('**/commitments/new');
        await afterNavigation(page);
        await page.getByLabel('Measure').selectOption({ index });
        await page.getByLabel('Target quantity').fill(target);
        await fillDate(page, 'Due date', '31', '3', '2027');
        if (ward) await page.getByLabel('Ward (optional)').selectOption({ label: ward });
        await page.getByLabel('Description').fill(`Journey commitment ${index}: what exactly will be done`);
        await Promise.all([page.waitForURL(/\?done=commitment-added$/), page.getByRole('button', { name: 'Add commitment' }).click()]);
        await afterNavigation(page);
      }
      const officerRows = await commitmentRows(page);
      assert.equal(officerRows.length, 3, 'two commitments and the totals row');
      assert.match(officerRows[2]!.join(' '), /£[\d,]+\.\d{2}/);
      await signOut(page);

      await signIn(page, 'contractor@demo.test');
      await expectText(page, reference);
      await page.getByRole('link', { name: reference }).first().click();
      await page.waitForURL(`**${contractPath}`);
      await afterNavigation(page);
      await expectHeading(page, title);
      assert.deepEqual(await commitmentRows(page), officerRows, 'the contractor sees the same commitments and figures');
      assert.equal(await page.getByRole('button', { name: 'Edit contract' }).count(), 0, 'a contractor cannot edit');

      // The contractor's list holds only Brightwater's contracts.
      await visit(page, '/contracts');
      await expectText(page, reference);
      assert.equal(await page.getByRole('combobox', { name: 'Supplier' }).count(), 0, 'no supplier filter for a contractor');
    },
  },
];
