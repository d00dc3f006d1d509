/*
 * Browser journeys: conventions (read before adding one)
 * ======================================================
 *
 * Run:     npm run test:e2e                 (builds, then runs every journey, in 2 lanes)
 *          npm run test:e2e -- reset        (only journeys whose file or name contains "reset";
 *                                            after a build, `node --import tsx tests/e2e/run.ts reset`)
 *          E2E_LANES=1 npm run test:e2e     (one lane: every journey one after another; default 2,
 *                                            1 on a one-core machine; never more lanes than files)
 *          E2E_HEADED=1 / E2E_SLOWMO=250    (watch it, if the machine has a display)
 *
 * Add one: create tests/e2e/<topic>.journey.ts exporting
 *
 *     export const journeys: Journey[] = [
 *       { name: 'a visitor resets a forgotten password', run: async ({ page }) => { ... } },
 *     ];
 *
 * run.ts finds every *.journey.ts file itself; nothing else needs registering.
 *
 * The rules:
 * 1. Every page a journey shows is checked with axe (WCAG 2.0/2.1/2.2 A and AA).
 *    Go to a page with `visit(page, '/path')`; after anything that navigates or
 *    re-renders the page (a click on a link, submitting a form, including one that
 *    comes back with errors) call `await afterNavigation(page)`. The runner fails
 *    a journey that reached a page nobody checked.
 * 2. Each journey gets a fresh browser context (no cookies). The journeys run in
 *    lanes at the same time (run.ts; E2E_LANES, default 2): each lane is its own
 *    process with its own portal, its own fresh demo database (db/seeds/demo.ts)
 *    and its own Chromium, and runs whole journey files, one journey after
 *    another in file order. A file never spans two lanes, but which files share a
 *    lane (and so run before yours on the same database) depends on the recorded
 *    times in tests/e2e/timings.json. So journeys must not depend on each other,
 *    nor on what another file's journeys leave behind or leave untouched.
 * 3. Leave the demo sign-ins (admin@demo.test, officer@demo.test, contractor@demo.test,
 *    vcse@demo.test; password DEMO_PASSWORD) as seeded. A journey that changes a
 *    user (password, role, deactivation) makes its own with `createUser('vcse')`.
 *    Give anything you create a unique name (`unique('Pantry')`).
 * 4. Sign-in and other rate limits kept in the database are cleared before each
 *    journey, so journeys do not lock each other out.
 * 5. Emails: `latestEmail(to)` reads the newest outbox message for an address
 *    straight from the database; `openEmailLinkViaOutbox(ctx, to)` does what a
 *    demo user would: an administrator opens Outbox, opens the message and follows
 *    its link (data-testid="notification-link"); the link is then opened in the
 *    journey's own page.
 * 6. Assert with `node:assert/strict` and these helpers; locators wait by
 *    themselves (`await page.getByRole(...).waitFor()`). Use accessible names
 *    (roles, labels, visible text) rather than CSS classes where you can.
 * 7. Without JavaScript: `const context = await newContextWithoutJavaScript(ctx)`
 *    (axe then runs on a script-free copy of each page). For any page a journey
 *    opens itself (another context, a second user), call `trackNavigations(page)`
 *    first and `assertEveryPageChecked(page)` at the end; the runner does this
 *    for `ctx.page` only. Close the contexts you open.
 * 8. A script error, a CSP violation or any other browser console error on
 *    `ctx.page` fails the journey (a 4xx answer the browser logs does not).
 * 9. Keep a journey under ~30 s. run.ts fails one after 60 s in one lane, 90 s
 *    when lanes share the cores (each journey is slower then, the run much
 *    shorter), and its summary names the three slowest and any over 45 s.
 *    A failure saves a screenshot and the page's HTML in test-results/e2e/lane-N/,
 *    next to that lane's server.log. Each run writes every journey's time to
 *    test-results/e2e/timings.json; after adding or much changing journeys, copy
 *    it over tests/e2e/timings.json so the lanes stay balanced (a journey not
 *    recorded there counts as the average one).
 *    createUser, latestEmail and the other database helpers here work on the
 *    database of the lane they run in.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { sql } from 'kysely';
import { getDb } from '#db/client';
import type { Role } from '#db/schema';
import { DEMO_PASSWORD } from '#db/seeds/demo';
import { makeUser } from '../support/factories';

export { DEMO_PASSWORD };

export interface JourneyContext {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  /** The portal's address, e.g. http://127.0.0.1:41234 (pages also accept paths: `page.goto('/sign-in')`). */
  baseURL: string;
  /** Prints a line under the journey's name. */
  log: (message: string) => void;
}

export interface Journey {
  name: string;
  run: (ctx: JourneyContext) => Promise<void>;
}

/* ------------------------------------------------------------------ pages */

/** Goes to a path, expects a page (status below 400 unless `status` says otherwise), and checks it with axe. */
export async function visit(page: Page, path: string, { status }: { status?: number } = {}): Promise<Response | null> {
  const response = await page.goto(path);
  if (status !== undefined) assert.equal(response?.status(), status, `${path} answered ${response?.status()}`);
  else assert.ok(response && response.status() < 400, `${path} answered ${response?.status()}`);
  await afterNavigation(page);
  return response;
}

/** After a click or submit: waits for the page to settle, then checks it with axe. */
export async function afterNavigation(page: Page): Promise<void> {
  await settle(page);
  await checkA11y(page);
}

/** Waits for the document to load and for Remix to finish any navigation or submission. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { navigation: { state: string }; fetchers: Map<string, { state: string }> } } }).__remixRouter;
    if (!router) return document.readyState === 'complete';
    return router.state.navigation.state === 'idle' && [...router.state.fetchers.values()].every((f) => f.state === 'idle');
  });
  // Let React commit what the router just produced (no React without JavaScript, and no animation frames either).
  await page.evaluate(() => ('__remixRouter' in window ? new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))) : null));
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Pages already found clean in this run, by their markup: the same DOM gives the same result. */
const cleanPages = new Set<string>();

/** Runs axe on the page as it is now; throws with a readable list of every violation. */
export async function checkA11y(page: Page): Promise<void> {
  const markup = await page.evaluate(() => `${location.pathname}\n${document.title}\n${document.body.innerHTML}`);
  const key = createHash('sha256').update(markup.replace(/ nonce="[^"]*"/g, '')).digest('hex');
  if (cleanPages.has(key)) return markChecked(page);
  const results = withoutJavaScript.has(page.context()) ? await axeOnTwin(page) : await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  markChecked(page);
  if (results.violations.length === 0) {
    cleanPages.add(key);
    return;
  }
  const lines = results.violations.flatMap((v) => [
    `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}`,
    `  ${v.helpUrl}`,
    ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s*\n\s*/g, ' ') ?? ''}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
  ]);
  throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
}

const withoutJavaScript = new WeakSet<BrowserContext>();

/** A browser context with JavaScript turned off (every form must work without it). Close it when done. */
export async function newContextWithoutJavaScript(ctx: JourneyContext): Promise<BrowserContext> {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseURL, javaScriptEnabled: false });
  withoutJavaScript.add(context);
  return context;
}

/**
 * axe needs timers, which do not run in a page without JavaScript. So the page's
 * HTML, without its scripts, is served at the same address to a scripted twin
 * page (same styles from the portal), and axe runs there.
 */
async function axeOnTwin(page: Page) {
  const browser = page.context().browser();
  assert.ok(browser, 'no browser for the accessibility twin');
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  let twinContext = twinContexts.get(browser);
  if (!twinContext) {
    twinContext = await browser.newContext();
    twinContexts.set(browser, twinContext);
  }
  const twin = await twinContext.newPage();
  try {
    const url = page.url();
    await twin.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await twin.goto(url, { waitUntil: 'load' });
    return await new AxeBuilder({ page: twin }).withTags(WCAG_TAGS).analyze();
  } finally {
    await twin.close();
  }
}
const twinContexts = new WeakMap<Browser, BrowserContext>();

/* ------------------------------------------------------ navigation safety net */

interface Tracker {
  lastChecked: string | null;
  current: string | null;
  unchecked: string[];
}
const trackers = new WeakMap<Page, Tracker>();
const withoutHash = (url: string) => url.replace(/#.*$/, '');

/** Called by the runner: records every main-frame navigation, so unchecked pages fail the journey. */
export function trackNavigations(page: Page): void {
  const tracker: Tracker = { lastChecked: null, current: null, unchecked: [] };
  trackers.set(page, tracker);
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    const url = withoutHash(frame.url());
    if (url === 'about:blank' || url === tracker.current) return;
    if (tracker.current && tracker.current !== tracker.lastChecked) tracker.unchecked.push(tracker.current);
    tracker.current = url;
  });
}

function markChecked(page: Page): void {
  const tracker = trackers.get(page);
  if (!tracker) return;
  tracker.current = withoutHash(page.url());
  tracker.lastChecked = tracker.current;
}

/** Called by the runner when a journey ends. */
export function assertEveryPageChecked(page: Page): void {
  const tracker = trackers.get(page);
  if (!tracker) return;
  const missed = [...tracker.unchecked, ...(tracker.current && tracker.current !== tracker.lastChecked ? [tracker.current] : [])];
  assert.deepEqual(missed, [], `These pages were shown but never checked with axe; call afterNavigation(page) after the click or submit that reached them:\n${missed.join('\n')}`);
}

/* ---------------------------------------------------------------- accounts */

/** Signs in through the form and waits for the page it lands on (checked with axe on the way). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await visit(page, '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await afterNavigation(page);
}

/** Signs out with the header's button and waits for the public home page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  await afterNavigation(page);
}

/** A new active user with its own organisation, for journeys that change a user. */
export async function createUser(role: Role, { password = DEMO_PASSWORD, email }: { password?: string; email?: string } = {}) {
  const user = await makeUser(role, { password, email: email ?? `${role}-${randomUUID().slice(0, 8)}@e2e.example` });
  const row = await getDb().selectFrom('user').select('name').where('id', '=', user.id).executeTakeFirstOrThrow();
  return { ...user, name: row.name, password };
}

/** The stored user for an email (the demo users' names, for example). */
export async function userByEmail(email: string) {
  return getDb().selectFrom('user').select(['id', 'name', 'email', 'role', 'status']).where('email', '=', email).executeTakeFirstOrThrow();
}

export const unique = (prefix = 'e2e') => `${prefix} ${randomUUID().slice(0, 8)}`;

/* ------------------------------------------------------------------ emails */

export interface Email {
  id: string;
  kind: string;
  subject: string;
  body: string;
  /** The absolute link in the message, if it has one. */
  link: string | null;
}

/** The newest outbox message for an address, straight from the database (waits a little for it to appear). */
export async function latestEmail(toEmail: string, { kind, timeoutMs = 5_000 }: { kind?: string; timeoutMs?: number } = {}): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let query = getDb()
      .selectFrom('notification')
      .select(['id', 'kind', 'subject', 'body_text as body', 'link'])
      .where(sql<string>`lower(to_email)`, '=', toEmail.toLowerCase())
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
    if (kind) query = query.where('kind', '=', kind);
    const row = await query.executeTakeFirst();
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`No email to ${toEmail}${kind ? ` of kind ${kind}` : ''} in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What a demo user does to read an email: an administrator (in a separate
 * browser context) opens Outbox, opens the newest message to `toEmail`, and
 * reads the link marked data-testid="notification-link"; the journey's own page
 * then follows it. Every page on the way is checked with axe.
 */
export async function openEmailLinkViaOutbox(ctx: JourneyContext, toEmail: string): Promise<void> {
  const adminContext = await ctx.browser.newContext({ baseURL: ctx.baseURL });
  try {
    const admin = await adminContext.newPage();
    trackNavigations(admin);
    await signIn(admin, 'admin@demo.test');
    await visit(admin, `/admin/outbox?to=${encodeURIComponent(toEmail)}`);
    // The outbox lists the newest message first; each row names its recipient and links to /admin/outbox/$notificationId.
    const row = admin.locator('tr, li, .govuk-summary-card').filter({ hasText: toEmail }).filter({ has: admin.locator('a[href^="/admin/outbox/"]') }).first();
    await row.waitFor({ timeout: 5_000 }).catch(() => {
      throw new Error(`No message to ${toEmail} listed on /admin/outbox`);
    });
    await row.locator('a[href^="/admin/outbox/"]').first().click();
    await admin.waitForURL(/\/admin\/outbox\/[^/]+$/);
    await afterNavigation(admin);
    const href = await admin.getByTestId('notification-link').getAttribute('href');
    assert.ok(href, 'The message has no data-testid="notification-link" link');
    assertEveryPageChecked(admin);
    // Links carry APP_ORIGIN; follow them on the journey's own origin.
    const url = new URL(href, ctx.baseURL);
    await visit(ctx.page, `${url.pathname}${url.search}`);
  } finally {
    await adminContext.close();
  }
}

/* --------------------------------------------------------------- assertions */

/** Waits until the page shows `text` (visible), or fails naming what it shows instead. */
export async function expectText(page: Page, text: string | RegExp, timeout = 5_000): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout });
  } catch {
    const shown = (await page.locator('main').innerText().catch(() => '')).slice(0, 600);
    throw new Error(`Expected the page ${page.url()} to show ${String(text)}. Its main content:\n${shown}`);
  }
}

export async function expectHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 5_000 }).catch(async () => {
    const h1 = await page.locator('h1').first().innerText().catch(() => '(none)');
    throw new Error(`Expected the main heading ${String(name)} on ${page.url()}, found ${h1}`);
  });
}

export async function expectTitle(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction((source) => new RegExp(source).test(document.title), pattern.source, { timeout: 5_000 }).catch(async () => {
    throw new Error(`Expected the title to match ${pattern}, it is "${await page.title()}"`);
  });
}

/** Expects the GOV.UK error summary, focused, with these messages, and "Error:" before the title. */
export async function expectErrorSummary(page: Page, ...messages: string[]): Promise<void> {
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor({ timeout: 5_000 });
  for (const message of messages) await summary.getByText(message).first().waitFor({ timeout: 2_000 });
  await expectTitle(page, /^Error: /);
  // Moved there after render (GOV.UK: the summary takes focus so screen readers announce it).
  await page.waitForFunction(() => Boolean(document.activeElement?.closest('.govuk-error-summary')), undefined, { timeout: 3_000 }).catch(async () => {
    const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '(nothing)');
    throw new Error(`The error summary should have focus; focus is on ${focused}`);
  });
}
