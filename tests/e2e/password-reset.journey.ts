import assert from 'node:assert/strict';
import { afterNavigation, createUser, expectErrorSummary, expectText, latestEmail, openEmailLinkViaOutbox, signIn, signOut, visit, type Journey } from './support';

// Password reset through the emailed link, read from the demo outbox (docs/accounts.md).

const NEW_PASSWORD = 'meadow-copper-kettle-58';

export const journeys: Journey[] = [
  {
    name: 'a user resets a forgotten password with the emailed link, which then stops working',
    run: async (ctx) => {
      const { page } = ctx;
      const user = await createUser('vcse');

      await visit(page, '/sign-in');
      await page.getByRole('link', { name: 'Forgotten your password?' }).click();
      await page.waitForURL('**/forgot-password');
      await afterNavigation(page);
      await page.getByLabel('Email address').fill(user.email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.waitForURL(/sent=1/);
      await afterNavigation(page);
      await expectText(page, /If an account exists/);

      await openEmailLinkViaOutbox(ctx, user.email);
      assert.match(new URL(page.url()).pathname, /^\/reset-password\//);
      const resetPath = new URL(page.url()).pathname;

      // A common password is refused by the field.
      await page.getByLabel('New password', { exact: true }).fill('password1234');
      await page.getByLabel(/Confirm/).fill('password1234');
      await page.getByRole('button', { name: 'Save new password' }).click();
      await afterNavigation(page);
      await expectErrorSummary(page, 'Password is too common. Choose a password that is harder to guess');

      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel(/Confirm/).fill(NEW_PASSWORD);
      await Promise.all([page.waitForURL(/\/sign-in\?reset=1/), page.getByRole('button', { name: 'Save new password' }).click()]);
      await afterNavigation(page);
      await expectText(page, 'Your password has been changed');

      await signIn(page, user.email, NEW_PASSWORD);
      await expectText(page, user.name);
      await signOut(page);

      // Single use.
      await visit(page, resetPath, { status: 410 });
      await expectText(page, /expired or has already been used/);
      const mail = await latestEmail(user.email);
      assert.match(mail.subject, /password/i);
    },
  },
];
