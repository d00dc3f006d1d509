import { randomUUID } from 'node:crypto';
import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#db/schema';
import { ROLES } from '~/auth/permissions';
import { makeUser } from './support/factories';
import { cookieFor, makeRequest, run, type Outcome } from './support/requests';

// Every route module is either visibly public or protected. Each loader and action
// is called as an anonymous visitor (expecting a redirect to /sign-in) and as every
// role not allowed (expecting 403). Params get dummy values: the guard must run
// before any lookup, so a made-up id still gets the redirect or the 403.
//
// Adding a route? Add one line to ROUTES below: `{ file, allow: [roles] }` for a
// protected route, or `{ file, public: 'why anyone may call it' }`.

type Entry = { file: string; allow: readonly Role[] } | { file: string; public: string };

const SIGNED_IN = ROLES;
const STAFF: readonly Role[] = ['officer', 'admin'];

const ROUTES: Entry[] = [
  // Public pages and forms
  { file: '_index.tsx', public: 'home page: each audience, signed in or not, is told what to do next' },
  { file: 'sign-in.tsx', public: 'the sign-in form itself' },
  { file: 'sign-out.tsx', public: 'signing out without a session only clears the cookie' },
  { file: 'forgot-password.tsx', public: 'asking for a reset link is for people who cannot sign in' },
  { file: 'reset-password.$token.tsx', public: 'the emailed single-use token is the credential' },
  { file: 'invitations.$token.tsx', public: 'the emailed single-use invitation token is the credential' },
  { file: 'register.tsx', public: 'VCSE organisations register before they have an account' },
  { file: 'accessibility.tsx', public: 'accessibility statement: static, must be readable by everyone' },
  { file: 'privacy.tsx', public: 'privacy notice: static' },
  { file: 'cookies.tsx', public: 'cookies page: static' },
  { file: 'impact.tsx', public: 'public impact page for residents: theme and ward figures under the disclosure rule (ADR 0019), no supplier or personal data' },
  { file: '$.tsx', public: 'catch-all: answers 404 for any unknown address' },
  { file: 'stories._index.tsx', public: 'published stories of impact for residents (issue #7); the query finds published ones only' },
  { file: 'stories.$storyId._index.tsx', public: 'a published story; drafts and unpublished stories are 404 for everyone' },
  { file: 'stories.$storyId.photo.tsx', public: 'a published story’s photo; otherwise only staff who manage stories, 404 for others' },
  { file: 'newsletters._index.tsx', public: 'the public archive of sent quarterly newsletters' },
  { file: 'newsletters.$newsletterId.tsx', public: 'a sent newsletter as a web page; drafts are 404' },
  // The public wishlist (H2): public items and the organisation's public fields only
  { file: 'wishlist._index.tsx', public: 'the community wishlist: search and browse without signing in (issue #6)' },
  { file: 'wishlist.$itemId._index.tsx', public: 'a public need; other statuses are 404 except to the owner organisation and staff' },
  { file: 'wishlist[.]csv.tsx', public: 'open data: the public wishlist as CSV, same filters as the page' },
  { file: 'wishlist[.]json.tsx', public: 'open data: the public wishlist as JSON, same filters as the page' },
  { file: 'wishlist[.]atom.tsx', public: 'open data: Atom feed of the newest public needs' },

  // Any signed-in user: their own account
  { file: 'account._index.tsx', allow: SIGNED_IN },
  { file: 'account.password.tsx', allow: SIGNED_IN },
  { file: 'account.sign-out-everywhere.tsx', allow: SIGNED_IN },

  // VCSE users
  { file: 'organisation.tsx', allow: ['vcse'] },
  // A VCSE organisation's own profile and wishlist items ('vcse:profile', 'wishlist:manage'; another organisation's item is 404)
  { file: 'organisation_.edit.tsx', allow: ['vcse'] },
  { file: 'organisation_.wishlist._index.tsx', allow: ['vcse'] },
  { file: 'organisation_.wishlist.new.tsx', allow: ['vcse'] },
  { file: 'organisation_.wishlist.$itemId._index.tsx', allow: ['vcse'] },
  { file: 'organisation_.wishlist.$itemId.edit.tsx', allow: ['vcse'] },
  { file: 'wishlist_.$itemId.photo.tsx', public: 'a public item’s photo is public; any other item’s photo is 404 except to its own organisation and staff (checked in the loader)' },
  { file: 'register_.done.tsx', allow: ['vcse'] },

  // Evidence downloads: staff any return's file; a contractor only their organisation's (404 otherwise, scoped in the query)
  { file: 'returns.$returnId.evidence.$evidenceId.tsx', allow: ['officer', 'admin', 'contractor'] },

  // Contracts ('contract:read'): staff see every contract, contractors only their own organisation's (scoped in the query)
  { file: 'contracts._index.tsx', allow: ['officer', 'admin', 'contractor'] },
  { file: 'contracts.$contractId._index.tsx', allow: ['officer', 'admin', 'contractor'] },
  // Contracts ('contract:manage')
  { file: 'contracts.new.tsx', allow: STAFF },
  { file: 'contracts.$contractId.edit.tsx', allow: STAFF },
  { file: 'contracts.$contractId.close.tsx', allow: STAFF },
  { file: 'contracts.$contractId.commitments.new.tsx', allow: STAFF },
  { file: 'contracts.$contractId.commitments.$commitmentId.edit.tsx', allow: STAFF },
  // Progress returns: contractors ('return:submit') their own organisation's; the return's page also staff (scoped in the query)
  { file: 'contracts.$contractId.commitments.$commitmentId.returns.new.tsx', allow: ['contractor'] },
  { file: 'returns._index.tsx', allow: ['contractor'] },
  { file: 'returns.$returnId.edit.tsx', allow: ['contractor'] },
  { file: 'returns.$returnId._index.tsx', allow: ['contractor', 'officer', 'admin'] },
  // Pledges: contractors pledge ('pledge:make'); the list is the contractor's or the VCSE's own (scoped in the query);
  // a pledge's page is its two organisations' (404 for any other) and staff's, read-only
  { file: 'wishlist_.$itemId_.pledge.tsx', allow: ['contractor'] },
  { file: 'pledges._index.tsx', allow: ['contractor', 'vcse'] },
  { file: 'pledges.$pledgeId.tsx', allow: SIGNED_IN },
  // Credit claims: contractors claim ('credit:request'); a claim's page and its evidence are its organisation's (404 otherwise) and staff's
  { file: 'credits.claims.new.tsx', allow: ['contractor'] },
  { file: 'credits.claims.$claimId._index.tsx', allow: ['contractor', 'officer', 'admin'] },
  { file: 'credits.claims.$claimId.evidence.$evidenceId.tsx', allow: ['contractor', 'officer', 'admin'] },
  // Swaps: contractors request and withdraw their own organisation's (scoped in the query); the swap's page also staff
  { file: 'credits.swaps.new.tsx', allow: ['contractor'] },
  { file: 'credits.swaps.$swapId._index.tsx', allow: ['contractor', 'officer', 'admin'] },
  // Credits ledger (H4): the contractor's balances; a contract's ledger and its CSV for its supplier's contractors (404 otherwise) and staff
  { file: 'credits._index.tsx', allow: ['contractor'] },
  { file: 'contracts.$contractId.ledger.tsx', allow: ['officer', 'admin', 'contractor'] },
  { file: 'contracts.$contractId.ledger[.]csv.tsx', allow: ['officer', 'admin', 'contractor'] },

  // Council staff
  { file: 'officer.invitations._index.tsx', allow: STAFF },
  { file: 'officer.invitations.new.tsx', allow: STAFF },
  { file: 'officer.organisations._index.tsx', allow: STAFF },
  { file: 'officer.organisations.$organisationId.tsx', allow: STAFF },
  { file: 'officer.returns._index.tsx', allow: ['officer', 'admin'] },
  // Reports ('report:read')
  { file: 'officer.dashboard.tsx', allow: STAFF },
  { file: 'officer.dashboard[.]csv.tsx', allow: STAFF },
  { file: 'officer.dashboard.commitments.tsx', allow: STAFF },
  { file: 'officer.reports.annual._index.tsx', allow: STAFF },
  { file: 'officer.reports.annual.$year.tsx', allow: STAFF },
  { file: 'officer.stories._index.tsx', allow: STAFF },
  { file: 'officer.stories.new.tsx', allow: STAFF },
  { file: 'officer.stories.$storyId.tsx', allow: STAFF },
  { file: 'officer.newsletters._index.tsx', allow: STAFF },
  { file: 'officer.newsletters.new.tsx', allow: STAFF },
  { file: 'officer.newsletters.$newsletterId.tsx', allow: STAFF },
  { file: 'returns.$returnId.decide.tsx', allow: ['officer', 'admin'] },
  // Wishlist moderation ('wishlist:moderate')
  { file: 'officer.wishlist._index.tsx', allow: STAFF },
  { file: 'officer.wishlist.$itemId.tsx', allow: STAFF },
  { file: 'officer.credits._index.tsx', allow: STAFF },
  { file: 'credits.claims.$claimId.decide.tsx', allow: STAFF },
  { file: 'credits.swaps.$swapId.decide.tsx', allow: STAFF },
  { file: 'credits.transactions.$transactionId.reverse.tsx', allow: STAFF },
  { file: 'officer.ledger[.]csv.tsx', allow: STAFF },
  { file: 'contracts.import.tsx', allow: STAFF },
  { file: 'contracts.import-template[.]csv.tsx', allow: STAFF },

  // Administrators
  { file: 'admin.users._index.tsx', allow: ['admin'] },
  { file: 'admin.users.$userId.tsx', allow: ['admin'] },
  { file: 'admin.audit.tsx', allow: ['admin'] },
  { file: 'admin.outbox._index.tsx', allow: ['admin'] },
  { file: 'admin.outbox.$notificationId.tsx', allow: ['admin'] },
  { file: 'admin.measures._index.tsx', allow: ['admin'] },
  { file: 'admin.measures.new.tsx', allow: ['admin'] },
  { file: 'admin.measures.$measureId.tsx', allow: ['admin'] },
  { file: 'admin.measures.import.tsx', allow: ['admin'] },
  { file: 'admin.measures[.]csv.tsx', allow: ['admin'] },
  { file: 'admin.measures.template[.]csv.tsx', allow: ['admin'] },
  { file: 'admin.settings.tsx', allow: ['admin'] },
  { file: 'admin.settings_.credit-policy.tsx', allow: ['admin'] },
];

interface RouteModule {
  loader?: LoaderFunction;
  action?: ActionFunction;
}

const found = import.meta.glob<RouteModule>(['../app/routes/**/*.{ts,tsx,js,jsx}', '!../app/routes/**/*.test.*']);

/** Route files as app/routes-relative names; in a folder only route.tsx (or route.ts) is a route. */
const routeFiles = new Map<string, { module?: RouteModule; importError?: unknown }>();
for (const [key, load] of Object.entries(found)) {
  const file = key.replace('../app/routes/', '');
  const parts = file.split('/');
  if (parts.length > 2 || (parts.length === 2 && !/^route\.[jt]sx?$/.test(parts[1]!))) continue;
  // Imported one by one, so a module that fails to import fails its own test, not the whole file.
  try {
    routeFiles.set(file, { module: await load() });
  } catch (importError) {
    routeFiles.set(file, { importError });
  }
}

/** A URL for a flat-routes file name, with a dummy value for each param. */
function urlFor(file: string): { path: string; params: Record<string, string> } {
  const name = file.replace(/\/route\.[jt]sx?$/, '').replace(/\.[jt]sx?$/, '');
  const params: Record<string, string> = {};
  const segments: string[] = [];
  // Dots separate segments, except inside [] (escapes, as in `report[.]csv`).
  for (const raw of name.match(/(?:\[[^\]]*\]|[^.])+/g) ?? []) {
    const segment = raw.replace(/_$/, '');
    if (segment === '' || segment.startsWith('_')) continue;
    if (segment === '$') {
      params['*'] = 'no-such-page';
      segments.push('no-such-page');
    } else if (segment.startsWith('$')) {
      const value = randomUUID();
      params[segment.slice(1)] = value;
      segments.push(value);
    } else {
      segments.push(segment.replace(/[[\]]/g, ''));
    }
  }
  return { path: `/${segments.join('/')}`, params };
}

function describeOutcome(outcome: Outcome): string {
  return `${outcome.status}${outcome.location ? ` → ${outcome.location}` : ''}`;
}

const classified = new Set(ROUTES.map((r) => r.file));

it('classifies every route file as public or protected', () => {
  const unclassified = [...routeFiles.keys()].filter((f) => !classified.has(f)).sort();
  expect(
    unclassified,
    `These route files are not in the ROUTES table of tests/route-inventory.test.ts:\n${unclassified.map((f) => `  - app/routes/${f}`).join('\n')}\n` +
      `Classify each one: { file: '<name>', allow: ['officer', 'admin'] } for a protected route, ` +
      `or { file: '<name>', public: '<why anyone may call it>' } for a public one.`,
  ).toEqual([]);
});

it('lists each route once', () => {
  const files = ROUTES.map((r) => r.file);
  expect(files.filter((f, i) => files.indexOf(f) !== i)).toEqual([]);
});

it.each([...routeFiles].filter(([, r]) => r.importError).map(([file, r]) => ({ file, error: r.importError })))('$file imports', ({ error }) => {
  throw error;
});

const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  for (const role of ROLES) cookies[role] = await cookieFor((await makeUser(role)).id);
});

for (const entry of ROUTES) {
  if (!('allow' in entry)) continue;
  const mod = routeFiles.get(entry.file)?.module;
  if (!mod) {
    // A stale entry would silently check nothing: a renamed or deleted route must leave the table too.
    it(`${entry.file} exists`, () => {
      expect.fail(`${entry.file} is in ROUTES but there is no such route file; remove or rename the entry`);
    });
    continue;
  }
  const disallowed = ROLES.filter((role) => !entry.allow.includes(role));
  const { path, params } = urlFor(entry.file);

  describe(`${entry.file} (for ${entry.allow.join(', ')})`, () => {
    for (const kind of ['loader', 'action'] as const) {
      const fn = mod[kind];
      if (!fn) continue;
      const request = (cookie?: string) => makeRequest(path, { method: kind === 'loader' ? 'GET' : 'POST', form: kind === 'action' ? {} : undefined, cookie });

      it(`${kind}: an anonymous visitor is sent to sign in`, async () => {
        const outcome = await run(fn, request(), params);
        expect([302, 303], `${kind} of ${entry.file} as anonymous gave ${describeOutcome(outcome)}`).toContain(outcome.status);
        expect(outcome.location ?? '').toMatch(/^\/sign-in(\?|$)/);
      });

      if (disallowed.length) {
        it(`${kind}: ${disallowed.join(', ')} get 403`, async () => {
          for (const role of disallowed) {
            const outcome = await run(fn, request(cookies[role]), params);
            expect(outcome.status, `${kind} of ${entry.file} as ${role} gave ${describeOutcome(outcome)}`).toBe(403);
          }
        });
      }
    }

    const { loader } = mod;
    if (loader) {
      it(`loader: ${entry.allow.join(', ')} get past the guard`, async () => {
        for (const role of entry.allow) {
          const outcome = await run(loader, makeRequest(path, { cookie: cookies[role] }), params);
          // A dummy id may well be a 404; what matters is that the guard let this role through.
          expect(outcome.status, `loader of ${entry.file} as ${role} gave ${describeOutcome(outcome)}`).not.toBe(403);
          expect(outcome.location ?? '', `loader of ${entry.file} as ${role}`).not.toMatch(/^\/sign-in/);
        }
      });
    }
  });
}

it('has no table entries for public routes that are also protected', () => {
  const publicFiles = ROUTES.filter((r) => 'public' in r).map((r) => r.file);
  const protectedFiles = ROUTES.filter((r) => 'allow' in r).map((r) => r.file);
  expect(publicFiles.filter((f) => protectedFiles.includes(f))).toEqual([]);
  for (const r of ROUTES) if ('public' in r) expect(r.public.length, `give a reason for public route ${r.file}`).toBeGreaterThan(10);
});
