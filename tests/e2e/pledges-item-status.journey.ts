import type { Page } from 'playwright-core';
import { getDb } from '#db/client';
import { makeItem, makePledge } from '../support/factories-pledges';
import { afterNavigation, assertEveryPageChecked, expectErrorSummary, expectText, signIn, trackNavigations, unique, visit, type Journey } from './support';

// Pledges on a need that has moved on (docs/pledges.md "When the need moves on",
// ADR 0022), in the browser, every page checked with axe. Each journey makes its
// own need and pledge, so the demo's stay as they are.

const demoUser = (email: string) =>
  getDb().selectFrom('user').select(['id', 'organisation_id as organisationId']).where('email', '=', email).executeTakeFirstOrThrow();

async function press(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click();
  await afterNavigation(page);
}

export const journeys: Journey[] = [
  {
    name: 'pledges: an offer on a need back with the council can only be declined, and both sides are told why',
    run: async (ctx) => {
      const { page } = ctx;
      const pantry = await demoUser('vcse@demo.test');
      const brightwater = await demoUser('contractor@demo.test');
      const item = await makeItem({ organisationId: pantry.organisationId, createdBy: pantry.id, title: unique('Shelving'), estimatePence: 30_000, status: 'submitted' });
      const pledge = await makePledge(item.id, brightwater.organisationId, { createdBy: brightwater.id, valuePence: 20_000, description: 'Four steel shelving units' });
      const path = `/pledges/${pledge.id}`;

      const other = await ctx.browser.newContext({ baseURL: ctx.baseURL });
      try {
        const contractor = await other.newPage();
        trackNavigations(contractor);
        await signIn(contractor, 'contractor@demo.test');
        await visit(contractor, path);
        await expectText(contractor, /The organisation changed this need.*You can withdraw it at any time\./);
        assertEveryPageChecked(contractor);
      } finally {
        await other.close();
      }

      await signIn(page, 'vcse@demo.test');
      await visit(page, path);
      await expectText(page, 'You can accept this pledge once the council has approved it, or decline it now.');
      if ((await page.getByRole('radio', { name: 'Yes, accept it' }).count()) !== 0) throw new Error('The accept answer is offered on a need back with the council');
      await press(page, 'Decline pledge');
      await expectErrorSummary(page, 'Enter the reason you are declining this pledge');
      await page.getByLabel('Why are you declining it?').fill('We are changing what we need. Thank you for offering.');
      await press(page, 'Decline pledge');
      await expectText(page, 'Pledge declined. The contractor has been told.');
    },
  },
  {
    name: 'pledges: an accepted pledge on an expired need carries on and can be marked delivered',
    run: async ({ page }) => {
      const pantry = await demoUser('vcse@demo.test');
      const brightwater = await demoUser('contractor@demo.test');
      const item = await makeItem({ organisationId: pantry.organisationId, createdBy: pantry.id, title: unique('Tinned food'), estimatePence: 15_000, status: 'expired' });
      const pledge = await makePledge(item.id, brightwater.organisationId, { createdBy: brightwater.id, valuePence: 15_000, status: 'accepted', description: 'Two pallets of tinned food' });
      await signIn(page, 'contractor@demo.test');
      await visit(page, `/pledges/${pledge.id}`);
      await expectText(page, 'This pledge carries on: it was accepted, so it can still be delivered and its receipt confirmed.');
      await page.getByLabel('What did you deliver, and when?').fill('Both pallets delivered on Monday morning.');
      await press(page, 'Mark as delivered');
      await expectText(page, 'Marked as delivered.');
    },
  },
];
