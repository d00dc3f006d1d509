import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { londonToday } from '~/modules/contracts/dates';
import { formatPence } from '~/modules/contracts/figures';
import { LEDGER_KIND_LABELS } from '~/modules/reports/ledger-labels';
import { annualReport } from '~/modules/reports/annual-report.server';
import { financialYearOf, parseYear, periodQuery } from '~/modules/reports/period';
import { PrintButton } from '~/modules/reports/print-button';
import { BreakdownSection, HeadlineTotals, trimmed } from '~/modules/reports/report-ui';
import { withDrillDown } from '~/modules/reports/drill-down';
import { formatDate } from '~/utils/time';

export const handle = { title: (data: unknown) => (data ? `Annual impact report ${(data as { period: { label: string } }).period.label}` : 'Annual impact report') };

// Staff: the annual impact report for one financial year, as a printable
// document (app/styles/_reports.scss holds the print rules).
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'report:read');
  const today = londonToday();
  const year = parseYear(params.year, today);
  if (year === null) throw notFound('There is no report for that year');
  const report = await annualReport(getDb(), year);
  return {
    ...report,
    inProgress: year === financialYearOf(today),
    today: formatDate(today),
    breakdowns: {
      supplier: trimmed(withDrillDown('supplier', report.breakdowns.supplier, periodQuery(report.period))), theme: trimmed(withDrillDown('theme', report.breakdowns.theme, periodQuery(report.period))),
      ward: trimmed(withDrillDown('ward', report.breakdowns.ward, periodQuery(report.period))), measure: trimmed(withDrillDown('measure', report.breakdowns.measure, periodQuery(report.period))),
      contract: trimmed(report.breakdowns.contract),
    },
    stories: report.stories.map((s) => ({ ...s, publishedAt: formatDate(s.publishedAt) })),
  };
}

const num = 'govuk-table__cell govuk-table__cell--numeric';

export default function AnnualReport() {
  const { period, totals, breakdowns, ledger, decisions, needs, stories, inProgress, today } = useLoaderData<typeof loader>();
  const section = (id: string, heading: string, what: string, rows: (typeof breakdowns)['theme']) => (
    <BreakdownSection id={id} heading={heading} what={what} caption={`Social value by ${what}, ${period.label}`} rows={rows.rows} count={rows.count}
      csvHref={`/officer/dashboard.csv?breakdown=${what}&year=${period.year}`} />
  );
  return (
    <article className="app-report">
      <p className="govuk-body app-no-print"><Link className="govuk-link govuk-back-link" to="/officer/reports/annual">All annual reports</Link></p>
      <h1 className="govuk-heading-xl">Annual impact report <span className="govuk-caption-xl">{period.label}: {formatDate(period.start)} to {formatDate(period.end)}</span></h1>
      {inProgress ? <div className="govuk-inset-text">The year is not over: these are the figures on {today}.</div> : null}
      <PrintButton />

      <section className="app-report-section app-report-section--first" aria-labelledby="summary-heading">
        <h2 className="govuk-heading-l" id="summary-heading">Summary</h2>
        <p className="govuk-body">{totals.commitments} social value commitments were in force during the year.</p>
        <HeadlineTotals totals={totals} periodLabel={period.label} />
        <p className="govuk-body-s">Committed: the whole-life value of commitments on contracts in force in the year. Delivered: approved returns for periods ending in the year. Substituted: swaps approved in the year. Remaining: still to deliver on 31 March.</p>
      </section>

      {section('by-supplier', 'Delivery against commitments by supplier', 'supplier', breakdowns.supplier)}
      {section('by-theme', 'By theme', 'theme', breakdowns.theme)}
      {section('by-ward', 'By ward', 'ward', breakdowns.ward)}
      {section('by-measure', 'By measure', 'measure', breakdowns.measure)}
      {section('by-contract', 'By contract', 'contract', breakdowns.contract)}

      <section className="app-report-section" aria-labelledby="credits-heading">
        <h2 className="govuk-heading-l" id="credits-heading">Credits and swaps</h2>
        <p className="govuk-body">{decisions.claims} credit {decisions.claims === 1 ? 'claim was' : 'claims were'} approved, worth {formatPence(decisions.claimedPence)}. {decisions.creditSwaps + decisions.measureSwaps} {decisions.creditSwaps + decisions.measureSwaps === 1 ? 'swap was' : 'swaps were'} approved ({decisions.creditSwaps} paid with credits, {decisions.measureSwaps} by taking on another measure), worth {formatPence(decisions.swappedPence)}.</p>
        <table className="govuk-table govuk-!-font-size-16 app-report-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Credits ledger: transactions booked in {period.label}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Kind</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Transactions</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {ledger.map((l) => (
              <tr className="govuk-table__row" key={l.kind}>
                <th scope="row" className="govuk-table__header">{LEDGER_KIND_LABELS[l.kind]}</th>
                <td className={num}>{l.transactions}</td>
                <td className={num}>{formatPence(l.valuePence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="app-report-section" aria-labelledby="needs-heading">
        <h2 className="govuk-heading-l" id="needs-heading">Community wishlist: needs met</h2>
        <p className="govuk-body">{needs.items} {needs.items === 1 ? 'need' : 'needs'} posted by local voluntary and community organisations {needs.items === 1 ? 'was' : 'were'} met in the year. Contractors’ organisations confirmed {needs.pledges} {needs.pledges === 1 ? 'pledge' : 'pledges'} worth {formatPence(needs.pledgedPence)}.</p>
      </section>

      <section className="app-report-section" aria-labelledby="stories-heading">
        <h2 className="govuk-heading-l" id="stories-heading">Stories of the year</h2>
        {stories.length === 0 ? <p className="govuk-body">No stories were published in the year.</p> : null}
        {stories.map((s) => (
          <div className="app-report-story" key={s.id}>
            <h3 className="govuk-heading-s govuk-!-margin-bottom-1"><Link className="govuk-link app-print-url" to={`/stories/${s.id}`}>{s.title}</Link></h3>
            <p className="govuk-body-s govuk-!-margin-bottom-1">Published {s.publishedAt}</p>
            <p className="govuk-body">{s.excerpt}</p>
          </div>
        ))}
      </section>
    </article>
  );
}
