import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeWard } from '../../../tests/support/factories';
import { makeListedItem } from '../../../tests/support/factories-wishlist-public';
import { parseWishlistSearch } from './search.schema';
import { wishlistDataVersion } from './search-cache.server';
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
});
