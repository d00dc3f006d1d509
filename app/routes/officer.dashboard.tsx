import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { londonToday } from '~/modules/contracts/dates';
import { DIMENSION_LABELS, DIMENSIONS, type Dimension, type PlainBreakdownRow } from '~/modules/reports/breakdowns';
import { loadDashboard } from '~/modules/reports/dashboard.server';
import { drillDownHref, withDrillDown } from '~/modules/reports/drill-down';
import { choosePeriod, financialYearLabel, periodQuery, QUARTER_MONTHS, QUARTERS, yearOptions } from '~/modules/reports/period';
import { BreakdownSection, HeadlineTotals, trimmed } from '~/modules/reports/report-ui';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Social value dashboard' };

// Staff: committed, delivered, substituted and remaining social value for a
// chosen financial year or quarter, by theme, measure, ward, supplier and
// contract; returns waiting and overdue. Definitions: docs/reporting.md.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'report:read');
  const url = new URL(request.url);
  const today = londonToday();
  const { period, corrected } = choosePeriod(url.searchParams, today);
  const dashboard = await loadDashboard(getDb(), period, today);
  return {
    period, corrected, query: periodQuery(period),
    years: yearOptions(today).map((y) => ({ value: String(y), label: financialYearLabel(y) })),
    totals: dashboard.totals,
    returnsWaiting: dashboard.returnsWaiting,
    breakdowns: Object.fromEntries(DIMENSIONS.map((d) => [d, trimmed(withDrillDown(d, dashboard.breakdowns[d], periodQuery(period)))])) as Record<Dimension, ReturnType<typeof trimmed<PlainBreakdownRow>>>,
    allCommitmentsHref: drillDownHref(periodQuery(period), null),
    overdue: { count: dashboard.overdue.count, items: dashboard.overdue.items.map((o) => ({ ...o, dueDate: formatDate(o.dueDate) })) },
  };
}

export default function Dashboard() {
  const { period, corrected, query, years, totals, breakdowns, returnsWaiting, overdue, allCommitmentsHref } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Social value dashboard <span className="govuk-caption-l">{period.label}</span></h1>
      {corrected ? (
        <div className="govuk-inset-text">That period is not one we can show, so this is {period.label}. Choose a financial year from 2015/16 to this year, and a quarter from 1 to 4.</div>
      ) : null}
      <div className="app-filter app-no-print">
        <Form method="get" aria-label="Choose the period">
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor="period-year">Financial year (April to March)</label>
                <select className="govuk-select" id="period-year" name="year" defaultValue={String(period.year)}>
                  {years.map((y) => <option key={y.value} value={y.value}>{y.label}</option>)}
                </select>
              </div>
            </div>
            <div className="govuk-grid-column-one-third">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor="period-quarter">Quarter</label>
                <select className="govuk-select" id="period-quarter" name="quarter" defaultValue={period.quarter ? String(period.quarter) : ''}>
                  <option value="">Whole year</option>
                  {QUARTERS.map((q) => <option key={q} value={String(q)}>Q{q} ({QUARTER_MONTHS[q]})</option>)}
                </select>
              </div>
            </div>
          </div>
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">Show figures</button>
        </Form>
      </div>

      <h2 className="govuk-heading-m">Totals</h2>
      <p className="govuk-body">
        {totals.commitments} commitments on contracts in force between {formatDate(period.start)} and {formatDate(period.end)}.{' '}
        <Link className="govuk-link" to={allCommitmentsHref}>See the commitments behind these figures</Link>. How each figure is worked out is in the notes at the end of this page.
      </p>
      <HeadlineTotals totals={totals} periodLabel={period.label} href={allCommitmentsHref} />

      <h2 className="govuk-heading-m">Returns</h2>
      <ul className="govuk-list">
        <li>
          <Link className="govuk-link" to="/officer/returns?status=submitted">{returnsWaiting} {returnsWaiting === 1 ? 'return' : 'returns'} waiting for review</Link>
        </li>
        <li>{overdue.count} {overdue.count === 1 ? 'return' : 'returns'} overdue today{overdue.count > 0 ? (overdue.count > overdue.items.length ? ` (the ${overdue.items.length} most overdue below)` : ' (below)') : ''}</li>
      </ul>
      {overdue.items.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16">
          <caption className="govuk-table__caption govuk-table__caption--s">Overdue returns, most overdue first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Contract</th>
              <th scope="col" className="govuk-table__header">Measure</th>
              <th scope="col" className="govuk-table__header">Period</th>
              <th scope="col" className="govuk-table__header">Was due</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {overdue.items.map((o) => (
              <tr className="govuk-table__row" key={`${o.contractId}-${o.measure}-${o.period}`}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/contracts/${o.contractId}`}>{o.contractReference}</Link></td>
                <td className="govuk-table__cell">{o.measure}</td>
                <td className="govuk-table__cell">{o.period}</td>
                <td className="govuk-table__cell">{o.dueDate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {DIMENSIONS.map((d) => (
        <BreakdownSection
          key={d} id={`by-${d}`} heading={`By ${DIMENSION_LABELS[d].singular.toLowerCase()}`} what={DIMENSION_LABELS[d].singular.toLowerCase()}
          caption={`Social value by ${DIMENSION_LABELS[d].singular.toLowerCase()}, ${period.label}`} rows={breakdowns[d].rows} count={breakdowns[d].count}
          csvHref={`/officer/dashboard.csv?breakdown=${d}&${query}`}
        />
      ))}

      <h2 className="govuk-heading-m">How the figures are worked out</h2>
      <ul className="govuk-list govuk-list--bullet">
        <li><strong>In force</strong>: a contract whose dates overlap the period; all its commitments count.</li>
        <li><strong>Committed</strong>: each commitment’s target times the proxy value it was made with.</li>
        <li><strong>Delivered</strong>: approved quantities of returns whose reporting period ends in this period.</li>
        <li><strong>Substituted</strong>: quantities of swaps approved in this period.</li>
        <li><strong>Remaining</strong>: committed less everything delivered and substituted up to the end of this period.</li>
        <li>Each commitment’s value is rounded to the penny, then added up, as on the contract pages.</li>
      </ul>
      <p className="govuk-body"><Link className="govuk-link" to={`/officer/reports/annual/${period.year}`}>Annual impact report for {financialYearLabel(period.year)}</Link></p>
    </>
  );
}
