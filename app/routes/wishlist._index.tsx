import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { FilterActions } from '~/components/filter-actions';
import { FilterSelect } from '~/components/filter-select';
import { Pagination, ResultsCount, usePageHref } from '~/components/pagination';
import { formatPence } from '~/modules/contracts/figures';
import { parseWishlistSearch, searchQueryString, SORT_LABELS, WISHLIST_PAGE_SIZE, WISHLIST_SORTS } from '~/modules/wishlist/search.schema';
import { searchWishlist, SUMMARY_CHARS, wishlistFilterOptions } from '~/modules/wishlist/search.server';
import { CATEGORY_LABELS, PUBLIC_STATUSES, STATUS_LABELS, WISHLIST_CATEGORIES } from '~/modules/wishlist/wishlist';
import { WishlistStatusTag } from '~/modules/wishlist/search.ui';
import { formatDate } from '~/utils/time';

export const handle = {
  title: (data: unknown) => {
    const q = (data as { search?: { q: string } } | undefined)?.search?.q;
    return q ? `Community wishlist: results for “${q}”` : 'Community wishlist';
  },
};

// Public: the wishlist is for everyone, without signing in (issue #6). Only public items, only public fields.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const search = parseWishlistSearch(url.searchParams);
  const db = getDb();
  const [result, options] = await Promise.all([
    searchWishlist(db, search, { offset: (search.page - 1) * WISHLIST_PAGE_SIZE, limit: WISHLIST_PAGE_SIZE }),
    wishlistFilterOptions(db),
  ]);
  return {
    search: { q: search.q, ward: search.wardId ?? '', category: search.category ?? '', theme: search.theme ?? '', status: search.status ?? '', sort: search.sort },
    page: search.page,
    total: result.total,
    unsearchable: result.unsearchable,
    openDataQuery: searchQueryString({ ...search, page: 1 }),
    wards: options.wards.map((w) => ({ value: w.id, label: w.name })),
    themes: options.themes.map((t) => ({ value: t, label: t })),
    items: result.items.map((i) => ({
      id: i.id, title: i.title, organisation: i.organisationName, ward: i.wardName, status: i.status,
      summary: i.summary.length > SUMMARY_CHARS ? `${i.summary.slice(0, SUMMARY_CHARS).trimEnd()}…` : i.summary,
      category: CATEGORY_LABELS[i.category], theme: i.theme, value: formatPence(i.estimatedValuePence),
      neededBy: i.neededBy ? formatDate(i.neededBy) : null,
    })),
  };
}

const CATEGORY_OPTIONS = WISHLIST_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));
const STATUS_OPTIONS = PUBLIC_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

export default function Wishlist() {
  const { search, page, total, unsearchable, openDataQuery, wards, themes, items } = useLoaderData<typeof loader>();
  const location = useLocation();
  const hrefFor = usePageHref();
  const sorts = WISHLIST_SORTS.filter((s) => s !== 'relevance' || search.q).map((s) => ({ value: s, label: SORT_LABELS[s] }));
  const filtered = Boolean(search.q || search.ward || search.category || search.theme || search.status);
  return (
    <>
      <h1 className="govuk-heading-l">Community wishlist</h1>
      <p className="govuk-body-l">Local voluntary and community organisations post what they need. Contractors can pledge to meet a need; anyone can offer to help.</p>
      <Form method="get" key={location.search} aria-label="Search and filter the wishlist" className="app-filter">
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--m" htmlFor="search-q">Search the wishlist</label>
          <div className="govuk-hint" id="search-q-hint">For example, laptops, minibus or gardening</div>
          <input className="govuk-input" id="search-q" name="q" type="search" defaultValue={search.q} aria-describedby="search-q-hint" spellCheck={false} maxLength={200} />
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third"><FilterSelect name="ward" label="Ward" all="Any ward" options={wards} value={search.ward} /></div>
          <div className="govuk-grid-column-one-third"><FilterSelect name="category" label="Category" all="Any category" options={CATEGORY_OPTIONS} value={search.category} /></div>
          <div className="govuk-grid-column-one-third"><FilterSelect name="theme" label="Theme" all="Any theme" options={themes} value={search.theme} /></div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third"><FilterSelect name="status" label="Status" all="Open, pledged or fulfilled" options={STATUS_OPTIONS} value={search.status} /></div>
          <div className="govuk-grid-column-one-third"><FilterSelect name="sort" label="Sort by" options={sorts} value={search.sort} /></div>
        </div>
        <FilterActions clearTo="/wishlist" showClear={filtered} compact />
      </Form>
      {total > 0 ? (
        <ResultsCount page={page} pageSize={WISHLIST_PAGE_SIZE} total={total} noun={['need', 'needs']} />
      ) : (
        <NoResults q={search.q} unsearchable={unsearchable} filtered={filtered} />
      )}
      {items.length > 0 ? (
        <ul className="govuk-list" data-testid="wishlist-results">
          {items.map((i) => (
            <li key={i.id} className="govuk-!-margin-bottom-6">
              <h2 className="govuk-heading-m govuk-!-margin-bottom-1"><Link className="govuk-link" to={`/wishlist/${i.id}`}>{i.title}</Link></h2>
              <p className="govuk-body-s govuk-!-margin-bottom-2">{i.organisation}{i.ward ? `, ${i.ward}` : ''} <WishlistStatusTag status={i.status} /></p>
              <p className="govuk-body govuk-!-margin-bottom-2">{i.summary}</p>
              <p className="govuk-body-s govuk-!-margin-bottom-0">
                {i.category} · {i.theme} · estimated value {i.value}{i.neededBy ? ` · needed by ${i.neededBy}` : ''}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / WISHLIST_PAGE_SIZE)} hrefFor={hrefFor} />
      <h2 className="govuk-heading-s">Use this data</h2>
      <p className="govuk-body">
        Download {filtered ? 'these results' : 'the wishlist'} as <a className="govuk-link" href={`/wishlist.csv${openDataQuery}`}>CSV</a> or{' '}
        <a className="govuk-link" href={`/wishlist.json${openDataQuery}`}>JSON</a>, or follow new needs with the{' '}
        <a className="govuk-link" href={`/wishlist.atom${openDataQuery}`}>Atom feed</a>.
      </p>
    </>
  );
}

function NoResults({ q, unsearchable, filtered }: { q: string; unsearchable: boolean; filtered: boolean }) {
  return (
    <div data-testid="no-results">
      <p className="govuk-body govuk-!-font-weight-bold" role="status">
        {q ? `No needs match “${q}”${filtered ? ' and the filters you chose' : ''}.` : filtered ? 'No needs match the filters you chose.' : 'There are no needs on the wishlist yet.'}
      </p>
      {filtered ? (
        <>
          <p className="govuk-body">You could:</p>
          <ul className="govuk-list govuk-list--bullet">
            {unsearchable ? <li>search with words or numbers (symbols and punctuation are ignored)</li> : null}
            {q ? <li>check the spelling, or use fewer or more general words, like “laptop” instead of “refurbished laptops for homework”</li> : null}
            <li>remove some filters, or choose “Any” ward, category or theme</li>
            <li><Link className="govuk-link" to="/wishlist">see every need on the wishlist</Link></li>
          </ul>
        </>
      ) : null}
    </div>
  );
}
