import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeWard } from '../../../tests/support/factories';
import { makeListedItem } from '../../../tests/support/factories-wishlist-public';
import { parseWishlistSearch } from './search.schema';
import { cachedKeysForVersion, SEARCH_LIST_KEYS, searchCacheSize, setSearchCacheEnabled, toItemKeys, wishlistDataVersion } from './search-cache.server';
import { searchWishlist, wishlistFilterOptions } from './search.server';

// The search index holds public items only and follows every change (migration 0006's
// triggers); the result cache never answers after a change (migration 0009's data version).
let org: string;
let ward: string;
beforeAll(async () => {
  org = (await makeOrganisation('vcse', 'verified', 'Zephyr Kites Club')).id;
  ward = (await makeWard('Quillbrook')).id;
});

const find = (query: string) => searchWishlist(getDb(), parseWishlistSearch(new URLSearchParams(query)), { offset: 0, limit: 20 });
const titles = async (query: string) => (await find(query)).items.map((i) => i.title);
const setItem = (id: string, values: Record<string, string | null>) => getDb().updateTable('wishlist_item').set(values).where('id', '=', id).execute();
const ftsRows = async (id: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM wishlist_item_fts WHERE item_id = ${id}`.execute(getDb())).rows[0]!.n);

describe('the search index and the result cache', () => {
  it('follow an item into and out of the public statuses, whatever filters and sorts are used', async () => {
    const item = await makeListedItem(org, { status: 'submitted', title: 'Xylophone mallets', wardId: ward });
    const queries = ['q=xylophone', `q=xylophone&ward=${ward}`, 'q=xylophone&sort=newest', 'q=xylophone&status=published'];
    for (const q of queries) expect(await titles(q), q).toEqual([]);
    expect(await ftsRows(item.id)).toBe(0);
    await setItem(item.id, { status: 'published' });
    for (const q of queries) expect(await titles(q), q).toEqual(['Xylophone mallets']);
    await setItem(item.id, { status: 'pledged' });
    expect(await titles('q=xylophone')).toEqual(['Xylophone mallets']);
    expect(await ftsRows(item.id)).toBe(1);
    for (const hidden of ['withdrawn', 'closed', 'expired']) {
      await setItem(item.id, { status: hidden });
      for (const q of queries) expect(await titles(q), `${hidden} ${q}`).toEqual([]);
      expect(await ftsRows(item.id)).toBe(0);
      await setItem(item.id, { status: 'published' });
      expect(await titles('q=xylophone')).toEqual(['Xylophone mallets']);
    }
  });

  it('follow changes of title, description and organisation name, and a deleted item', async () => {
    const item = await makeListedItem(org, { title: 'Yurt canvas', description: 'Waterproof quokka cover' });
    expect(await titles('q=quokka')).toEqual(['Yurt canvas']);
    await setItem(item.id, { title: 'Tipi canvas', description: 'Waterproof wallaby cover' });
    expect(await titles('q=quokka')).toEqual([]);
    expect(await titles('q=wallaby')).toEqual(['Tipi canvas']);
    expect(await titles('q=yurt')).toEqual([]);
    expect(await ftsRows(item.id)).toBe(1);
    expect(await titles('q=zephyr wallaby')).toEqual(['Tipi canvas']);
    await getDb().updateTable('organisation').set({ name: 'Aardvark Kites Club' }).where('id', '=', org).execute();
    expect(await titles('q=zephyr wallaby')).toEqual([]);
    expect(await titles('q=aardvark wallaby')).toEqual(['Tipi canvas']);
    await getDb().deleteFrom('wishlist_item').where('id', '=', item.id).execute();
    expect(await titles('q=wallaby')).toEqual([]);
    expect(await ftsRows(item.id)).toBe(0);
  });

  it('change version on any item, pledge or ward change, so a browse page or the filter choices are never stale', async () => {
    const before = await wishlistDataVersion(getDb());
    const first = await find(`ward=${ward}&sort=value-high`);
    const item = await makeListedItem(org, { title: 'Quince saplings', wardId: ward, valuePence: 99_999_900 });
    expect(await wishlistDataVersion(getDb())).toBeGreaterThan(before);
    const after = await find(`ward=${ward}&sort=value-high`);
    expect(after.total).toBe(first.total + 1);
    expect(after.items[0]!.title).toBe('Quince saplings');
    await getDb().updateTable('ward').set({ name: 'Quillbrook North' }).where('id', '=', ward).execute();
    expect((await wishlistFilterOptions(getDb())).wards.map((w) => w.name)).toContain('Quillbrook North');
    expect((await find(`ward=${ward}&sort=value-high`)).items[0]!.wardName).toBe('Quillbrook North');
    const version = await wishlistDataVersion(getDb());
    await sql`UPDATE pledge SET updated_at = updated_at WHERE item_id = ${item.id}`.execute(getDb());
    await sql`INSERT INTO pledge (id, item_id, supplier_id, description, value_pence, expected_date, created_by, created_at, updated_at)
      SELECT 'p-cache-test', ${item.id}, ${org}, 'x', 1, '2027-01-01', created_by, created_at, updated_at FROM wishlist_item WHERE id = ${item.id}`.execute(getDb());
    expect(await wishlistDataVersion(getDb())).toBeGreaterThan(version);
  });

  it('build a search\'s ordered list again after a change, so a later page is never stale', async () => {
    const search = (offset: number) => searchWishlist(getDb(), parseWishlistSearch(new URLSearchParams('q=quetzal')), { offset, limit: 1 });
    await makeListedItem(org, { title: 'Quetzal feathers', publishedAt: '2026-01-01T09:00:00.000Z' });
    await makeListedItem(org, { title: 'Quetzal nest', publishedAt: '2026-02-01T09:00:00.000Z' });
    const before = await search(1);
    expect(before.total).toBe(2);
    const third = await makeListedItem(org, { title: 'Quetzal quetzal quetzal', publishedAt: '2026-03-01T09:00:00.000Z' });
    const after = await search(2);
    expect(after.total).toBe(3);
    expect((await search(0)).items[0]!.id).toBe(third.id);
    await setItem(third.id, { status: 'withdrawn' });
    expect((await search(1)).total).toBe(2);
    expect((await search(2)).items).toEqual([]);
  });
});

describe('the search cache\'s memory', () => {
  it('holds at most SEARCH_LIST_KEYS keys in all, dropping the least recently used list', async () => {
    setSearchCacheEnabled(true);
    const big = Math.floor(SEARCH_LIST_KEYS * 0.6);
    let computed = 0;
    const compute = (n: number) => async () => {
      computed += 1;
      return Array.from({ length: n }, (_, k) => k + 1);
    };
    await cachedKeysForVersion(getDb(), 'memory-a', compute(big));
    await cachedKeysForVersion(getDb(), 'memory-a', compute(big));
    expect(computed).toBe(1);
    await cachedKeysForVersion(getDb(), 'memory-b', compute(big));
    expect(searchCacheSize().weight).toBeLessThanOrEqual(SEARCH_LIST_KEYS);
    await cachedKeysForVersion(getDb(), 'memory-a', compute(big));
    expect(computed).toBe(3);
    const huge = await cachedKeysForVersion(getDb(), 'memory-c', compute(SEARCH_LIST_KEYS + 1));
    expect(huge.length).toBe(SEARCH_LIST_KEYS + 1);
    expect(searchCacheSize().weight).toBeLessThanOrEqual(SEARCH_LIST_KEYS);
    setSearchCacheEnabled(true);
    expect(searchCacheSize()).toEqual({ entries: 0, weight: 0 });
  });

  it('packs keys 4 bytes each, 8 when one does not fit in 32 bits', () => {
    expect(toItemKeys([1, 2, 3])).toBeInstanceOf(Int32Array);
    const wide = toItemKeys([1, 2 ** 40]);
    expect(wide).toBeInstanceOf(Float64Array);
    expect(Array.from(wide)).toEqual([1, 2 ** 40]);
  });
});
