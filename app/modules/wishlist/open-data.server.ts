import type { DbOrTx } from '#db/client';
import type { WishlistCategory, WishlistStatus } from '#db/schema';
import { pledgeProgress } from '~/modules/pledges/pledge-progress.server';
import { toCsv } from '~/utils/csv';
import { searchQueryString, type WishlistSearch } from './search.schema';
import { searchWishlist } from './search.server';
import { CATEGORY_LABELS, STATUS_LABELS } from './wishlist';

// The public wishlist as open data: /wishlist.csv, /wishlist.json and
// /wishlist.atom take the page's filters (search.schema.ts) and publish only
// public items and the organisation's public fields (name, what it does,
// website, ward): never a person's name, email address or phone number.
// Formats: docs/wishlist-public.md.

/** Items per JSON page unless `limit` says otherwise; and the most it may say. */
export const JSON_DEFAULT_LIMIT = 100;
export const JSON_MAX_LIMIT = 1_000;
/** Rows per CSV file (a `page` parameter gets the next ones). */
export const CSV_MAX_ROWS = 10_000;
/** Entries in the Atom feed. */
export const ATOM_ENTRIES = 50;
/** Open data may be cached by browsers and proxies for this long (seconds). */
export const OPEN_DATA_MAX_AGE = 300;

export interface OpenDataItem {
  id: string;
  url: string;
  title: string;
  description: string;
  category: WishlistCategory;
  categoryLabel: string;
  theme: string;
  ward: string | null;
  status: WishlistStatus;
  statusLabel: string;
  estimatedValuePence: number;
  /** Accepted, delivered, confirmed and disputed pledges (pledge-progress.server.ts). */
  pledgedPence: number;
  quantityDetail: string;
  neededBy: string | null;
  publishedAt: string | null;
  updatedAt: string;
  photoUrl: string | null;
  organisation: { name: string; description: string | null; website: string | null; ward: string | null };
}

export interface OpenDataPage {
  total: number;
  page: number;
  limit: number;
  items: OpenDataItem[];
}

/** One page of public items with every public field, in the page's order for the filters. */
export async function openDataPage(db: DbOrTx, search: WishlistSearch, origin: string, limit: number): Promise<OpenDataPage> {
  const page = search.page;
  const offset = (page - 1) * limit;
  const found = await searchWishlist(db, search, { offset, limit });
  const ids = found.items.map((i) => i.id);
  if (ids.length === 0) return { total: found.total, page, limit, items: [] };
  const rows = await db
    .selectFrom('wishlist_item as i')
    .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
    .leftJoin('ward as w', 'w.id', 'i.ward_id')
    .leftJoin('ward as ow', 'ow.id', 'o.ward_id')
    .select([
      'i.id', 'i.title', 'i.description', 'i.category', 'i.theme', 'w.name as ward', 'i.status', 'i.estimated_value_pence', 'i.quantity_detail',
      'i.needed_by', 'i.published_at', 'i.updated_at', 'i.photo_sha256',
      'o.name as organisation_name', 'o.description as organisation_description', 'o.website as organisation_website', 'ow.name as organisation_ward',
    ])
    .where('i.id', 'in', ids)
    .execute();
  const progress = await pledgeProgress(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const item: OpenDataItem = {
      id: r.id, url: `${origin}/wishlist/${r.id}`, title: r.title, description: r.description, category: r.category,
      categoryLabel: CATEGORY_LABELS[r.category], theme: r.theme, ward: r.ward, status: r.status, statusLabel: STATUS_LABELS[r.status],
      estimatedValuePence: r.estimated_value_pence, pledgedPence: progress.get(id)?.pledgedPence ?? 0, quantityDetail: r.quantity_detail,
      neededBy: r.needed_by, publishedAt: r.published_at, updatedAt: r.updated_at, photoUrl: r.photo_sha256 ? `${origin}/wishlist/${r.id}/photo` : null,
      organisation: { name: r.organisation_name, description: r.organisation_description, website: r.organisation_website, ward: r.organisation_ward },
    };
    return [item];
  });
  return { total: found.total, page, limit, items };
}

/** "1234.50" from 123450: pounds with two decimals, from integers only. */
export function penceToPounds(pence: number): string {
  return `${Math.trunc(pence / 100)}.${String(Math.abs(pence % 100)).padStart(2, '0')}`;
}

export const CSV_HEADER = [
  'id', 'url', 'title', 'description', 'category', 'theme', 'ward', 'status', 'estimated_value_gbp', 'pledged_gbp', 'quantity_detail',
  'needed_by', 'published_at', 'organisation', 'organisation_description', 'organisation_website', 'organisation_ward',
] as const;

export function wishlistCsv(items: readonly OpenDataItem[]): string {
  return toCsv(CSV_HEADER, items.map((i) => [
    i.id, i.url, i.title, i.description, i.categoryLabel, i.theme, i.ward, i.statusLabel, penceToPounds(i.estimatedValuePence), penceToPounds(i.pledgedPence),
    i.quantityDetail, i.neededBy, i.publishedAt, i.organisation.name, i.organisation.description, i.organisation.website, i.organisation.ward,
  ]));
}

/** Links between open-data pages: the same filters, another page. */
export function pageLinks(base: string, search: WishlistSearch, result: OpenDataPage, withLimit: boolean) {
  const pageCount = Math.max(1, Math.ceil(result.total / result.limit));
  const href = (page: number) => `${base}${searchQueryString({ ...search, limit: withLimit ? result.limit : undefined }, { page })}`;
  return {
    self: href(result.page),
    first: href(1),
    prev: result.page > 1 ? href(Math.min(result.page - 1, pageCount)) : null,
    next: result.page < pageCount ? href(result.page + 1) : null,
    last: href(pageCount),
    pageCount,
  };
}

/** The /wishlist.json document. */
export function wishlistJson(origin: string, search: WishlistSearch, result: OpenDataPage, generatedAt: string) {
  const links = pageLinks(`${origin}/wishlist.json`, search, result, true);
  return {
    meta: {
      total: result.total, page: result.page, limit: result.limit, pageCount: links.pageCount, generatedAt,
      filters: { q: search.q || null, ward: search.wardId ?? null, category: search.category ?? null, theme: search.theme ?? null, status: search.status ?? null, sort: search.sort },
    },
    links: {
      self: links.self, first: links.first, prev: links.prev, next: links.next, last: links.last,
      html: `${origin}/wishlist${searchQueryString({ ...search, page: 1, limit: undefined })}`,
    },
    items: result.items,
  };
}

// XML 1.0 allows tab, newline, carriage return and most other characters, but no other control characters or lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An Atom feed (RFC 4287) of the newest public items matching the filters. */
export function wishlistAtom({ origin, authorityName, search, items, generatedAt }: {
  origin: string; authorityName: string; search: WishlistSearch; items: readonly OpenDataItem[]; generatedAt: string;
}): string {
  // The feed is always newest first, so its own address leaves the sort out; the web page it mirrors says it.
  const query = searchQueryString({ ...search, sort: search.q ? 'relevance' : 'newest', page: 1, limit: undefined });
  const pageQuery = searchQueryString({ ...search, sort: 'newest', page: 1, limit: undefined });
  const updated = items.reduce((latest, i) => (i.updatedAt > latest ? i.updatedAt : latest), items.length ? '' : generatedAt);
  const entries = items.map((i) => `  <entry>
    <id>urn:uuid:${xmlText(i.id)}</id>
    <title type="text">${xmlText(i.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlText(i.url)}"/>
    <published>${xmlText(i.publishedAt ?? i.updatedAt)}</published>
    <updated>${xmlText(i.updatedAt)}</updated>
    <author><name>${xmlText(i.organisation.name)}</name>${i.organisation.website ? `<uri>${xmlText(i.organisation.website)}</uri>` : ''}</author>
    <category term="${xmlText(i.category)}" label="${xmlText(i.categoryLabel)}"/>
    <summary type="text">${xmlText(i.description)}</summary>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
  <id>${xmlText(`${origin}/wishlist.atom${query}`)}</id>
  <title type="text">${xmlText(`${authorityName}: community wishlist`)}</title>
  <subtitle type="text">New needs posted by local voluntary and community organisations</subtitle>
  <updated>${xmlText(updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${xmlText(`${origin}/wishlist.atom${query}`)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(`${origin}/wishlist${pageQuery}`)}"/>
  <author><name>${xmlText(authorityName)}</name></author>
${entries.join('\n')}
</feed>
`;
}

/** Headers for every open-data answer: public, cacheable for a few minutes, readable from other sites. */
export function openDataHeaders(contentType: string, extra: Record<string, string> = {}): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Cache-Control': `public, max-age=${OPEN_DATA_MAX_AGE}`,
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
}
