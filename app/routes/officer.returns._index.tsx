import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import type { ReturnStatus } from '#db/schema';
import { requirePermission } from '~/auth/guards.server';
import { FilterSelect } from '~/components/filter-select';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { listThemes } from '~/modules/contracts/contracts.server';
import { formatQuantity } from '~/modules/contracts/figures';
import { QUEUE_AGES, QUEUE_SORTS, QUEUE_STATUSES, QUEUE_STATUS_LABELS, RETURN_STATUS_LABELS, RETURN_STATUS_TAGS, parseQueueFilters } from '~/modules/returns/review.schema';
import { REVIEW_PAGE_SIZE, findReturnForReview, listQueueSuppliers, listReviewQueue } from '~/modules/returns/review.server';
import { formatDate } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Returns to review' };

const DONE: Partial<Record<ReturnStatus, string>> = { approved: 'approved', rejected: 'rejected', more_info_requested: 'sent back for more information' };

// The officers' queue of progress returns: submitted ones, oldest first, by
// default. Filters live in the URL (a GET form), so it works without JavaScript.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'return:review');
  const url = new URL(request.url);
  const filters = parseQueueFilters(url.searchParams);
  const page = parsePage(url.searchParams.get('page'));
  const db = getDb();
  const [{ total, returns }, suppliers, themes] = await Promise.all([listReviewQueue(db, filters, page), listQueueSuppliers(db), listThemes(db)]);
  // After a decision (/returns/<id>/decide): the banner names the return and what happened.
  const decidedId = url.searchParams.get('decided')?.slice(0, 100);
  const decided = decidedId ? await findReturnForReview(db, decidedId) : undefined;
  const banner = decided && DONE[decided.status] ? `Return for ${decided.contractReference} ${decided.measureCode} ${DONE[decided.status]}` : null;
  return {
    banner,
    decidedId: decided?.id ?? null,
    filters,
    page,
    pageSize: REVIEW_PAGE_SIZE,
    total,
    options: { suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })), themes: themes.map((t) => ({ value: t, label: t })) },
    returns: returns.map((r) => ({
      id: r.id, status: r.status, submitted: r.submittedAt ? formatDate(r.submittedAt) : '', ageDays: r.ageDays,
      supplierName: r.supplierName, contractReference: r.contractReference, measure: `${r.measureCode}: ${r.measureTitle}`,
      period: `${formatDate(r.periodStart)} to ${formatDate(r.periodEnd)}`, quantity: formatQuantity(r.quantityMilli, r.unit),
      approved: r.approvedQuantityMilli !== null && r.approvedQuantityMilli !== r.quantityMilli ? formatQuantity(r.approvedQuantityMilli, r.unit) : null,
      isStory: r.isStory,
    })),
  };
}

const STATUS_OPTIONS = QUEUE_STATUSES.map((s) => ({ value: s, label: QUEUE_STATUS_LABELS[s] }));
const AGE_OPTIONS = QUEUE_AGES.map((d) => ({ value: String(d), label: `More than ${d} days` }));
const SORT_OPTIONS = Object.entries(QUEUE_SORTS).map(([value, label]) => ({ value, label }));

export default function ReturnsToReview() {
  const { banner, decidedId, filters, page, pageSize, total, options, returns } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  const location = useLocation();
  const num = 'govuk-table__cell govuk-table__cell--numeric';
  return (
    <>
      {banner ? (
        <SuccessBanner heading={banner}>
          <p className="govuk-body"><Link className="govuk-notification-banner__link" to={`/returns/${decidedId}`}>View the return</Link></p>
        </SuccessBanner>
      ) : null}
      <h1 className="govuk-heading-l">Returns to review</h1>
      <div className="app-filter">
        <Form method="get" key={location.search} aria-label="Filter and sort returns">
          <h2 className="govuk-heading-m">Filter and sort</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="status" label="Status" options={STATUS_OPTIONS} value={filters.status} />
            </div>
            <div className="govuk-grid-column-one-third">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor="filter-contract">Contract reference or title</label>
                <input className="govuk-input" id="filter-contract" name="contract" type="search" defaultValue={filters.contract ?? ''} spellCheck={false} />
              </div>
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="supplier" label="Supplier" all="All suppliers" options={options.suppliers} value={filters.supplier} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="theme" label="Theme" all="Any theme" options={options.themes} value={filters.theme} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="age" label="Waiting since submitted" all="Any time" options={AGE_OPTIONS} value={filters.olderThanDays} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="sort" label="Order" options={SORT_OPTIONS} value={filters.sort} />
            </div>
          </div>
          <FilterActions clearTo="/officer/returns" />
        </Form>
      </div>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['return', 'returns']} />
      {returns.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16">
          <caption className="govuk-table__caption govuk-visually-hidden">
            Progress returns: {QUEUE_STATUS_LABELS[filters.status].toLowerCase()}, {QUEUE_SORTS[filters.sort].toLowerCase()}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Submitted</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Days waiting</th>
              <th scope="col" className="govuk-table__header">Supplier</th>
              <th scope="col" className="govuk-table__header">Contract</th>
              <th scope="col" className="govuk-table__header">Measure</th>
              <th scope="col" className="govuk-table__header">Period</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Quantity</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {returns.map((r) => (
              <tr className="govuk-table__row" key={r.id}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/returns/${r.id}`}>
                    {r.submitted}<span className="govuk-visually-hidden">: return for {r.contractReference}, {r.measure}</span>
                  </Link>
                </td>
                <td className={num}>{r.ageDays}</td>
                <td className="govuk-table__cell">{r.supplierName}</td>
                <td className="govuk-table__cell">{r.contractReference}</td>
                <td className="govuk-table__cell">
                  {r.measure}
                  {r.isStory ? <><br /><strong className="govuk-tag govuk-tag--purple">Story</strong></> : null}
                </td>
                <td className="govuk-table__cell">{r.period}</td>
                <td className={num}>{r.quantity}{r.approved ? <><br />approved {r.approved}</> : null}</td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag ${RETURN_STATUS_TAGS[r.status]}`}>{RETURN_STATUS_LABELS[r.status]}</strong>
                  {r.status === 'submitted' ? (
                    <><br /><Link className="govuk-link" to={`/returns/${r.id}/decide`}>Decide<span className="govuk-visually-hidden"> on the return for {r.contractReference}, {r.measure}</span></Link></>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
