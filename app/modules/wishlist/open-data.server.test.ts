import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#db/client';
import { makeOrganisation, makeWard } from '../../../tests/support/factories';
import { makePledge } from '../../../tests/support/factories-wishlist';
import { HIDDEN_STATUSES, makeListedItem } from '../../../tests/support/factories-wishlist-public';
import { makeRequest, run } from '../../../tests/support/requests';
import { loader as atomLoader } from '../../routes/wishlist[.]atom';
import { loader as csvLoader } from '../../routes/wishlist[.]csv';
import { loader as jsonLoader } from '../../routes/wishlist[.]json';
import { CSV_HEADER, openDataPage, penceToPounds, wishlistCsv, xmlText } from './open-data.server';
import { parseWishlistSearch } from './search.schema';

const ORIGIN = 'http://localhost:3000';
let wardId: string;
let orgContact: string;
const publicIds: string[] = [];

beforeAll(async () => {
  wardId = (await makeWard('Oakwood')).id;
  const org = await makeOrganisation('vcse', 'verified', 'Oakwood Repair Café');
  await getDb().updateTable('organisation').set({ website: 'https://oakwood.example.org', description: 'We fix things.', ward_id: wardId, contact_name: 'Pat Private', contact_phone: '07700 900123' }).where('id', '=', org.id).execute();
  orgContact = (await getDb().selectFrom('organisation').select('contact_email').where('id', '=', org.id).executeTakeFirstOrThrow()).contact_email!;
  for (let n = 1; n <= 5; n += 1) {
    const item = await makeListedItem(org.id, {
      title: n === 1 ? '=HYPERLINK("http://evil.example","click")' : `Soldering irons ${n}`, description: `Line one\nLine "two", with a comma & <angle> ${n}`,
      wardId, valuePence: n * 10_001, publishedAt: `2026-0${n}-01T09:00:00.000Z`, neededBy: '2027-06-30',
    });
    publicIds.push(item.id);
  }
  await makePledge(publicIds[4]!, { status: 'accepted', valuePence: 2_500 });
  for (const status of HIDDEN_STATUSES) await makeListedItem(org.id, { status, title: `Hidden ${status} soldering` });
});

describe('open data', () => {
  it('pages in the page’s order with every public field and no one’s contact details', async () => {
    const page = await openDataPage(getDb(), parseWishlistSearch(new URLSearchParams('sort=value-high')), ORIGIN, 2);
    expect(page).toMatchObject({ total: 5, page: 1, limit: 2 });
    expect(page.items.map((i) => i.id)).toEqual([publicIds[4], publicIds[3]]);
    expect(page.items[0]).toEqual({
      id: publicIds[4], url: `${ORIGIN}/wishlist/${publicIds[4]}`, title: 'Soldering irons 5', description: 'Line one\nLine "two", with a comma & <angle> 5',
      category: 'goods', categoryLabel: 'Goods and equipment', theme: 'Communities', ward: 'Oakwood', status: 'published', statusLabel: 'Open',
      estimatedValuePence: 50_005, pledgedPence: 2_500, quantityDetail: '', neededBy: '2027-06-30', publishedAt: '2026-05-01T09:00:00.000Z',
      updatedAt: '2026-05-01T09:00:00.000Z', photoUrl: null,
      organisation: { name: 'Oakwood Repair Café', description: 'We fix things.', website: 'https://oakwood.example.org', ward: 'Oakwood' },
    });
    const text = JSON.stringify(page);
    for (const secret of [orgContact, 'Pat Private', '07700 900123']) expect(text).not.toContain(secret);
  });

  it('writes pounds from pence with integers only', () => {
    expect([penceToPounds(0), penceToPounds(5), penceToPounds(10_001), penceToPounds(123_456_789)]).toEqual(['0.00', '0.05', '100.01', '1234567.89']);
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(xmlText('a & b < c > "d" \'e\'\u0000\u001b\ud800')).toBe('a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(xmlText('😀')).toBe('😀');
  });

  it('CSV: header, one row per public item, quoting and formula cells neutralised', async () => {
    const outcome = await run(csvLoader, makeRequest('/wishlist.csv?sort=newest'));
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(outcome.headers.get('Content-Disposition')).toMatch(/^attachment; filename="wishlist-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(outcome.headers.get('Cache-Control')).toBe('public, max-age=300');
    const text = outcome.data as string;
    // (Response.text() drops the byte-order mark; wishlistCsv's own test below sees it.)
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain('"Line one\nLine ""two"", with a comma & <angle> 5"');
    expect(text).not.toContain('Hidden');
    expect(text).not.toContain(orgContact);
    expect(wishlistCsv([])).toBe(`\uFEFF${CSV_HEADER.join(',')}\r\n`);
  });

  it('JSON: documented shape, limit up to 1,000, links to the next and previous pages with the same filters', async () => {
    const outcome = await run(jsonLoader, makeRequest(`/wishlist.json?ward=${wardId}&limit=2&page=2`));
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(outcome.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const body = JSON.parse(outcome.data as string);
    expect(body.meta).toMatchObject({ total: 5, page: 2, limit: 2, pageCount: 3, filters: { ward: wardId, q: null, sort: 'newest' } });
    expect(body.links).toMatchObject({
      next: `${ORIGIN}/wishlist.json?ward=${wardId}&page=3&limit=2`,
      prev: `${ORIGIN}/wishlist.json?ward=${wardId}&limit=2`,
      html: `${ORIGIN}/wishlist?ward=${wardId}`,
    });
    expect(outcome.headers.get('Link')).toContain('rel="next"');
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([publicIds[2], publicIds[1]]);
    const capped = JSON.parse((await run(jsonLoader, makeRequest('/wishlist.json?limit=5000'))).data as string);
    expect(capped.meta.limit).toBe(1_000);
    const hostile = await run(jsonLoader, makeRequest(`/wishlist.json?q=${encodeURIComponent('"NEAR(*')}&limit=-1&page=x`));
    expect(hostile.status).toBe(200);
    expect(JSON.parse(hostile.data as string).meta).toMatchObject({ total: 0, page: 1, limit: 100 });
  });

  it('Atom: the newest public items matching the filters, as application/atom+xml (well-formedness: open-data.atom.test.ts)', async () => {
    const outcome = await run(atomLoader, makeRequest('/wishlist.atom?q=soldering'));
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const xml = outcome.data as string;
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect([...xml.matchAll(/<id>urn:uuid:([^<]+)<\/id>/g)].map((m) => m[1])).toEqual([publicIds[4], publicIds[3], publicIds[2], publicIds[1]]);
    expect(xml).toContain(`<id>${ORIGIN}/wishlist.atom?q=soldering</id>`);
    expect(xml).toContain(`<link rel="alternate" type="text/html" href="${ORIGIN}/wishlist/${publicIds[4]}"/>`);
    expect(xml).toContain('<summary type="text">Line one\nLine &quot;two&quot;, with a comma &amp; &lt;angle&gt; 5</summary>');
    expect(xml).not.toContain('Hidden');
    expect(xml).not.toContain(orgContact);
  });
});
