import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import type { ReturnStatus } from '#db/schema';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { formatQuantity } from '~/modules/contracts/figures';
import { periodLabel } from '~/modules/returns/returns.present';
import { listSupplierReturns, RETURNS_PAGE_SIZE } from '~/modules/returns/returns.queries.server';
import { RETURN_STATUS_LABELS, RETURN_STATUSES } from '~/modules/returns/returns.schema';
import { ReturnStatusTag } from '~/modules/returns/returns.ui';
import { formatDate } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Progress returns' };

const STATUS_OPTIONS = RETURN_STATUSES.map((s) => ({ value: s, label: RETURN_STATUS_LABELS[s] }));

// A contractor's own organisation's returns (scoped in the query), newest first.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'return:submit');
  const url = new URL(request.url);
  const wanted = url.searchParams.get('status');
  const status = RETURN_STATUSES.includes(wanted as ReturnStatus) ? (wanted as ReturnStatus) : undefined;
  const page = parsePage(url.searchParams.get('page'));
  const { total, returns } = await listSupplierReturns(getDb(), user.organisationId, { status }, page);
  return {
    organisationName: user.organisationName,
    status: status ?? '',
    page,
    pageSize: RETURNS_PAGE_SIZE,
    total,
    returns: returns.map((r) => ({
      id: r.id, status: r.status, period: periodLabel(r.periodStart, r.periodEnd), contractId: r.contractId,
      contractReference: r.contractReference, measure: `${r.measureCode} ${r.measureTitle}`,
      quantity: formatQuantity(r.quantityMilli, r.unit),
      approved: r.approvedQuantityMilli === null ? null : formatQuantity(r.approvedQuantityMilli, r.unit),
      updated: formatDate(r.updatedAt), isStory: r.isStory === 1,
    })),
  };
}

export default function ReturnsList() {
  const { organisationName, status, page, pageSize, total, returns } = useLoaderData<typeof loader>();
  const location = useLocation();
  const hrefFor = usePageHref();
  return (
    <>
      <h1 className="govuk-heading-l">{organisationName}: progress returns</h1>
      <p className="govuk-body">To report progress, open a contract and choose “Report progress” next to the commitment. Returns due soon and overdue are listed on your <Link className="govuk-link" to="/">home page</Link>.</p>
      <div className="app-filter">
        <Form method="get" key={location.search} aria-label="Filter returns">
          <div className="govuk-form-group">
            <label className="govuk-label govuk-label--s" htmlFor="filter-status">Status</label>
            <select className="govuk-select" id="filter-status" name="status" defaultValue={status}>
              <option value="">Any status</option>
              {STATUS_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </div>
          <FilterActions clearTo="/returns" />
        </Form>
      </div>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['return', 'returns']} />
      {returns.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16" data-testid="returns-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Progress returns, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Period</th>
              <th scope="col" className="govuk-table__header">Contract and commitment</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Quantity</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Last changed</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {returns.map((r) => (
              <tr className="govuk-table__row" key={r.id}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/returns/${r.id}`}>{r.period}<span className="govuk-visually-hidden">: {r.contractReference}, {r.measure}</span></Link>
                </td>
                <td className="govuk-table__cell">{r.contractReference}<span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{r.measure}</span></td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {r.quantity}
                  {r.approved !== null ? <span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">approved {r.approved}</span> : null}
                </td>
                <td className="govuk-table__cell"><ReturnStatusTag status={r.status} /></td>
                <td className="govuk-table__cell">{r.updated}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
