// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { wishlistAtom, type OpenDataItem } from './open-data.server';

// The Atom feed parsed as XML by the browser's own parser (jsdom's DOMParser).
const ORIGIN = 'https://portal.example.gov.uk';

const item = (n: number, extra: Partial<OpenDataItem> = {}): OpenDataItem => ({
  id: `00000000-0000-4000-8000-00000000000${n}`, url: `${ORIGIN}/wishlist/00000000-0000-4000-8000-00000000000${n}`, title: `Need ${n} & <more>`,
  description: `Line one\nQuotes " and ' and a bell \u0007 and a lone surrogate \ud800 ${n}`, category: 'goods', categoryLabel: 'Goods and equipment', theme: 'Skills',
  ward: 'Oakwood', status: 'published', statusLabel: 'Open', estimatedValuePence: 100, pledgedPence: 0, quantityDetail: '', neededBy: null,
  publishedAt: `2026-0${n}-01T09:00:00.000Z`, updatedAt: `2026-0${n}-02T09:00:00.000Z`, photoUrl: null,
  organisation: { name: 'Oakwood & Sons "Café"', description: null, website: 'https://oakwood.example.org/?a=1&b=2', ward: null }, ...extra,
});

function parse(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror'), xml.slice(0, 400)).toHaveLength(0);
  return doc;
}

describe('wishlistAtom', () => {
  it('is well-formed Atom with a feed id, title, updated, self and alternate links, and one entry per item', () => {
    const xml = wishlistAtom({ origin: ORIGIN, authorityName: 'Northbridge & District', search: { q: 'need', sort: 'relevance', page: 1, wardId: 'w1' }, items: [item(3), item(2)], generatedAt: '2026-11-25T12:00:00.000Z' });
    const doc = parse(xml);
    const feed = doc.documentElement;
    expect(feed.localName).toBe('feed');
    expect(feed.namespaceURI).toBe('http://www.w3.org/2005/Atom');
    const child = (name: string) => [...feed.children].find((c) => c.localName === name);
    expect(child('id')?.textContent).toBe(`${ORIGIN}/wishlist.atom?q=need&ward=w1`);
    expect(child('title')?.textContent).toBe('Northbridge & District: community wishlist');
    expect(child('updated')?.textContent).toBe('2026-03-02T09:00:00.000Z');
    const links = [...feed.children].filter((c) => c.localName === 'link').map((l) => [l.getAttribute('rel'), l.getAttribute('href')]);
    expect(links).toEqual([['self', `${ORIGIN}/wishlist.atom?q=need&ward=w1`], ['alternate', `${ORIGIN}/wishlist?q=need&ward=w1&sort=newest`]]);
    const entries = [...doc.getElementsByTagName('entry')];
    expect(entries).toHaveLength(2);
    const first = entries[0]!;
    expect(first.getElementsByTagName('id')[0]?.textContent).toBe('urn:uuid:00000000-0000-4000-8000-000000000003');
    expect(first.getElementsByTagName('title')[0]?.textContent).toBe('Need 3 & <more>');
    expect(first.getElementsByTagName('link')[0]?.getAttribute('href')).toBe(`${ORIGIN}/wishlist/00000000-0000-4000-8000-000000000003`);
    expect(first.getElementsByTagName('published')[0]?.textContent).toBe('2026-03-01T09:00:00.000Z');
    expect(first.getElementsByTagName('updated')[0]?.textContent).toBe('2026-03-02T09:00:00.000Z');
    expect(first.getElementsByTagName('name')[0]?.textContent).toBe('Oakwood & Sons "Café"');
    expect(first.getElementsByTagName('uri')[0]?.textContent).toBe('https://oakwood.example.org/?a=1&b=2');
    expect(first.getElementsByTagName('summary')[0]?.textContent).toBe(`Line one\nQuotes " and ' and a bell  and a lone surrogate  3`);
  });

  it('is valid with no entries, updated at the time it was made', () => {
    const doc = parse(wishlistAtom({ origin: ORIGIN, authorityName: 'Northbridge', search: { q: '', sort: 'newest', page: 1 }, items: [], generatedAt: '2026-11-25T12:00:00.000Z' }));
    expect(doc.getElementsByTagName('entry')).toHaveLength(0);
    expect([...doc.documentElement.children].find((c) => c.localName === 'updated')?.textContent).toBe('2026-11-25T12:00:00.000Z');
  });
});
