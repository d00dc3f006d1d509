import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { Pagination } from '~/components/pagination';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { londonToday } from '~/modules/contracts/dates';
import { DIMENSION_LABELS } from '~/modules/reports/breakdowns';
import { DRILL_DOWN_PAGE_SIZE, drillDown, drillDownHref, parseDrillDown } from '~/modules/reports/drill-down';
import { commitmentPeriodFigures } from '~/modules/reports/period-figures.server';
import { choosePeriod, periodQuery } from '~/modules/reports/period';
import { HeadlineTotals } from '~/modules/reports/report-ui';

export const handle = { title: 'Commitments behind the dashboard' };

// Staff: the commitments behind a dashboard figure (a breakdown row, or all of
// them for the headline totals), each with the same period figures, so the rows
// add up to the figure that linked here. Each links to its contract, where the
// approved returns and swaps behind its delivered and substituted figures are listed.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'report:read');
  const url = new URL(request.url);
  const { period } = choosePeriod(url.searchParams, londonToday());
  const filter = parseDrillDown(url.searchParams);
  const result = drillDown(await commitmentPeriodFigures(getDb(), period), filter);
  const pageCount = Math.max(1, Math.ceil(result.rows.length / DRILL_DOWN_PAGE_SIZE));
  const requested = Number(url.searchParams.get('page') ?? '1');
  const page = Number.isInteger(requested) && requested >= 1 ? Math.min(requested, pageCount) : 1;
  const query = periodQuery(period);
  return {
    period, filter, label: result.label, totals: result.totals, count: result.rows.length, page, pageCount,
    dimensionLabel: filter ? DIMENSION_LABELS[filter.dimension].singular : null,
    baseHref: drillDownHref(query, filter),
    dashboardHref: `/officer/dashboard?${query}`,
    rows: result.rows.slice((page - 1) * DRILL_DOWN_PAGE_SIZE, page * DRILL_DOWN_PAGE_SIZE).map((r) => ({
      id: r.commitmentId, contractId: r.contractId, contract: `${r.contractReference}: ${r.contractTitle}`, supplier: r.supplierName,
      measure: `${r.measureCode}: ${r.measureTitle}`, ward: r.wardName ?? 'No ward',
      target: formatQuantity(r.targetMilli, r.unit), delivered: formatQuantity(r.deliveredMilli, r.unit),
      committed: formatPence(r.committedPence), deliveredValue: formatPence(r.deliveredPence),
      substitutedValue: formatPence(r.substitutedPence), remainingValue: formatPence(r.remainingPence),
    })),
  };
}

export default function DashboardCommitments() {
  const { period, label, dimensionLabel, totals, count, page, pageCount, rows, baseHref, dashboardHref } = useLoaderData<typeof loader>();
  const heading = label && dimensionLabel ? `${dimensionLabel}: ${label}` : 'All commitments';
  return (
    <>
      <Link className="govuk-back-link" to={dashboardHref}>Back to the dashboard</Link>
      <h1 className="govuk-heading-l">{heading} <span className="govuk-caption-l">Commitments behind the dashboard, {period.label}</span></h1>
      <p className="govuk-body">
        {count} {count === 1 ? 'commitment' : 'commitments'}. Their figures for this period add up to the dashboard’s.
        Open a contract to see the approved returns and swaps behind its delivered and substituted figures.
      </p>
      <HeadlineTotals totals={totals} periodLabel={period.label} />
      {rows.length === 0 ? <p className="govuk-body">No commitments match.</p> : (
        <div className="app-table-scroll">
          <table className="govuk-table" data-testid="drill-down">
            <caption className="govuk-table__caption govuk-table__caption--m">Commitments{pageCount > 1 ? ` (page ${page} of ${pageCount})` : ''}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Contract</th>
                <th scope="col" className="govuk-table__header">Supplier</th>
                <th scope="col" className="govuk-table__header">Measure and ward</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Delivered of target</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Committed</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Delivered</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Substituted</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Remaining</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {rows.map((r) => (
                <tr key={r.id} className="govuk-table__row">
                  <td className="govuk-table__cell"><Link className="govuk-link" to={`/contracts/${r.contractId}`}>{r.contract}</Link></td>
                  <td className="govuk-table__cell">{r.supplier}</td>
                  <td className="govuk-table__cell">{r.measure}<br /><span className="govuk-body-s">{r.ward}</span></td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{r.delivered} of {r.target}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{r.committed}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{r.deliveredValue}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{r.substitutedValue}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{r.remainingValue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} hrefFor={(p) => `${baseHref}&page=${p}`} />
    </>
  );
}
