import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { valueOfQuantity } from '~/modules/contracts/figures';
import { newId } from '~/utils/ids.server';
import { makeCommitment, makeContract } from '../support/factories';
import { decideReturn } from '~/modules/returns/review.server';
import { insertReturn } from '~/modules/returns/review.test-support';
import { decideClaim, requestClaim } from '~/modules/credits/claims.server';
import { afterNavigation, assertEveryPageChecked, expectHeading, expectText, signIn, signOut, trackNavigations, unique, userByEmail, visit, type Journey, type JourneyContext } from './support';

// Issue #5 end to end (docs/credits.md): a contractor's return goes past a
// commitment's target and the officer's approval banks the surplus; the
// contractor claims credits for a confirmed pledge and the officer approves;
// the contractor asks to meet part of another commitment with credits and the
// officer approves in the Radix dialog (JavaScript on); the contract page and
// the ledger page then show the same figures. Every page is checked with axe,
// the dialog too. Plus an axe tour of the ledger pages.
//
// Each part makes its own contract for Brightwater (contractor@demo.test),
// officer Priya Shah, so it depends on no other journey's leftovers. The story
// is told in three parts so each stays within the runner's 60 s on a busy
// machine; part 3 starts where parts 1 and 2 end, with the earlier steps done
// through the same services the pages call.

const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

async function go(page: Page, url: RegExp | string, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

const pence = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

async function measure(code: string) {
  return getDb().selectFrom('measure').select(['id', 'code', 'title', 'proxy_value_pence as proxy']).where('code', '=', code).executeTakeFirstOrThrow();
}

/** A fresh Brightwater contract with a work-placements commitment (target 2 weeks) and a volunteering one (100 hours), and a confirmed pledge on it. */
async function setUp() {
  const db = getDb();
  const contractor = await db.selectFrom('user').select(['id', 'organisation_id']).where('email', '=', 'contractor@demo.test').executeTakeFirstOrThrow();
  const officer = await userByEmail('officer@demo.test');
  const placements = await measure('SKL-02');
  const volunteering = await measure('HLT-01');
  const reference = `E2E-CR-${newId().slice(0, 6).toUpperCase()}`;
  const contract = await makeContract({ supplierId: contractor.organisation_id, officerId: officer.id, reference, title: unique('Harbour footbridge'), startDate: '2026-01-05', endDate: '2028-03-31' });
  const a = await makeCommitment(contract.id, placements.id, { targetMilli: 2000, dueDate: '2027-12-31' });
  const b = await makeCommitment(contract.id, volunteering.id, { targetMilli: 100_000, dueDate: '2027-12-31' });
  const item = await db.selectFrom('wishlist_item').select('id').orderBy('created_at').executeTakeFirstOrThrow();
  const pledgeId = newId();
  const now = new Date().toISOString();
  await db.insertInto('pledge').values({
    id: pledgeId, item_id: item.id, supplier_id: contractor.organisation_id, contract_id: contract.id, description: unique('Ten hours of joinery for the pantry’s new shelving'),
    value_pence: 25_000, expected_date: '2026-10-01', status: 'confirmed', response_reason: null, delivery_note: 'Done', responded_by: null, responded_at: now,
    delivered_at: now, confirmed_by: null, confirmed_at: now, created_by: contractor.id, created_at: now, updated_at: now,
  }).execute();
  return { contract, a, b, placements, volunteering, pledgeId };
}

/** The contract page's credit balance and the how-met figures for one commitment. */
async function contractFigures(page: Page, contractId: string, commitmentId: string) {
  await visit(page, `/contracts/${contractId}`);
  const balance = pence(await page.getByTestId('credit-balance').locator('strong').innerText());
  const met = page.getByTestId(`how-met-${commitmentId}`);
  const substituted = pence((await met.getByTestId('how-met-substituted').innerText()).split('(')[1]!.split(')')[0]!);
  return { balance, substituted };
}


/** The contractor on ctx.page and the officer in a second browser context, each signed in once. */
async function twoUsers(ctx: JourneyContext, work: (officer: Page) => Promise<void>) {
  const officerContext = await ctx.browser.newContext({ baseURL: ctx.baseURL });
  officerContext.setDefaultTimeout(10_000);
  officerContext.setDefaultNavigationTimeout(15_000);
  try {
    const officer = await officerContext.newPage();
    trackNavigations(officer);
    await signIn(ctx.page, 'contractor@demo.test');
    await signIn(officer, 'officer@demo.test');
    await work(officer);
    assertEveryPageChecked(officer);
  } finally {
    await officerContext.close();
  }
}

/** Parts 1 and 2 done through the services: the surplus of a 3-week return (target 2) banked, and the pledge's claim approved. */
async function earnAndClaim(s: Awaited<ReturnType<typeof setUp>>) {
  const db = getDb();
  const contractor = await db.selectFrom('user').select(['id', 'organisation_id']).where('email', '=', 'contractor@demo.test').executeTakeFirstOrThrow();
  const officer = await userByEmail('officer@demo.test');
  const ret = await insertReturn({ commitmentId: s.a.id, contractId: s.contract.id, supplierId: contractor.organisation_id, createdBy: contractor.id }, { quantityMilli: 3000 });
  const decided = await decideReturn(db, ret.id, { decision: 'approve' }, { userId: officer.id, organisationId: null });
  assert.ok(decided.ok && decided.surplus, 'the return was approved with a surplus');
  const claim = await requestClaim(db, { contractId: s.contract.id, kind: 'pledge', pledgeId: s.pledgeId }, { userId: contractor.id, organisationId: contractor.organisation_id });
  assert.ok(claim.ok, 'the claim was made');
  assert.ok((await decideClaim(db, claim.id, { decision: 'approve' }, { userId: officer.id, organisationId: null })).ok, 'the claim was approved');
}

export const journeys: Journey[] = [
  {
    name: 'credits (issue 5) 1/3: a return past its commitment’s target is approved and the surplus is banked on the balance',
    run: async (ctx) => {
      const { page } = ctx;
      const s = await setUp();
      await twoUsers(ctx, async (officer) => {
        /* ---- The contractor reports 3 weeks of placements against a target of 2. */
        await visit(page, `/contracts/${s.contract.id}/commitments/${s.a.id}/returns/new`);
        const periodSelect = page.getByLabel('Reporting period');
        const options = await periodSelect.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o.textContent ?? '').trim() })));
        const free = options.find((o) => o.value && !/already/.test(o.label));
        assert.ok(free, 'a reporting period without a return');
        await periodSelect.selectOption(free.value);
        await page.getByLabel(/^Quantity delivered in this period/).fill('3');
        await page.getByLabel('What was delivered').fill(unique('Three students from Harbour College spent a week each on site'));
        await page.getByLabel('Evidence files').setInputFiles({ name: 'placements.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
        await go(page, /\/returns\/[^/]+\?done=submitted$/, () => page.getByRole('button', { name: 'Submit return' }).click());
        const returnId = /\/returns\/([^/?]+)\?/.exec(page.url())![1]!;

        /* ---- The officer approves it: one week beyond the target is banked. */
        await visit(officer, `/returns/${returnId}/decide`);
        await officer.getByRole('group', { name: 'What is your decision?' }).getByLabel('Approve', { exact: true }).check();
        await go(officer, /\/officer\/returns\?decided=/, () => officer.getByRole('button', { name: 'Save decision' }).click());

        await visit(page, `/returns/${returnId}`);
        await expectText(page, 'has been banked as credits on the contract’s balance');
        await visit(page, '/credits');
        const row = page.getByTestId('credits-contracts').locator('tbody tr').filter({ hasText: s.contract.reference });
        assert.equal(pence(await row.getByTestId('credits-balance').innerText()), valueOfQuantity(1000, s.placements.proxy), 'the surplus is on the balance');
      });
    },
  },
  {
    name: 'credits (issue 5) 2/3: the contractor claims credits for a confirmed pledge; the officer approves; the balance shows it',
    run: async (ctx) => {
      const { page } = ctx;
      const s = await setUp();
      await twoUsers(ctx, async (officer) => {
        await visit(page, `/credits/claims/new?pledgeId=${s.pledgeId}`);
        await expectHeading(page, 'Claim credits');
        await go(page, /\/credits\/claims\/[^/]+\?done=requested$/, () => page.getByRole('button', { name: 'Send claim' }).click());
        const claimId = /\/credits\/claims\/([^/?]+)/.exec(page.url())![1]!;

        await visit(officer, `/credits/claims/${claimId}/decide`);
        await officer.getByRole('group', { name: 'What is your decision?' }).getByLabel('Approve', { exact: true }).check();
        await go(officer, /\/officer\/credits\?decided=/, () => officer.getByRole('button', { name: 'Save decision' }).click());

        await visit(page, `/contracts/${s.contract.id}`);
        await expectText(page, 'Credit balance: £250.00');
      });
    },
  },
  {
    name: 'credits (issue 5) 3/3: a swap with credits is approved in the dialog; the contract page and the ledger show the same figures',
    run: async (ctx) => {
      const { page } = ctx;
      const s = await setUp();
      await earnAndClaim(s);
      const surplus = valueOfQuantity(1000, s.placements.proxy);
      const swapValue = valueOfQuantity(10_000, s.volunteering.proxy);
      await twoUsers(ctx, async (officer) => {
        /* ---- The contractor asks to meet 10 volunteering hours with credits. */
        await visit(page, `/contracts/${s.contract.id}`);
        await go(page, /\/credits\/swaps\/new\?commitmentId=/, () => page.getByRole('link', { name: `Request a swap for ${s.volunteering.code} ${s.volunteering.title}` }).click());
        await page.getByLabel(/^Quantity you cannot deliver/).fill('10');
        await page.getByLabel('Spend credits from the contract’s balance').check();
        await page.getByLabel('Why you cannot deliver it as written').fill(unique('The community groups we planned to help closed for the winter'));
        await go(page, /\/credits\/swaps\/[^/]+\?done=requested$/, () => page.getByRole('button', { name: 'Send request' }).click());
        const swapId = /\/credits\/swaps\/([^/?]+)/.exec(page.url())![1]!;

        /* ---- The officer approves in the dialog (checked with axe while open). */
        await visit(officer, `/credits/swaps/${swapId}`);
        await officer.getByRole('button', { name: 'Approve', exact: true }).click();
        const dialog = officer.getByRole('dialog', { name: 'Approve this swap?' });
        await dialog.waitFor();
        await afterNavigation(officer);
        await dialog.getByLabel('Reason for approving').fill('The pledge and the surplus more than cover it.');
        await go(officer, new RegExp(`/credits/swaps/${swapId}\\?done=approved$`), () => dialog.getByRole('button', { name: 'Approve swap' }).click());

        /* ---- Contract page and ledger agree, with each other and with the arithmetic. */
        const figures = await contractFigures(officer, s.contract.id, s.b.id);
        assert.equal(figures.balance, surplus + 25_000 - swapValue, 'contract page balance');
        assert.equal(figures.substituted, swapValue, 'contract page substituted value');
        const commitmentRow = officer.getByTestId('commitments-table').locator('tbody tr').filter({ hasText: s.volunteering.code });
        assert.equal(pence((await commitmentRow.locator('td').nth(4).innerText()).split('\n')[0]!), swapValue, 'the commitments table’s substituted value');

        await go(officer, new RegExp(`/contracts/${s.contract.id}/ledger$`), () => officer.getByRole('link', { name: 'View the credits ledger' }).click());
        await expectHeading(officer, 'Credits ledger');
        assert.equal(pence(await officer.getByTestId('ledger-balance').innerText()), figures.balance, 'ledger balance = contract page balance');
        assert.equal(pence(await officer.getByTestId('ledger-substituted').innerText()), figures.substituted, 'ledger substituted = contract page substituted');
        assert.equal(await officer.getByTestId('ledger-transaction').count(), 3, 'earned, claim and swap');
        for (const kind of ['Swap approved', 'Claim approved', 'Credits earned']) await expectText(officer, kind);

        const seen = await contractFigures(page, s.contract.id, s.b.id);
        assert.deepEqual(seen, figures, 'the contractor sees the same figures');
        await expectText(page, 'met with credits from the contract’s balance');
      });
    },
  },
  {
    name: 'credits tour: the ledger pages, the reversal page and the contractor’s credits page pass axe',
    run: async ({ page }) => {
      const s = await setUp();
      // A banked surplus to look at and to reverse.
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/credits');
      await visit(page, `/contracts/${s.contract.id}`);
      await visit(page, `/contracts/${s.contract.id}/ledger`);
      await expectText(page, 'No credits have been booked on this contract yet.');
      await signOut(page);

      await signIn(page, 'officer@demo.test');
      const harbour = await getDb().selectFrom('contract').select('id').where('reference', '=', 'NBC-2026-003').executeTakeFirstOrThrow();
      await visit(page, `/contracts/${harbour.id}`);
      await visit(page, `/contracts/${harbour.id}/ledger`);
      const reverse = page.getByRole('link', { name: /^Reverse/ }).first();
      if (await reverse.count()) {
        await go(page, /\/credits\/transactions\/[^/]+\/reverse$/, () => reverse.click());
        await expectHeading(page, 'Reverse a ledger transaction');
        // Submitting without a reason shows the error summary (checked with axe too).
        await page.getByRole('button', { name: 'Reverse transaction' }).click();
        await afterNavigation(page);
        await expectText(page, 'Enter the reason for reversing this transaction');
      }
      const csv = await page.request.get(`/contracts/${harbour.id}/ledger.csv`);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
      const all = await page.request.get('/officer/ledger.csv');
      assert.equal(all.status(), 200);
    },
  },
];
