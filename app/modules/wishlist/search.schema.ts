import { z } from 'zod';
import type { WishlistCategory, WishlistStatus } from '#db/schema';
import { cleanSearchText } from './search-query';
import { PUBLIC_STATUSES, WISHLIST_CATEGORIES } from './wishlist';

// The public wishlist's search and filters, read from the query string. One
// schema for the page and the open data (/wishlist.csv, .json, .atom), so a
// link to a search can be turned into a download by changing its ending.
// A search is never refused: anything that is not a valid value is ignored
// (that filter is off), because the address may have been typed or shared.

export const WISHLIST_SORTS = ['relevance', 'newest', 'needed-by', 'value-high', 'value-low'] as const;
export type WishlistSort = (typeof WISHLIST_SORTS)[number];

export const SORT_LABELS: Record<WishlistSort, string> = {
  relevance: 'Best match',
  newest: 'Newest first',
  'needed-by': 'Needed soonest',
  'value-high': 'Value (highest first)',
  'value-low': 'Value (lowest first)',
};

/** Items on one page of /wishlist. */
export const WISHLIST_PAGE_SIZE = 20;

const optionalId = z.string().trim().min(1).max(64).optional().catch(undefined);
const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().optional().catch(undefined).transform((v) => (values.includes(v as T) ? (v as T) : undefined));
const wholeNumber = (min: number, max: number) =>
  z.string().optional().catch(undefined).transform((v) => {
    const n = Number(v);
    return v !== undefined && /^\d{1,7}$/.test(v) && n >= min && n <= max ? n : undefined;
  });

export const wishlistSearchSchema = z.object({
  q: z.string().optional().catch(undefined).transform((v) => cleanSearchText(v ?? '')),
  ward: optionalId,
  category: oneOf<WishlistCategory>(WISHLIST_CATEGORIES),
  theme: z.string().trim().min(1).max(100).optional().catch(undefined),
  status: oneOf<WishlistStatus>(PUBLIC_STATUSES),
  sort: oneOf<WishlistSort>(WISHLIST_SORTS),
  page: wholeNumber(1, 1_000_000),
  limit: wholeNumber(1, 1_000_000),
});

export interface WishlistFilters {
  /** The search words as typed (cleaned); '' when browsing. */
  q: string;
  wardId?: string;
  category?: WishlistCategory;
  theme?: string;
  /** One public status, or undefined for all of them. */
  status?: WishlistStatus;
  /** Relevance only when there are words to rank by; otherwise newest first. */
  sort: WishlistSort;
}

export interface WishlistSearch extends WishlistFilters {
  page: number;
  /** As asked for (open data); each caller bounds it. */
  limit?: number;
}

const PARAMS = ['q', 'ward', 'category', 'theme', 'status', 'sort', 'page', 'limit'] as const;

/** Reads a search from a query string. The first value of a repeated parameter counts; empty values are no filter. */
export function parseWishlistSearch(params: URLSearchParams): WishlistSearch {
  const raw: Record<string, string> = {};
  for (const name of PARAMS) {
    const value = params.get(name);
    if (value !== null && value !== '') raw[name] = value;
  }
  const parsed = wishlistSearchSchema.parse(raw);
  const sort = parsed.sort === 'relevance' && parsed.q === '' ? 'newest' : (parsed.sort ?? (parsed.q ? 'relevance' : 'newest'));
  return {
    q: parsed.q, wardId: parsed.ward, category: parsed.category, theme: parsed.theme, status: parsed.status,
    sort, page: parsed.page ?? 1, limit: parsed.limit,
  };
}

/** The query string for a search (only what differs from the defaults), for links that keep the filters. */
export function searchQueryString(search: Partial<WishlistSearch>, overrides: Partial<WishlistSearch> = {}): string {
  const s = { ...search, ...overrides };
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.wardId) params.set('ward', s.wardId);
  if (s.category) params.set('category', s.category);
  if (s.theme) params.set('theme', s.theme);
  if (s.status) params.set('status', s.status);
  const defaultSort = s.q ? 'relevance' : 'newest';
  if (s.sort && s.sort !== defaultSort) params.set('sort', s.sort);
  if (s.page && s.page > 1) params.set('page', String(s.page));
  if (s.limit) params.set('limit', String(s.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}
