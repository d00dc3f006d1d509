import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { requestSwap } from '~/modules/credits/swaps.server';
import {
  afterNavigation, assertEveryPageChecked, checkA11y, expectHeading, expectText, newContextWithoutJavaScript, signIn, trackNavigations, unique, visit, type Journey,
} from './support';

// Issue 5, swaps (docs/swaps.md): a contractor requests a measure swap and sees
// both values and the policy's rules as it types; without JavaScript the same
// through "Check values"; an officer approves one in the Radix dialog and
// rejects another on the plain decide page. Every page, and the open dialog,
// checked with axe.

const CONTRACT = 'NBC-2025-014';
const MEASURE = 'SKL-01'; // Apprenticeship weeks, £310 a week, target 312 weeks
const OTHER = 'SKL-02'; // Work placement weeks, £145 a week (same theme)

async function commitmentId(): Promise<string> {
  const row = await getDb().selectFrom('commitment as cm').innerJoin('contract as c', 'c.id', 'cm.contract_id').innerJoin('measure as m', 'm.id', 'cm.measure_id')
    .select('cm.id').where('c.reference', '=', CONTRACT).where('m.code', '=', MEASURE).executeTakeFirstOrThrow();
  return row.id;
}

async function measureOption(page: Page, code: string): Promise<string> {
  const options = await page.getByLabel('Measure you will deliver instead').locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })));
  const found = options.find((o) => o.label.startsWith(`${code}:`));
  assert.ok(found, `${code} among the measures`);
  return found.value;
}

/** A measure swap of the demo contractor's, requested through the service (the form is the journeys' above). */
async function requestedSwap(): Promise<string> {
  const id = await commitmentId();
  const user = await getDb().selectFrom('user').select(['id', 'organisation_id']).where('email', '=', 'contractor@demo.test').executeTakeFirstOrThrow();
  const other = await getDb().selectFrom('measure').select('id').where('code', '=', OTHER).executeTakeFirstOrThrow();
  const result = await requestSwap(getDb(), { commitmentId: id, method: 'measure', quantityMilli: 2_000, toMeasureId: other.id, toQuantityMilli: 5_000, reason: unique('Scheme paused') },
    { userId: user.id, organisationId: user.organisation_id, requestId: 'e2e' });
  assert.ok(result.ok, JSON.stringify(result));
  return result.id;
}

async function go(page: Page, url: RegExp, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

async function swapStatus(id: string) {
  return (await getDb().selectFrom('credit_swap').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

export const journeys: Journey[] = [
  {
    name: 'a contractor requests a measure swap, seeing values and rules as it types; an officer approves it in the dialog',
    run: async (ctx) => {
      const { page } = ctx;
      const id = await commitmentId();
      await signIn(page, 'contractor@demo.test');
      await visit(page, `/credits/swaps/new?commitmentId=${id}`);
      await expectHeading(page, 'Request a swap');
      await expectText(page, 'Your council allows swaps to meet up to 50%');

      const values = page.getByTestId('swap-values');
      await page.getByLabel('Deliver another measure of at least equal value instead').check();
      await page.getByLabel('Measure you will deliver instead').waitFor({ state: 'visible' });
      // A rule broken is said before anything is sent: the policy's share when it is
      // the tighter limit, else what is left to deliver (other journeys in the run
      // may have delivered or swapped part of this commitment already).
      const c = await getDb().selectFrom('commitment').select(['target_milli', 'delivered_milli', 'substituted_milli']).where('id', '=', id).executeTakeFirstOrThrow();
      const remaining = c.target_milli - c.delivered_milli - c.substituted_milli;
      const shareLeft = Math.floor(c.target_milli / 2) - c.substituted_milli;
      const pastShare = shareLeft < remaining;
      await page.getByLabel(/^Quantity you cannot deliver/).fill(String(((pastShare ? shareLeft : remaining) + 1000) / 1000));
      await values.getByText(pastShare ? /at most 50% of a commitment/ : /still to deliver on this commitment/).waitFor();
      await page.getByLabel(/^Quantity you cannot deliver/).fill('10');
      await values.getByText('10 weeks, worth £3,100.00').waitFor();
      await page.getByLabel('Measure you will deliver instead').selectOption(await measureOption(page, OTHER));
      await page.getByLabel('Quantity you will deliver instead').fill('20');
      await values.getByText('20 weeks, worth £2,900.00').waitFor();
      await values.getByText(/must be worth at least the £3,100.00/).waitFor();
      await page.getByLabel('Quantity you will deliver instead').fill('22');
      await values.getByText('22 weeks, worth £3,190.00').waitFor();
      await values.getByText('No rule is broken so far.').waitFor();
      await checkA11y(page);
      await page.getByLabel('Why you cannot deliver it as written').fill(unique('Two apprentices left the scheme early'));
      await go(page, /\/credits\/swaps\/[^/?]+\?done=requested$/, () => page.getByRole('button', { name: 'Send request' }).click());
      await expectText(page, 'Swap requested.');
      const swapId = /\/credits\/swaps\/([^/?]+)/.exec(page.url())![1]!;

      const officerContext = await ctx.browser.newContext({ baseURL: ctx.baseURL });
      try {
        const officer = await officerContext.newPage();
        trackNavigations(officer);
        await signIn(officer, 'officer@demo.test');
        await visit(officer, `/credits/swaps/${swapId}`);
        await officer.getByRole('button', { name: 'Approve', exact: true }).click();
        const dialog = officer.getByRole('dialog', { name: 'Approve this swap?' });
        await dialog.waitFor();
        await checkA11y(officer); // with the dialog open
        // An empty reason is caught in the dialog.
        await dialog.getByRole('button', { name: 'Approve swap' }).click();
        await dialog.getByText('Enter the reason for approving the swap').waitFor();
        await dialog.getByLabel('Reason for approving').fill('The placements reach more residents for the same value');
        await go(officer, /\?done=approved$/, () => dialog.getByRole('button', { name: 'Approve swap' }).click());
        await expectText(officer, 'Swap approved.');
        assertEveryPageChecked(officer);
      } finally {
        await officerContext.close();
      }
      assert.equal(await swapStatus(swapId), 'approved');
      const swap = await getDb().selectFrom('credit_swap').select(['to_commitment_id']).where('id', '=', swapId).executeTakeFirstOrThrow();
      assert.ok(swap.to_commitment_id, 'the approval made the new commitment');
      const booked = await getDb().selectFrom('ledger_transaction').select('id').where('source_type', '=', 'credit_swap').where('source_id', '=', swapId).execute();
      assert.equal(booked.length, 1, 'one ledger transaction');
    },
  },
  {
    name: 'without JavaScript: "Check values" shows both values and the rule broken, and nothing is saved until "Send request"',
    run: async (ctx) => {
      const id = await commitmentId();
      const context = await newContextWithoutJavaScript(ctx);
      let swapId = '';
      try {
        const page = await context.newPage();
        trackNavigations(page);
        await signIn(page, 'contractor@demo.test');
        await visit(page, `/credits/swaps/new?commitmentId=${id}`);
        await page.getByLabel('Deliver another measure of at least equal value instead').check();
        await page.getByLabel(/^Quantity you cannot deliver/).fill('5');
        await page.getByLabel('Measure you will deliver instead').selectOption(await measureOption(page, OTHER));
        await page.getByLabel('Quantity you will deliver instead').fill('5');
        await page.getByRole('button', { name: 'Check values' }).click();
        await afterNavigation(page);
        const values = page.getByTestId('swap-values');
        await values.getByText('5 weeks, worth £1,550.00').waitFor();
        await values.getByText('5 weeks, worth £725.00').waitFor();
        await page.locator('.govuk-error-summary').getByText(/must be worth at least the £1,550.00/).waitFor();
        assert.equal(await getDb().selectFrom('credit_swap').select('id').where('commitment_id', '=', id).where('status', '=', 'requested').execute().then((r) => r.length), 0, 'checking saves nothing');
        await page.getByLabel('Quantity you will deliver instead').fill('11');
        await page.getByLabel('Why you cannot deliver it as written').fill(unique('A third apprentice moved away'));
        await page.getByRole('button', { name: 'Send request' }).click();
        await afterNavigation(page);
        await expectText(page, 'Swap requested.');
        swapId = /\/credits\/swaps\/([^/?]+)/.exec(page.url())![1]!;
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }

      assert.equal(await swapStatus(swapId), 'requested');
    },
  },
  {
    name: 'without JavaScript: an officer rejects a swap on the decide page, and deciding it again says it is decided',
    run: async (ctx) => {
      const swapId = await requestedSwap();
      const officerContext = await newContextWithoutJavaScript(ctx);
      try {
        const officer = await officerContext.newPage();
        trackNavigations(officer);
        await signIn(officer, 'officer@demo.test');
        await visit(officer, `/credits/swaps/${swapId}`);
        // Without JavaScript the button is a link to the decide page.
        await officer.getByRole('button', { name: 'Reject', exact: true }).click();
        await afterNavigation(officer);
        await expectHeading(officer, 'Decide on a swap');
        await officer.getByLabel('Reason for your decision').fill('Placements do not replace apprenticeships on this contract');
        await officer.getByRole('button', { name: 'Save decision' }).click();
        await afterNavigation(officer);
        await expectText(officer, 'Swap rejected.');
        // The decide page now says it is decided (and a POST would answer 409).
        await visit(officer, `/credits/swaps/${swapId}/decide?decision=approve`);
        await expectText(officer, /already rejected/);
        assertEveryPageChecked(officer);
      } finally {
        await officerContext.close();
      }
      assert.equal(await swapStatus(swapId), 'rejected');
    },
  },
  {
    name: 'an axe tour of the swap pages and the credit policy setting',
    run: async (ctx) => {
      const { page } = ctx;
      await signIn(page, 'admin@demo.test');
      await visit(page, '/admin/settings');
      await visit(page, '/admin/settings/credit-policy');
      await page.getByLabel(/^Largest share/).fill('150');
      await page.getByRole('button', { name: 'Save credit policy' }).click();
      await afterNavigation(page);
      await page.locator('.govuk-error-summary').getByText('Largest share that swaps may meet must be a whole number from 0 to 100').waitFor();
      const swap = await getDb().selectFrom('credit_swap').select('id').orderBy('created_at', 'desc').executeTakeFirst();
      if (swap) {
        await visit(page, `/credits/swaps/${swap.id}`);
        await visit(page, `/credits/swaps/${swap.id}/decide`);
      }
    },
  },
];
