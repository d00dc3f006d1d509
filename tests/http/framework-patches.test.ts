import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeListedItem } from '../support/factories-wishlist-public';
import { makeVcse } from '../support/factories-wishlist';
import { startApp, type TestServer } from './support';

// patches/ (decision 0025) makes React Router and Remix remember, per routes
// array, what they used to rebuild on every request: ranked branches, compiled
// path patterns, which branch a pathname matches first, the server routes and
// data routes. These tests fail if `npm ci` did not apply the patches, and if a
// remembered match leaked one request's parameters into another's.

const require = createRequire(import.meta.url);
type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
type Match = { route: Route; params: Record<string, string | undefined>; pathname: string };
const router = require('@remix-run/router') as { matchRoutes: (routes: Route[], path: string) => Match[] | null };

describe('the patches are applied', () => {
  it.each([
    ['@remix-run/router', 'rankedBranchesFor'],
    ['@remix-run/router', 'firstMatchCache'],
    ['@remix-run/router', 'compilePathUncached'],
    ['@remix-run/react/dist/server.js', 'serverRoutesFor'],
    ['react-router-dom/server', 'dataRoutesCache'],
  ])('%s has %s (npm ci runs patch-package)', (module, marker) => {
    expect(fs.readFileSync(require.resolve(module), 'utf8')).toContain(marker);
  });
});

describe('matchRoutes with remembered branches and first matches', () => {
  const routes: Route[] = [{
    id: 'root', path: '',
    children: [
      { id: 'home', index: true },
      { id: 'items', path: 'items', children: [{ id: 'items-index', index: true }, { id: 'item', path: ':itemId' }, { id: 'item-new', path: 'new' }] },
      { id: 'optional', path: 'files/:name?' },
      { id: 'splat', path: 'docs/*' },
    ],
  }];
  const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id) ?? null;

  it('answers the same as the first time, with the parameters of each pathname', () => {
    for (let round = 0; round < 3; round += 1) {
      expect(ids('/')).toEqual(['root', 'home']);
      expect(ids('/items')).toEqual(['root', 'items', 'items-index']);
      expect(ids('/items/new')).toEqual(['root', 'items', 'item-new']);
      expect(ids('/items/42')).toEqual(['root', 'items', 'item']);
      expect(ids('/ITEMS/42')).toEqual(['root', 'items', 'item']);
      expect(ids('/files')).toEqual(['root', 'optional']);
      expect(ids('/docs/a/b')).toEqual(['root', 'splat']);
      expect(ids('/nowhere/at/all')).toBeNull();
      expect(router.matchRoutes(routes, '/items/42')!.at(-1)!.params).toEqual({ itemId: '42' });
      expect(router.matchRoutes(routes, '/items/43')!.at(-1)!.params).toEqual({ itemId: '43' });
      expect(router.matchRoutes(routes, '/docs/a/b')!.at(-1)!.params).toEqual({ '*': 'a/b' });
    }
  });

  it('makes fresh match objects each time, so changing one request’s params cannot reach the next', () => {
    const first = router.matchRoutes(routes, '/items/7')!;
    first.at(-1)!.params.itemId = 'changed';
    const second = router.matchRoutes(routes, '/items/7')!;
    expect(second.at(-1)!.params).toEqual({ itemId: '7' });
    expect(second).not.toBe(first);
  });

  it('matches long pathnames (not remembered, so they cannot fill memory) the same way', () => {
    const long = 'x'.repeat(2_000);
    for (let round = 0; round < 2; round += 1) {
      expect(router.matchRoutes(routes, `/items/${long}`)!.at(-1)!.params).toEqual({ itemId: long });
      expect(ids(`/nowhere/${long}`)).toBeNull();
    }
  });

  it('matches a new routes array by its own branches', () => {
    const other: Route[] = [{ id: 'only', path: 'items/:slug' }];
    expect(router.matchRoutes(other, '/items/42')!.map((m) => m.route.id)).toEqual(['only']);
    expect(ids('/items/42')).toEqual(['root', 'items', 'item']);
  });
});

describe('pages over HTTP, one after another', () => {
  let server: TestServer;
  const items: Array<{ id: string; title: string }> = [];
  beforeAll(async () => {
    const { org } = await makeVcse();
    for (const title of ['Laptops for the homework club', 'Minibus driver training', 'Seeds for the allotment']) items.push(await makeListedItem(org.id, { title }));
    server = await startApp();
  });
  afterAll(() => server.close());

  const heading = (html: string) => html.match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1];

  it('shows each item’s own page, never the one matched before it', async () => {
    for (let round = 0; round < 2; round += 1) {
      for (const item of items) {
        const response = await fetch(`${server.url}/wishlist/${item.id}`);
        expect(response.status).toBe(200);
        expect(heading(await response.text())).toBe(item.title);
      }
    }
  });

  it('answers static pages, not-found pages and the favicon', async () => {
    for (let round = 0; round < 2; round += 1) {
      expect(heading(await (await fetch(`${server.url}/accessibility`)).text())).toBe('Accessibility statement');
      const missing = await fetch(`${server.url}/no/such/page`);
      expect(missing.status).toBe(404);
      const favicon = await fetch(`${server.url}/favicon.svg`);
      expect(favicon.status).toBe(200);
      expect(favicon.headers.get('content-type')).toContain('image/svg+xml');
    }
  });
});
