import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_SIGN_INS } from '#db/seeds/demo';
import {
  afterNavigation, assertEveryPageChecked, DEMO_PASSWORD, expectErrorSummary, expectHeading, expectText, expectTitle, newContextWithoutJavaScript, signIn, signOut, trackNavigations, userByEmail, visit, type Journey,
} from './support';

/** The status /account answers for this browser's cookies, without following a redirect. */
async function accountStatus(page: Page): Promise<number> {
  const response = await page.request.get('/account', { maxRedirects: 0 });
  return response.status();
}

export const journeys: Journey[] = [
  ...DEMO_SIGN_INS.map(({ email, role }) => ({
    name: `${role} signs in, sees their name, opens their account and signs out`,
    run: async ({ page }: Parameters<Journey['run']>[0]) => {
      const { name } = await userByEmail(email);
      await signIn(page, email);
      assert.equal(new URL(page.url()).pathname, '/');
      await expectHeading(page, `Welcome, ${name}`);
      await expectText(page, name);

      assert.equal(await accountStatus(page), 200);
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL('**/account');
      await afterNavigation(page);
      await expectText(page, email);

      await signOut(page);
      assert.equal(new URL(page.url()).pathname, '/');
      await expectHeading(page, 'Social value from council contracts');
      // Signed out for real: a protected page sends us to sign in.
      assert.equal(await accountStatus(page), 302, '/account must send a signed-out visitor to sign in');
    },
  })),
  {
    name: 'a wrong password shows the error summary and an "Error:" title, and keeps the email',
    run: async ({ page }) => {
      await visit(page, '/sign-in');
      await page.getByLabel('Email address').fill('vcse@demo.test');
      await page.getByLabel('Password', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectErrorSummary(page, 'Enter a correct email address and password');
      await afterNavigation(page);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await page.getByLabel('Email address').inputValue(), 'vcse@demo.test');

      // An empty form names each missing field, each message linked to its field.
      await page.getByLabel('Email address').fill('');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectErrorSummary(page);
      await afterNavigation(page);
      const links = page.locator('.govuk-error-summary a');
      assert.ok((await links.count()) >= 1, 'the summary lists the problems');
      const target = await links.first().getAttribute('href');
      assert.match(target ?? '', /^#/);
      await links.first().click();
      const focusedId = await page.evaluate(() => document.activeElement?.id);
      assert.equal(`#${focusedId}`, target, 'following a summary link focuses its field');
    },
  },
  {
    name: 'without JavaScript: a wrong password shows the error summary, the right one signs in',
    run: async (ctx) => {
      const context = await newContextWithoutJavaScript(ctx);
      try {
        const page = await context.newPage();
        trackNavigations(page);
        await visit(page, '/sign-in');
        await page.getByLabel('Email address').fill('officer@demo.test');
        await page.getByLabel('Password', { exact: true }).fill('not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await afterNavigation(page);
        await page.locator('.govuk-error-summary').getByText('Enter a correct email address and password').waitFor();
        await expectTitle(page, /^Error: /);
        assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back');

        await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.pathname === '/');
        await afterNavigation(page);
        await expectHeading(page, `Welcome, ${(await userByEmail('officer@demo.test')).name}`);
        await signOut(page);
        assertEveryPageChecked(page);
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'keyboard: the skip link is the first thing Tab reaches and moves focus to the main content',
    run: async ({ page }) => {
      await visit(page, '/');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') }));
      assert.deepEqual(first, { text: 'Skip to main content', href: '#main-content' });
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main-content' || location.hash === '#main-content');
      assert.equal(new URL(page.url()).hash, '#main-content');
    },
  },
  {
    name: 'an unknown address shows the service’s page-not-found page',
    run: async ({ page }) => {
      await visit(page, '/no-such-page', { status: 404 });
      await expectHeading(page, 'Page not found');
      await expectText(page, 'Skip to main content');
    },
  },
];
