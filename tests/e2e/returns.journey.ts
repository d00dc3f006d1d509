import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { afterNavigation, assertEveryPageChecked, expectErrorSummary, expectHeading, expectText, latestEmail, signIn, trackNavigations, unique, visit, type Journey } from './support';

// Issue 4's acceptance (docs/returns.md): a contractor reports progress with a PDF,
// the officer asks for more information, the contractor answers and resubmits, the
// officer approves a smaller quantity with a reason, and the contractor sees the
// approved figures, the reason and the whole thread.

const CONTRACT = 'NBC-2025-014';
const MEASURE = 'SKL-01'; // Apprenticeship weeks, in weeks
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

/** Clicks (or submits) and waits for the address it should reach, then checks the page. */
async function go(page: Page, url: RegExp | string, action: () => Promise<void>) {
  await Promise.all([page.waitForURL(url), action()]);
  await afterNavigation(page);
}

/** The number beside "Returns to review" in an officer's menu (none is shown when nothing waits). */
async function reviewCount(page: Page): Promise<number> {
  const text = await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: /^Returns to review/ }).first().innerText();
  return Number(/\((\d+)/.exec(text)?.[1] ?? 0);
}

/** The Delivered cell's quantity (the line under the value) of the measure's row in the commitments table. */
async function deliveredShown(page: Page, measure: string): Promise<string> {
  const row = page.getByTestId('commitments-table').locator('tbody tr').filter({ has: page.locator('th strong', { hasText: measure }) });
  assert.equal(await row.count(), 1, `one ${measure} row in the commitments table`);
  return (await row.locator('td').nth(3).locator('span').innerText()).trim();
}

async function deliveredMilli(commitmentId: string): Promise<number> {
  const row = await getDb().selectFrom('commitment').select('delivered_milli').where('id', '=', commitmentId).executeTakeFirstOrThrow();
  return row.delivered_milli;
}

/** The thread's entries, each as one line of text, oldest first. */
async function threadEntries(page: Page): Promise<string[]> {
  return page.getByTestId('thread').locator(':scope > li').evaluateAll((items) => items.map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** Chooses the decision, fills the quantity and reason, and saves. */
async function decide(page: Page, decision: 'Approve' | 'Reject' | 'Ask for more information', reason: string, quantity?: string) {
  await page.getByRole('group', { name: 'What is your decision?' }).getByLabel(decision, { exact: true }).check();
  if (quantity !== undefined) await page.getByLabel(/^Approved quantity/).fill(quantity);
  await page.getByLabel('Reason or message to the contractor').fill(reason);
  await page.getByRole('button', { name: 'Save decision' }).click();
}

export const journeys: Journey[] = [
  {
    name: 'a contractor submits a return with a PDF, answers a request for more information, and sees the smaller approved quantity',
    run: async (ctx) => {
      const { page } = ctx;
      const narrative = unique('Three apprentices completed eight weeks each on site');
      const question = unique('Please attach the apprentices’ timesheets or say how many weeks each completed');
      const reply = unique('Two of the three were on site for eight weeks; the third started late and did six');
      const reason = unique('Only 18 weeks are backed by the timesheets');

      /* ---- The contractor reports progress. */
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/contracts');
      await go(page, /\/contracts\/[^/?]+$/, () => page.getByRole('link', { name: CONTRACT }).first().click());
      await expectHeading(page, 'Eastfield school extension');
      const contractPath = new URL(page.url()).pathname;
      const deliveredBefore = await deliveredShown(page, MEASURE);

      await go(page, /\/returns\/new$/, () => page.getByTestId('report-progress').getByRole('link', { name: new RegExp(`^Report progress on ${MEASURE}\\b`) }).click());
      await expectHeading(page, 'Report progress');
      const commitmentId = /\/commitments\/([^/]+)\/returns\/new$/.exec(page.url())![1]!;
      const before = await deliveredMilli(commitmentId);

      // The first period nobody has reported on yet (each period takes one live return).
      const periodSelect = page.getByLabel('Reporting period');
      const options = await periodSelect.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o.textContent ?? '').trim() })));
      const free = options.find((o) => o.value && !/\((return|a draft return) already/.test(o.label));
      assert.ok(free, `a reporting period without a return, among: ${options.map((o) => o.label).join('; ')}`);
      const period = free.label.replace(/\s*\(.*$/, '');
      await periodSelect.selectOption(free.value);

      await page.getByLabel('Quantity delivered in this period (weeks)').fill('24');
      await page.getByLabel('What was delivered').fill(narrative);
      await page.getByLabel('This is a story worth telling').check();
      await page.getByLabel('Evidence files').setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
      await go(page, /\/returns\/[^/]+\?done=submitted$/, () => page.getByRole('button', { name: 'Submit return' }).click());
      const returnId = /\/returns\/([^/?]+)\?/.exec(page.url())![1]!;
      const returnPath = `/returns/${returnId}`;
      await expectHeading(page, `Progress return: ${period}`);
      await expectText(page, 'Return submitted');
      await expectText(page, narrative);
      assert.equal(await page.locator('main .govuk-tag').first().innerText(), 'Submitted');

      // The PDF is listed and downloads as an attachment.
      const download = page.getByTestId('evidence-list').getByRole('link', { name: 'evidence.pdf' });
      const href = await download.getAttribute('href');
      assert.match(href ?? '', new RegExp(`^${returnPath}/evidence/[^/]+$`));
      const file = await page.request.get(href!);
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-disposition'] ?? '', /^attachment/);
      assert.equal((await file.body()).toString(), PDF);

      // The responsible officer is told, with a link to the return.
      const submitted = await latestEmail('officer@demo.test', { kind: 'return_submitted' });
      assert.ok(submitted.link?.endsWith(returnPath), `the officer's email links to ${returnPath}: ${submitted.link}`);

      /* ---- The officer asks for more information. */
      const officerContext = await ctx.browser.newContext({ baseURL: ctx.baseURL });
      officerContext.setDefaultTimeout(10_000);
      officerContext.setDefaultNavigationTimeout(15_000);
      try {
        const officer = await officerContext.newPage();
        trackNavigations(officer);
        await signIn(officer, 'officer@demo.test');
        const waiting = await reviewCount(officer);
        assert.ok(waiting >= 1, 'the header counts the new return');

        await visit(officer, returnPath);
        await expectText(officer, narrative);
        await go(officer, `**${returnPath}/decide`, () => officer.getByRole('button', { name: 'Review this return' }).click());
        await expectHeading(officer, 'Decide on a progress return');
        assert.equal(await officer.getByLabel(/^Approved quantity/).inputValue(), '24', 'the approved quantity starts as the claim');
        const officerFile = await officer.request.get(href!);
        assert.equal(officerFile.status(), 200, 'the officer can download the evidence too');

        await go(officer, /\/officer\/returns\?decided=/, () => decide(officer, 'Ask for more information', question));
        await expectText(officer, `Return for ${CONTRACT} ${MEASURE} sent back for more information`);
        assert.equal(await reviewCount(officer), waiting - 1, 'the return leaves the queue while the contractor answers');

        /* ---- The contractor answers and resubmits. */
        await visit(page, returnPath);
        assert.equal(await page.locator('main .govuk-tag').first().innerText(), 'More information requested');
        await expectText(page, question);
        await go(page, `**${returnPath}/edit`, () => page.getByRole('button', { name: 'Edit and resubmit' }).click());
        await expectHeading(page, `Answer and resubmit: ${period}`);
        // Resubmitting without a reply is refused.
        await page.getByRole('button', { name: 'Resubmit', exact: true }).click();
        await afterNavigation(page);
        await expectErrorSummary(page, 'Enter your reply to the officer’s request for more information');
        await page.getByLabel('Your reply to the officer').fill(reply);
        await go(page, `**${returnPath}?done=resubmitted`, () => page.getByRole('button', { name: 'Resubmit', exact: true }).click());
        await expectText(page, 'Return resubmitted');
        assert.equal(await page.locator('main .govuk-tag').first().innerText(), 'Submitted');

        /* ---- The officer approves a smaller quantity, with a reason. */
        await visit(officer, '/officer/returns?sort=newest');
        assert.equal(await reviewCount(officer), waiting, 'the resubmitted return is back in the queue');
        await go(officer, `**${returnPath}/decide`, () => officer.locator(`a[href="${returnPath}/decide"]`).click());
        assert.match(await officer.locator('main dl').first().innerText(), /Quantity claimed\s+24 weeks/);
        // A different quantity needs a reason.
        await decide(officer, 'Approve', '', '18');
        await afterNavigation(officer);
        await expectErrorSummary(officer, 'Enter the reason for approving a different quantity from the one claimed');
        assert.equal(await deliveredMilli(commitmentId), before, 'a refused decision delivers nothing');
        await go(officer, /\/officer\/returns\?decided=/, () => decide(officer, 'Approve', reason, '18'));
        await expectText(officer, `Return for ${CONTRACT} ${MEASURE} approved`);
        assert.equal(await reviewCount(officer), waiting - 1);
        assertEveryPageChecked(officer);
      } finally {
        await officerContext.close();
      }

      /* ---- The contractor sees the new figures and the thread. */
      assert.equal(await deliveredMilli(commitmentId), before + 18_000, 'delivered grows by exactly the approved quantity');
      const decidedEmail = await latestEmail('contractor@demo.test', { kind: 'return_decided' });
      assert.ok(decidedEmail.link?.endsWith(returnPath), `the contractor's email links to ${returnPath}: ${decidedEmail.link}`);

      await visit(page, returnPath);
      assert.equal(await page.locator('main .govuk-tag').first().innerText(), 'Approved');
      const summary = page.locator('main dl.govuk-summary-list');
      await expectText(page, 'Approved quantity');
      assert.match(await summary.innerText(), /Quantity delivered\s+24 weeks/);
      assert.match(await summary.innerText(), /Approved quantity\s+18 weeks/);
      assert.match(await summary.innerText(), new RegExp(`Reason for the approved quantity\\s+${reason}`));
      assert.match(await summary.innerText(), /Decided\s+.+ by Priya Shah/);
      assert.equal(await page.getByRole('button', { name: 'Edit and resubmit' }).count(), 0, 'a decided return cannot be changed');

      const thread = await threadEntries(page);
      assert.equal(thread.length, 4, `submitted, asked, resubmitted, approved:\n${thread.join('\n')}`);
      const expected: Array<[string, string, string]> = [
        ['Chris Walker', 'Submitted the return', ''],
        ['Priya Shah', 'Asked for more information', question],
        ['Chris Walker', 'Resubmitted the return', reply],
        ['Priya Shah', 'Approved the return', `Approved 18 weeks of the 24 weeks claimed. ${reason}`],
      ];
      expected.forEach(([author, step, body], i) => {
        const entry = thread[i]!;
        assert.ok(entry.startsWith(author), `entry ${i + 1} is by ${author}: ${entry}`);
        assert.ok(entry.includes(step), `entry ${i + 1} is "${step}": ${entry}`);
        assert.ok(entry.includes(body), `entry ${i + 1} says "${body}": ${entry}`);
      });

      // The contract's Delivered figure for the commitment went up by the approved 18 weeks.
      await go(page, `**${contractPath}`, () => page.getByRole('link', { name: `Back to ${CONTRACT}` }).click());
      const deliveredAfter = await deliveredShown(page, MEASURE);
      const asNumber = (text: string) => Number(text.replace(/[^\d.]/g, ''));
      assert.equal(asNumber(deliveredAfter), asNumber(deliveredBefore) + 18, `Delivered was ${deliveredBefore}, is ${deliveredAfter}`);
      assert.match(deliveredAfter, / weeks$/);
      const listed = page.getByTestId('contract-returns').locator(`a[href="${returnPath}"]`);
      await listed.waitFor();
      assert.match(await listed.locator('..').innerText(), /Approved/);
    },
  },
];
