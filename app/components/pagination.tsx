import { Link, useSearchParams } from '@remix-run/react';

// The GOV.UK pagination pattern. Links keep every other query parameter (the
// filters), so a filtered list pages without JavaScript.

/** Parses a `page` query value: a whole number from 1, anything else is page 1. */
export function parsePage(value: string | null | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1;
}

/** Builds links to other pages: the current query string with `page` set (page 1 drops it). */
export function usePageHref(param = 'page'): (page: number) => string {
  const [searchParams] = useSearchParams();
  return (page: number) => {
    const next = new URLSearchParams(searchParams);
    if (page <= 1) next.delete(param);
    else next.set(param, String(page));
    const search = next.toString();
    return search ? `?${search}` : '?';
  };
}

/** The page numbers to show: first, last, current and its neighbours; null marks an ellipsis. */
export function pageWindow(page: number, pageCount: number): Array<number | null> {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...wanted].sort((a, b) => a - b);
  const items: Array<number | null> = [];
  for (const [i, p] of sorted.entries()) {
    const previous = sorted[i - 1];
    if (previous !== undefined && p - previous > 1) items.push(null);
    items.push(p);
  }
  return items;
}

function PrevIcon() {
  return (
    <svg className="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
      <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
    </svg>
  );
}

function NextIcon() {
  return (
    <svg className="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
      <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
    </svg>
  );
}

/** Numbered pages with Previous and Next. Renders nothing for a single page. */
export function Pagination({ page, pageCount, hrefFor }: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="govuk-pagination" aria-label="Pagination">
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={hrefFor(page - 1)} rel="prev">
            <PrevIcon />
            <span className="govuk-pagination__link-title">Previous<span className="govuk-visually-hidden"> page</span></span>
          </Link>
        </div>
      ) : null}
      <ul className="govuk-pagination__list">
        {pageWindow(page, pageCount).map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} className="govuk-pagination__item govuk-pagination__item--ellipsis">&ctdot;</li>
          ) : (
            <li key={p} className={`govuk-pagination__item${p === page ? ' govuk-pagination__item--current' : ''}`}>
              <Link className="govuk-link govuk-pagination__link" to={hrefFor(p)} aria-label={`Page ${p}`} aria-current={p === page ? 'page' : undefined}>
                {p}
              </Link>
            </li>
          ),
        )}
      </ul>
      {page < pageCount ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={hrefFor(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">Next<span className="govuk-visually-hidden"> page</span></span>
            <NextIcon />
          </Link>
        </div>
      ) : null}
    </nav>
  );
}

/** Previous and Next only (block style), for keyset pages where the total is not counted. */
export function PrevNextPagination({ prevHref, nextHref, prevLabel, nextLabel }: { prevHref: string | null; nextHref: string | null; prevLabel?: string; nextLabel?: string }) {
  if (!prevHref && !nextHref) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label="Pagination">
      {prevHref ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={prevHref} rel="prev">
            <PrevIcon />
            <span className="govuk-pagination__link-title">Previous page</span>
            {prevLabel ? <><span className="govuk-visually-hidden">:</span><span className="govuk-pagination__link-label">{prevLabel}</span></> : null}
          </Link>
        </div>
      ) : null}
      {nextHref ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={nextHref} rel="next">
            <NextIcon />
            <span className="govuk-pagination__link-title">Next page</span>
            {nextLabel ? <><span className="govuk-visually-hidden">:</span><span className="govuk-pagination__link-label">{nextLabel}</span></> : null}
          </Link>
        </div>
      ) : null}
    </nav>
  );
}

/** "Showing 26 to 50 of 230 users". */
export function ResultsCount({ page, pageSize, total, noun }: { page: number; pageSize: number; total: number; noun: [string, string] }) {
  const label = total === 1 ? noun[0] : noun[1];
  if (total === 0) return <p className="govuk-body">No {noun[1]} found.</p>;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <p className="govuk-body" role="status">
      Showing <strong>{first}</strong> to <strong>{last}</strong> of <strong>{total}</strong> {label}
    </p>
  );
}
