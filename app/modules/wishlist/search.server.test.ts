import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeWard } from '../../../tests/support/factories';
import { HIDDEN_STATUSES, makeListedItem } from '../../../tests/support/factories-wishlist-public';
import { parseWishlistSearch, type WishlistFilters } from './search.schema';
import { browseTuning, searchWishlist, wishlistFilterOptions } from './search.server';

// Known data in this file's own database: four public items and one of each hidden status.
let wardA: string;
let wardB: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  wardA = (await makeWard('Ashby')).id;
  wardB = (await makeWard('Brookside')).id;
  const pantry = (await makeOrganisation('vcse', 'verified', 'Eastfield Community Pantry')).id;
  const club = (await makeOrganisation('vcse', 'verified', 'Riverside Youth Club')).id;
  ids.laptops = (await makeListedItem(pantry, {
    title: 'Laptops for the homework club', description: 'Refurbished machines so children can do homework.', category: 'goods', theme: 'Skills',
    wardId: wardA, valuePence: 50_000, neededBy: '2027-01-01', publishedAt: '2026-10-01T09:00:00.000Z',
  })).id;
  ids.minibus = (await makeListedItem(club, {
    title: 'Minibus for day trips', description: 'A minibus, or a loan of one; we could also use a laptop for bookings.', category: 'goods', theme: 'Communities',
    wardId: wardB, valuePence: 2_000_000, neededBy: null, publishedAt: '2026-11-01T09:00:00.000Z',
  })).id;
  ids.gardening = (await makeListedItem(club, {
    status: 'pledged', title: 'Gardening volunteers', description: 'Help us dig raised beds in the spring.', category: 'volunteering', theme: 'Environment',
    wardId: wardA, valuePence: 0, neededBy: '2026-12-15', publishedAt: '2026-09-01T09:00:00.000Z',
  })).id;
  ids.heating = (await makeListedItem(pantry, {
    status: 'fulfilled', title: 'Funding for heating', description: 'Our warm space needs its heating bills paid this winter.', category: 'funding', theme: 'Communities',
    wardId: null, valuePence: 300_000, neededBy: '2027-03-01', publishedAt: '2026-08-01T09:00:00.000Z',
  })).id;
  for (const status of HIDDEN_STATUSES) {
    await makeListedItem(pantry, { status, title: `Secret laptop ${status}`, description: 'Never shown to the public: laptop minibus heating', wardId: wardA, category: 'goods', theme: 'Skills' });
  }
});

const filters = (query: string): WishlistFilters => parseWishlistSearch(new URLSearchParams(query));
const find = async (query: string, { offset = 0, limit = 20 } = {}) => searchWishlist(getDb(), filters(query), { offset, limit });
const idsOf = async (query: string) => (await find(query)).items.map((i) => i.id);

describe('browsing (no search words)', () => {
  it('lists only public items, newest first, with the count', async () => {
    const page = await find('');
    expect(page.total).toBe(4);
    expect(page.items.map((i) => i.id)).toEqual([ids.minibus, ids.laptops, ids.gardening, ids.heating]);
    expect(page.items[0]).toMatchObject({ organisationName: 'Riverside Youth Club', wardName: 'Brookside', status: 'published', estimatedValuePence: 2_000_000 });
  });

  it('sorts by value, both ways, and by needed-by date (soonest first, undated last)', async () => {
    expect(await idsOf('sort=value-high')).toEqual([ids.minibus, ids.heating, ids.laptops, ids.gardening]);
    expect(await idsOf('sort=value-low')).toEqual([ids.gardening, ids.laptops, ids.heating, ids.minibus]);
    expect(await idsOf('sort=needed-by')).toEqual([ids.gardening, ids.laptops, ids.heating, ids.minibus]);
  });

  it('filters by ward, category, theme and public status, together, whichever way the page is read', async () => {
    for (const sortDirectlyBelow of [2_000, 0]) {
      browseTuning.sortDirectlyBelow = sortDirectlyBelow;
      try {
        await checkFilters();
      } finally {
        browseTuning.sortDirectlyBelow = 2_000;
      }
    }
  });

  const checkFilters = async () => {
    expect(await idsOf(`ward=${wardA}`)).toEqual([ids.laptops, ids.gardening]);
    expect(await idsOf('category=goods')).toEqual([ids.minibus, ids.laptops]);
    expect(await idsOf('theme=Communities')).toEqual([ids.minibus, ids.heating]);
    expect(await idsOf('status=pledged')).toEqual([ids.gardening]);
    expect(await idsOf('status=fulfilled')).toEqual([ids.heating]);
    expect(await idsOf(`ward=${wardA}&category=goods&theme=Skills&status=published`)).toEqual([ids.laptops]);
    expect((await find(`ward=${wardB}&category=funding`)).total).toBe(0);
    expect(await idsOf(`ward=${wardA}&sort=value-high`)).toEqual([ids.laptops, ids.gardening]);
    expect(await idsOf('category=goods&sort=needed-by')).toEqual([ids.laptops, ids.minibus]);
  };

  it('cannot be made to show a hidden status', async () => {
    for (const status of HIDDEN_STATUSES) {
      const page = await find(`status=${status}`);
      expect(page.total, status).toBe(4);
      expect(page.items.map((i) => i.status).every((s) => ['published', 'pledged', 'fulfilled'].includes(s))).toBe(true);
    }
  });

  it('pages: offset and limit, with the full count on every page', async () => {
    const second = await find('sort=value-high', { offset: 2, limit: 2 });
    expect(second.total).toBe(4);
    expect(second.items.map((i) => i.id)).toEqual([ids.laptops, ids.gardening]);
    const beyond = await find('', { offset: 40, limit: 20 });
    expect(beyond).toMatchObject({ total: 4, items: [] });
  });

  it('offers every ward and the themes of public items only', async () => {
    const options = await wishlistFilterOptions(getDb());
    expect(options.wards.map((w) => w.name)).toEqual(expect.arrayContaining(['Ashby', 'Brookside']));
    expect(options.themes).toEqual(['Communities', 'Environment', 'Skills']);
  });
});

describe('searching', () => {
  it('ranks a match in the title above a match in the description', async () => {
    expect(await idsOf('q=laptop')).toEqual([ids.laptops, ids.minibus]);
  });

  it('stems: "laptops" finds "laptop", "gardens" finds "gardening", "heated" finds "heating"', async () => {
    expect(await idsOf('q=laptops')).toEqual([ids.laptops, ids.minibus]);
    expect(await idsOf('q=gardens')).toEqual([ids.gardening]);
    expect(await idsOf('q=heated')).toEqual([ids.heating]);
  });

  it('matches the last word as a prefix, and needs every word', async () => {
    expect(await idsOf('q=lapt')).toEqual([ids.laptops, ids.minibus]);
    expect(await idsOf('q=laptop homework')).toEqual([ids.laptops]);
    expect(await idsOf('q=laptop+spaceship ')).toEqual([]);
  });

  it('finds items by their organisation’s name, and ignores case and accents', async () => {
    expect(new Set(await idsOf('q=eastfield pantry'))).toEqual(new Set([ids.laptops, ids.heating]));
    expect(await idsOf('q=MÍNIBUS')).toEqual([ids.minibus]);
  });

  it('applies the filters and the other sorts to the matches', async () => {
    expect(await idsOf(`q=laptop&ward=${wardB}`)).toEqual([ids.minibus]);
    expect(await idsOf('q=laptop&sort=newest')).toEqual([ids.minibus, ids.laptops]);
    expect(await idsOf('q=laptop&sort=value-low')).toEqual([ids.laptops, ids.minibus]);
    expect(await idsOf('q=laptop&status=pledged')).toEqual([]);
  });

  it('never finds hidden items, even by their own words', async () => {
    const page = await find('q=secret');
    expect(page).toMatchObject({ total: 0, items: [], unsearchable: false });
    expect((await find('q=never shown public')).total).toBe(0);
  });

  it('counts every match and pages through them', async () => {
    const first = await find('q=laptop', { offset: 0, limit: 1 });
    const second = await find('q=laptop', { offset: 1, limit: 1 });
    const beyond = await find('q=laptop', { offset: 5, limit: 1 });
    expect([first.total, second.total, beyond.total]).toEqual([2, 2, 2]);
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual([ids.laptops, ids.minibus]);
    expect(beyond.items).toEqual([]);
  });

  it('says so when a search has nothing that can be searched for', async () => {
    expect(await find('q=***')).toEqual({ total: 0, items: [], unsearchable: true });
    expect((await find('q=zebra')).unsearchable).toBe(false);
  });

  it('answers hostile searches without an error', async () => {
    const hostile = [
      '"', '""', '"laptop', 'laptop"', '*', 'lap*top', '^laptop', 'title:laptop', 'item_id:x', '(laptop', 'laptop)', 'NEAR(laptop minibus, 2)',
      'laptop AND', 'OR laptop', 'NOT', '-laptop', '+laptop', 'laptop -', '\u0000laptop\u0000', 'x'.repeat(10_000), '🎉 laptop 🎉', 'ملابس شتوية',
      '\u202eptopal\u202c', 'lap\u200btop', "'; DROP TABLE wishlist_item; --", '%', '_', '\\', '{laptop}', '[laptop]', 'laptop:*', 'a'.repeat(300) + ' laptop',
    ];
    for (const q of hostile) {
      const page = await find(`q=${encodeURIComponent(q)}`);
      expect(page.total, q).toBeGreaterThanOrEqual(0);
    }
    expect((await find('q=%22laptop%22')).total).toBe(2);
    expect((await find(`q=${encodeURIComponent('laptop" OR "secret')}`)).items.every((i) => !i.title.startsWith('Secret'))).toBe(true);
  });

  it('answers any string at all without an error (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (q) => {
        const page = await searchWishlist(getDb(), { ...filters(''), q, sort: 'relevance' }, { offset: 0, limit: 5 });
        expect(page.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });
});
