import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { requestClaim } from '~/modules/credits/claims.server';
import { contractBalance } from '~/modules/credits/ledger.server';
import {
  afterNavigation, assertEveryPageChecked, expectErrorSummary, expectHeading, expectText, newContextWithoutJavaScript, signIn, signOut,
  trackNavigations, unique, visit, type Journey,
} from './support';

// Credit claims (docs/claims.md): a contractor claims credits for an activity
// with an evidence file; an officer approves a lower amount with a reason; the
// contract's credit balance shows it. Plus the same claim made without
// JavaScript (the server's "Check the value"), and an axe tour of every claim page.

const CONTRACT = 'NBC-2026-003'; // Brightwater: Harbour sea wall repairs
const MEASURE = 'SKL-03'; // Careers talks, £42.50 an hour
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

async function go(page: Page, url: RegExp | string, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

/** The contract's credit balance in pence, as /credits shows it. */
async function balanceShown(page: Page): Promise<number> {
  await visit(page, '/credits');
  const row = page.getByTestId('credits-contracts').locator('tbody tr').filter({ hasText: CONTRACT });
  const text = await row.getByTestId('credits-balance').innerText();
  return Math.round(Number(text.replace(/[£,\s]/g, '')) * 100);
}

/** Chooses the option whose text starts with `prefix`. */
async function selectStarting(page: Page, label: string, prefix: string) {
  const select = page.getByLabel(label, { exact: true });
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o.textContent ?? '').trim()));
  const option = options.find((o) => o.startsWith(prefix));
  assert.ok(option, `an option starting ${prefix} in ${label}, among: ${options.join('; ')}`);
  await select.selectOption({ label: option });
}

/** From /credits/claims/new to the activity form, filled in (files and links aside). */
async function startActivityClaim(page: Page, description: string, quantity: string) {
  await page.getByRole('group', { name: 'What are you claiming for?' }).getByLabel('An activity against a measure').check();
  await go(page, /kind=activity/, () => page.getByRole('button', { name: 'Continue' }).click());
  await selectStarting(page, 'Contract to credit', CONTRACT);
  await selectStarting(page, 'Measure', MEASURE);
  await page.getByLabel('Quantity delivered').fill(quantity);
  await page.getByLabel('What was delivered').fill(description);
}

export const journeys: Journey[] = [
  {
    name: 'claims: a contractor claims for an activity with an evidence file, seeing the value as it types',
    run: async ({ page }) => {
      const description = unique('Careers talks at Harbour College');
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/credits');
      await go(page, /\/credits\/claims\/new$/, () => page.locator('main a[href="/credits/claims/new"]').first().click());
      await expectHeading(page, 'Claim credits');
      await startActivityClaim(page, description, '10');
      // With JavaScript the value follows the typing: 10 hours × £42.50.
      await expectText(page, '£425.00');
      await page.getByLabel('Evidence files').setInputFiles({ name: 'attendance.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
      await go(page, /\/credits\/claims\/[^/]+\?done=requested$/, () => page.getByRole('button', { name: 'Send claim' }).click());
      await expectHeading(page, 'Credit claim');
      await expectText(page, 'Claim sent');
      await expectText(page, '£425.00');
      await page.getByRole('link', { name: 'attendance.pdf' }).waitFor();
      const claimId = /\/credits\/claims\/([^/?]+)/.exec(page.url())![1]!;
      const row = await getDb().selectFrom('credit_claim').select(['status', 'requested_value_pence', 'description']).where('id', '=', claimId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'requested', requested_value_pence: 42_500, description });
      assert.equal((await getDb().selectFrom('claim_evidence').select('file_name').where('claim_id', '=', claimId).execute()).map((e) => e.file_name).join(), 'attendance.pdf');
    },
  },
  {
    name: 'claims: the officer approves a lower amount with a reason; the contractor sees it on the balance',
    run: async ({ page }) => {
      const reason = unique('Only eight hours are on the attendance sheets');
      const contractor = await getDb().selectFrom('user').select(['id', 'organisation_id']).where('email', '=', 'contractor@demo.test').executeTakeFirstOrThrow();
      const contract = await getDb().selectFrom('contract').select('id').where('reference', '=', CONTRACT).executeTakeFirstOrThrow();
      const measure = await getDb().selectFrom('measure').select('id').where('code', '=', MEASURE).executeTakeFirstOrThrow();
      const made = await requestClaim(getDb(), { contractId: contract.id, kind: 'activity', measureId: measure.id, quantityMilli: 10_000, description: unique('Careers talks') },
        { userId: contractor.id, organisationId: contractor.organisation_id, requestId: null });
      assert.ok(made.ok, JSON.stringify(made));
      const claimId = made.id;
      const before = await contractBalance(getDb(), contract.id);

      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/credits');
      await expectHeading(page, 'Credit requests');
      await go(page, new RegExp(`/credits/claims/${claimId}/decide$`), () => page.locator(`a[href="/credits/claims/${claimId}/decide"]`).click());
      await expectHeading(page, 'Decide on a credit claim');
      await page.getByRole('group', { name: 'What is your decision?' }).getByLabel('Approve', { exact: true }).check();
      await page.getByLabel('Amount approved, in pounds').fill('340');
      await page.getByRole('button', { name: 'Save decision' }).click();
      await afterNavigation(page);
      await expectErrorSummary(page, 'Enter the reason for approving less than the amount claimed');
      await page.getByRole('group', { name: 'What is your decision?' }).getByLabel('Approve', { exact: true }).check();
      await page.getByLabel('Amount approved, in pounds').fill('340');
      await page.getByLabel('Reason', { exact: true }).fill(reason);
      await go(page, /\/officer\/credits\?decided=/, () => page.getByRole('button', { name: 'Save decision' }).click());
      await expectText(page, /approved/);
      const row = await getDb().selectFrom('credit_claim').select(['status', 'approved_value_pence']).where('id', '=', claimId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'approved', approved_value_pence: 34_000 });
      await signOut(page);

      await signIn(page, 'contractor@demo.test');
      assert.equal(await balanceShown(page), before + 34_000, 'the approved £340 is on the contract’s balance');
      await visit(page, `/credits/claims/${claimId}`);
      await expectText(page, '£340.00');
      await expectText(page, reason);
    },
  },
  {
    name: 'claims: without JavaScript, "Check the value" shows what a claim is worth, and the claim is sent',
    run: async (ctx) => {
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        await signIn(page, 'contractor@demo.test');
        await visit(page, '/credits/claims/new');
        await startActivityClaim(page, unique('Mock interviews'), '2.5');
        await go(page, /\/credits\/claims\/new/, () => page.getByRole('button', { name: 'Check the value' }).click());
        await expectText(page, '£106.25'); // 2.5 × £42.50, rounded half up
        await go(page, /\/credits\/claims\/[^/]+\?done=requested$/, () => page.getByRole('button', { name: 'Send claim' }).click());
        await expectText(page, '£106.25');
        // Withdraw it: the form works without JavaScript too.
        await go(page, /done=withdrawn$/, () => page.getByRole('button', { name: 'Withdraw claim' }).click());
        await expectText(page, 'Claim withdrawn');
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'tour: every contractor credit claim page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/credits/claims/new');
      await visit(page, '/credits/claims/new?kind=activity');
      await visit(page, '/credits/claims/new?kind=pledge');
      // With a free pledge to choose, sending nothing chosen shows the error summary.
      if (await page.getByRole('button', { name: 'Send claim' }).count()) {
        await page.getByRole('button', { name: 'Send claim' }).click();
        await afterNavigation(page);
        await expectErrorSummary(page, 'Select the contract to credit', 'Select one of your organisation’s confirmed pledges');
      }
      const claim = await getDb().selectFrom('credit_claim as c').innerJoin('user as u', 'u.id', 'c.created_by')
        .select('c.id').where('u.email', '=', 'contractor@demo.test').orderBy('c.created_at', 'desc').executeTakeFirst();
      if (claim) await visit(page, `/credits/claims/${claim.id}`);
    },
  },
  {
    name: 'tour: every officer credit claim page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/credits');
      await visit(page, '/officer/credits?view=decided');
      await visit(page, '/officer/credits?type=swap');
      // A decided claim's decision page says so, with no form.
      const decided = await getDb().selectFrom('credit_claim').select('id').where('status', '!=', 'requested').executeTakeFirst();
      if (decided) {
        await visit(page, `/credits/claims/${decided.id}/decide`);
        await expectText(page, /already|withdrew/);
      }
      const pending = await getDb().selectFrom('credit_claim').select('id').where('status', '=', 'requested').orderBy('created_at').executeTakeFirst();
      if (pending) {
        await visit(page, `/credits/claims/${pending.id}`);
        await visit(page, `/credits/claims/${pending.id}/decide`);
        // An empty decision shows the error summary.
        await page.getByRole('button', { name: 'Save decision' }).click();
        await afterNavigation(page);
        await expectErrorSummary(page, 'Select whether to approve or reject the claim');
      }
    },
  },
];
