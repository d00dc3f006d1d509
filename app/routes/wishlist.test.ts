import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, makeWard } from '../../tests/support/factories';
import { makePledge } from '../../tests/support/factories-wishlist';
import { HIDDEN_STATUSES, makeListedItem } from '../../tests/support/factories-wishlist-public';
import { cookieFor, makeRequest, run } from '../../tests/support/requests';
import { loader as listLoader } from './wishlist._index';
import { loader as itemLoader } from './wishlist.$itemId._index';

// The public wishlist pages, called as Remix would, on this file's own database.
let wardId: string;
let orgId: string;
let publicId: string;
const hidden: Record<string, string> = {};
const cookies: Record<string, string> = {};

beforeAll(async () => {
  wardId = (await makeWard('Millbrook')).id;
  orgId = (await makeOrganisation('vcse', 'verified', 'Millbrook Men’s Shed')).id;
  publicId = (await makeListedItem(orgId, {
    title: 'Woodworking tools', description: 'A bandsaw and chisels for the shed.', wardId, valuePence: 120_000, neededBy: '2027-02-01', quantityDetail: 'One bandsaw, ten chisels',
  })).id;
  for (const status of HIDDEN_STATUSES) hidden[status] = (await makeListedItem(orgId, { status, title: `Hidden ${status} tools` })).id;
  await makePledge(publicId, { status: 'accepted', valuePence: 30_000 });
  await makePledge(publicId, { status: 'confirmed', valuePence: 12_000 });
  await makePledge(publicId, { status: 'offered', valuePence: 99_000 });
  cookies.owner = await cookieFor((await makeUser('vcse', { organisationId: orgId })).id);
  cookies.otherVcse = await cookieFor((await makeUser('vcse')).id);
  cookies.contractor = await cookieFor((await makeUser('contractor')).id);
  cookies.officer = await cookieFor((await makeUser('officer')).id);
  cookies.admin = await cookieFor((await makeUser('admin')).id);
});

type ListData = { total: number; page: number; unsearchable: boolean; openDataQuery: string; search: Record<string, string>; items: Array<{ id: string; title: string; value: string }> };

describe('/wishlist', () => {
  it('answers anonymous visitors with public items only', async () => {
    const outcome = await run(listLoader, makeRequest('/wishlist'));
    expect(outcome.status).toBe(200);
    const data = outcome.data as ListData;
    expect(data.items.map((i) => i.id)).toEqual([publicId]);
    expect(data.items[0]).toMatchObject({ title: 'Woodworking tools', value: '£1,200.00' });
  });

  it('searches with stemming and echoes the filters for the form and the open-data links', async () => {
    const data = (await run(listLoader, makeRequest(`/wishlist?q=chisel&ward=${wardId}&category=goods&sort=value-high`))).data as ListData;
    expect(data.items.map((i) => i.id)).toEqual([publicId]);
    expect(data.search).toMatchObject({ q: 'chisel', ward: wardId, category: 'goods', sort: 'value-high' });
    expect(data.openDataQuery).toBe(`?q=chisel&ward=${wardId}&category=goods&sort=value-high`);
  });

  it('never answers a hostile search with an error', async () => {
    for (const q of ['"', 'NEAR(', '*', '\u0000', 'x'.repeat(10_000), '🎉', 'title:"', ')(', '%FF']) {
      const outcome = await run(listLoader, makeRequest(`/wishlist?q=${encodeURIComponent(q)}&page=${encodeURIComponent(q)}&ward=${encodeURIComponent(q)}`));
      expect(outcome.status, q).toBe(200);
    }
  });

  it('treats an unreadable page number as page 1 and a page past the end as empty', async () => {
    expect(((await run(listLoader, makeRequest('/wishlist?page=abc'))).data as ListData).page).toBe(1);
    const beyond = (await run(listLoader, makeRequest('/wishlist?page=99'))).data as ListData;
    expect(beyond).toMatchObject({ page: 99, total: 1, items: [] });
  });
});

type ItemData = {
  viewer: { role: string } | null;
  item: { id: string; isPublic: boolean; pledgeable: boolean; quantityDetail: string };
  progress: { estimate: string; pledged: string; confirmed: string; remaining: string; pledgeCount: number; percent: number | null };
  organisation: Record<string, unknown>;
};

describe('/wishlist/$itemId', () => {
  it('shows a public item to anyone, with pledged-so-far against the estimate (accepted and confirmed pledges, not offers)', async () => {
    const outcome = await run(itemLoader, makeRequest(`/wishlist/${publicId}`), { itemId: publicId });
    expect(outcome.status).toBe(200);
    const data = outcome.data as ItemData;
    expect(data.viewer).toBeNull();
    expect(data.item).toMatchObject({ isPublic: true, pledgeable: true, quantityDetail: 'One bandsaw, ten chisels' });
    expect(data.progress).toEqual({ estimate: '£1,200.00', pledged: '£420.00', confirmed: '£120.00', remaining: '£780.00', pledgeCount: 2, percent: 35, hasConfirmed: true });
    expect(data.organisation).toMatchObject({ name: 'Millbrook Men’s Shed' });
  });

  it('is not found for anyone but the owner organisation and staff when the item is not public (a draft: the owner only)', async () => {
    for (const [status, id] of Object.entries(hidden)) {
      const refused = status === 'draft' ? [undefined, cookies.otherVcse, cookies.contractor, cookies.officer, cookies.admin] : [undefined, cookies.otherVcse, cookies.contractor];
      for (const who of refused) {
        const outcome = await run(itemLoader, makeRequest(`/wishlist/${id}`, { cookie: who }), { itemId: id });
        expect(outcome.status, `${status} as ${who ? 'signed in' : 'anonymous'}`).toBe(404);
      }
      for (const who of status === 'draft' ? [cookies.owner] : [cookies.owner, cookies.officer, cookies.admin]) {
        const outcome = await run(itemLoader, makeRequest(`/wishlist/${id}`, { cookie: who }), { itemId: id });
        expect(outcome.status, status).toBe(200);
        expect((outcome.data as ItemData).item.isPublic).toBe(false);
      }
    }
  });

  it('is not found for an unknown id', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-an-id', '%00']) {
      expect((await run(itemLoader, makeRequest('/wishlist/x'), { itemId: id })).status).toBe(404);
    }
  });

  it('tells the page who is looking, for the call to action', async () => {
    const data = (await run(itemLoader, makeRequest(`/wishlist/${publicId}`, { cookie: cookies.contractor }), { itemId: publicId })).data as ItemData;
    expect(data.viewer).toEqual({ role: 'contractor' });
  });
});
