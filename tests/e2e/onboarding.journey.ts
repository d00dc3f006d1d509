import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  afterNavigation, assertEveryPageChecked, expectErrorSummary, expectHeading, expectText, latestEmail, openEmailLinkViaOutbox, signIn, signOut, trackNavigations, unique, visit, type Journey,
} from './support';

// Joining the portal: a contractor accepts an officer's invitation; a VCSE
// organisation registers itself and an officer verifies it (docs/onboarding.md).

const NEW_PASSWORD = 'lantern-orchard-cobalt-77';

async function submit(page: Page, button: string) {
  await page.getByRole('button', { name: button }).click();
  await afterNavigation(page);
}

export const journeys: Journey[] = [
  {
    name: 'an officer invites a contractor to a new supplier, who accepts and is signed in',
    run: async (ctx) => {
      const { page } = ctx;
      const email = `invitee-${randomUUID().slice(0, 8)}@e2e.example`;
      const supplier = unique('Harbourside Cleaning Ltd');

      await signIn(page, 'officer@demo.test');
      await visit(page, '/officer/invitations/new');
      await submit(page, 'Send invitation');
      await expectErrorSummary(page, 'Enter the email address of the person you are inviting');

      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Full name').fill('Jordan Lee');
      await page.getByLabel('Organisation', { exact: true }).selectOption('new');
      await page.getByLabel('Organisation name').fill(supplier);
      await Promise.all([page.waitForURL(/\/officer\/invitations\?sent=/), page.getByRole('button', { name: 'Send invitation' }).click()]);
      await afterNavigation(page);
      await expectText(page, `Invitation sent to ${email}`);
      await signOut(page);

      // The invitee follows the emailed link, read from the demo outbox by an administrator.
      await openEmailLinkViaOutbox(ctx, email);
      await expectText(page, supplier);
      await page.getByLabel('Create a password').fill(NEW_PASSWORD);
      await page.getByLabel(/Confirm/).fill(NEW_PASSWORD);
      await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Create account' }).click()]);
      await afterNavigation(page);
      await expectHeading(page, 'Welcome, Jordan Lee');
      await expectText(page, supplier);

      // The link works once.
      await signOut(page);
      const again = await latestInvitationPath(email);
      await visit(page, again, { status: 410 });
      await expectText(page, /already been used/);
    },
  },
  {
    name: 'a VCSE organisation registers and waits; an officer verifies it; its user sees it verified',
    run: async (ctx) => {
      const { page } = ctx;
      const organisation = unique('Abbey Lane Allotment Society');
      const email = `vcse-${randomUUID().slice(0, 8)}@e2e.example`;

      await visit(page, '/register');
      await submit(page, 'Register');
      await expectErrorSummary(page, 'Enter the name of your organisation');

      await page.getByLabel('Organisation name').fill(organisation);
      await page.getByLabel(/Registered charity number/).fill('1123456');
      await page.getByLabel('Ward').selectOption({ label: 'Abbey' });
      await page.getByLabel('What your organisation does').fill('We run a community allotment and teach growing skills to local families.');
      await page.getByLabel('Full name').fill('Morgan Ellis');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Create a password').fill(NEW_PASSWORD);
      await page.getByLabel(/Confirm/).fill(NEW_PASSWORD);
      await Promise.all([page.waitForURL('**/register/done'), page.getByRole('button', { name: 'Register' }).click()]);
      await afterNavigation(page);
      await expectText(page, 'Registration received');
      await visit(page, '/');
      await expectText(page, /waiting to be verified/);
      await signOut(page);

      // An officer finds it in the queue and verifies it.
      const officerContext = await ctx.browser.newContext({ baseURL: ctx.baseURL });
      try {
        const officer = await officerContext.newPage();
        trackNavigations(officer);
        await signIn(officer, 'officer@demo.test');
        await visit(officer, '/officer/organisations');
        await officer.getByRole('link', { name: organisation }).click();
        await officer.waitForURL(/\/officer\/organisations\/[^/?]+$/);
        await afterNavigation(officer);
        await officer.getByLabel('Yes, verify it').check();
        await Promise.all([officer.waitForURL(/decided=/), officer.getByRole('button', { name: 'Save decision' }).click()]);
        await afterNavigation(officer);
        await expectText(officer, `${organisation} has been verified`);
        assertEveryPageChecked(officer);
      } finally {
        await officerContext.close();
      }

      // The organisation's user is told, and sees it verified.
      const mail = await latestEmail(email, { kind: 'organisation_decided' });
      assert.match(mail.subject, /verified/i);
      await signIn(page, email, NEW_PASSWORD);
      await expectText(page, /Your organisation is verified/);
    },
  },
];

async function latestInvitationPath(email: string): Promise<string> {
  const mail = await latestEmail(email, { kind: 'invitation' });
  assert.ok(mail.link, 'the invitation email has no link');
  return new URL(mail.link).pathname;
}
