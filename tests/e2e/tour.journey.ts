import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { afterNavigation, signIn, visit, type Journey } from './support';

// Every page of the portal, as the role that may see it, checked with axe
// (WCAG 2.2 A and AA). Journeys elsewhere cover what the pages do; this one makes
// sure no page is left out of the accessibility check. Detail pages are reached
// through the first link of their list, so the tour follows the demo data.

/** Opens the first link on the page whose address matches, and checks the page it reaches. */
async function followFirst(page: Page, pattern: RegExp, { required = true } = {}): Promise<boolean> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  if (!href) {
    assert.ok(!required, `No link matching ${pattern} on ${page.url()}`);
    return false;
  }
  await visit(page, href);
  return true;
}

/** A contract's own page, not /contracts/new or /contracts/import. */
const CONTRACT_PAGE = /^\/contracts\/(?!new$|import)[^/?]+$/;

const PUBLIC = ['/', '/sign-in', '/register', '/forgot-password', '/accessibility', '/privacy', '/cookies'];

export const journeys: Journey[] = [
  {
    name: 'tour: every public page passes axe',
    run: async ({ page }) => {
      for (const path of PUBLIC) await visit(page, path);
      await visit(page, '/invitations/not-a-real-token', { status: 404 });
      await visit(page, '/reset-password/not-a-real-token', { status: 410 });
    },
  },
  {
    name: 'tour: every administrator page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'admin@demo.test');
      await visit(page, '/account');
      await visit(page, '/account/password');
      await visit(page, '/admin/users');
      await followFirst(page, /^\/admin\/users\/[^/?]+$/);
      await visit(page, '/admin/audit');
      await visit(page, '/admin/audit?actionName=user.signed_in');
      await visit(page, '/admin/outbox');
      await followFirst(page, /^\/admin\/outbox\/[^/?]+$/, { required: false });
      await visit(page, '/admin/measures');
      await visit(page, '/admin/measures?q=jobs');
      await followFirst(page, /^\/admin\/measures\/[^/?]+$/);
      await visit(page, '/admin/measures/new');
      await visit(page, '/admin/measures/import');
      await visit(page, '/admin/settings');
    },
  },
  {
    name: 'tour: every officer page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'officer@demo.test');
      await visit(page, '/contracts');
      await visit(page, '/contracts?status=active&sort=value&order=desc');
      await followFirst(page, CONTRACT_PAGE);
      const contractPath = new URL(page.url()).pathname;
      await visit(page, `${contractPath}/edit`);
      await visit(page, `${contractPath}/close`);
      await visit(page, `${contractPath}/commitments/new`);
      await visit(page, contractPath);
      await followFirst(page, /\/commitments\/[^/]+\/edit$/);
      await visit(page, '/contracts/new');
      await visit(page, '/contracts/import');
      await visit(page, '/officer/returns');
      await visit(page, '/officer/returns?status=decided');
      await followFirst(page, /^\/returns\/[^/?]+$/);
      await visit(page, '/officer/invitations');
      await visit(page, '/officer/invitations/new');
      await visit(page, '/officer/organisations');
      await followFirst(page, /^\/officer\/organisations\/[^/?]+$/);
      await visit(page, '/officer/organisations?status=verified');
      await followFirst(page, /^\/officer\/organisations\/[^/?]+$/);
    },
  },
  {
    name: 'tour: every contractor page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'contractor@demo.test');
      await visit(page, '/contracts');
      await followFirst(page, CONTRACT_PAGE);
      await followFirst(page, /\/returns\/new/);
      await visit(page, '/returns');
      await followFirst(page, /^\/returns\/[^/?]+$/);
      await visit(page, '/');
      const clicked = await followFirst(page, /^\/returns\/[^/?]+\/edit$/, { required: false });
      if (!clicked) await afterNavigation(page);
    },
  },
  {
    name: 'tour: every VCSE page passes axe',
    run: async ({ page }) => {
      await signIn(page, 'vcse@demo.test');
      await visit(page, '/organisation');
      await visit(page, '/account');
      await visit(page, '/contracts', { status: 403 });
    },
  },
];
