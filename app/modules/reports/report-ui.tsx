import { Link } from '@remix-run/react';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { BarChart } from './charts';
import type { Totals } from './breakdowns';

// The pieces the dashboard, the annual report and the public impact page share.

export interface SectionRow {
  key: string;
  label: string;
  href: string | null;
  commitments?: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
  unit?: string;
  targetMilli?: number;
  deliveredMilli?: number;
  substitutedMilli?: number;
  remainingMilli?: number;
}

/** A measure row's quantities in its unit: target, delivered, substituted and remaining. */
function quantitiesOf(r: SectionRow): string {
  if (r.unit === undefined) return '';
  const q = (milli: number | undefined) => formatQuantity(milli ?? 0);
  return `${q(r.deliveredMilli)} delivered, ${q(r.substitutedMilli)} substituted, ${q(r.remainingMilli)} remaining of ${formatQuantity(r.targetMilli ?? 0, r.unit)}`;
}

const num = 'govuk-table__cell govuk-table__cell--numeric';
const numHead = 'govuk-table__header govuk-table__header--numeric';

export function HeadlineTotals({ totals, periodLabel, href }: { totals: Totals; periodLabel: string; href?: string }) {
  const items: Array<[string, number, string]> = [
    ['Committed', totals.committedPence, 'whole-life value of the commitments in force'],
    ['Delivered', totals.deliveredPence, 'approved returns for periods ending in this period'],
    ['Substituted', totals.substitutedPence, 'approved swaps decided in this period'],
    ['Remaining', totals.remainingPence, 'still to deliver at the end of this period'],
  ];
  return (
    <dl className="app-headline-figures">
      {items.map(([label, pence, hint]) => (
        <div className="app-headline-figures__item" key={label}>
          <dt className="govuk-body-s govuk-!-margin-bottom-1">{label} <span className="govuk-visually-hidden">in {periodLabel}</span></dt>
          <dd className="govuk-heading-m govuk-!-margin-bottom-1">{href ? <Link className="govuk-link" to={href}>{formatPence(pence)}<span className="govuk-visually-hidden"> {label.toLowerCase()}: see the commitments behind it</span></Link> : formatPence(pence)}</dd>
          <dd className="govuk-body-s govuk-!-margin-bottom-0 app-secondary-text">{hint}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Rows listed in a breakdown's table; the CSV export has every row. */
export const TABLE_MAX_ROWS = 25;

/** A breakdown trimmed on the server to the rows a page lists, and how many there are in all. */
export function trimmed<T>(rows: readonly T[], limit = TABLE_MAX_ROWS): { rows: T[]; count: number } {
  return { rows: rows.slice(0, limit), count: rows.length };
}

export function BreakdownSection({ id, heading, what, caption, rows, count = rows.length, showCommitments = true, csvHref }: {
  id: string; heading: string; what: string; caption: string; rows: readonly SectionRow[]; count?: number; showCommitments?: boolean; csvHref?: string;
}) {
  const quantities = rows.some((r) => r.unit !== undefined);
  return (
    <section className="app-report-section" aria-labelledby={`${id}-heading`}>
      <h2 className="govuk-heading-m" id={`${id}-heading`}>{heading}</h2>
      <BarChart id={`${id}-chart`} title={caption} what={what} rows={rows} count={count} />
      {count > rows.length ? <p className="govuk-body-s">The table lists the {rows.length} largest of {count} by committed value{csvHref ? '; the CSV file has them all' : ''}.</p> : null}
      <div className="app-table-scroll">
        <table className="govuk-table govuk-!-font-size-16 app-report-table">
          <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">{what.charAt(0).toUpperCase() + what.slice(1)}</th>
              {showCommitments ? <th scope="col" className={numHead}>Commitments</th> : null}
              {quantities ? <th scope="col" className={numHead}>Quantities</th> : null}
              <th scope="col" className={numHead}>Committed</th>
              <th scope="col" className={numHead}>Delivered</th>
              <th scope="col" className={numHead}>Substituted</th>
              <th scope="col" className={numHead}>Remaining</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((r) => (
              <tr className="govuk-table__row" key={r.key || r.label}>
                <th scope="row" className="govuk-table__header app-report-table__label">
                  {r.href ? <Link className="govuk-link" to={r.href}>{r.label}</Link> : r.label}
                </th>
                {showCommitments ? <td className={num}>{r.commitments ?? ''}</td> : null}
                {quantities ? <td className={num}>{quantitiesOf(r)}</td> : null}
                <td className={num}>{formatPence(r.committedPence)}</td>
                <td className={num}>{formatPence(r.deliveredPence)}</td>
                <td className={num}>{formatPence(r.substitutedPence)}</td>
                <td className={num}>{formatPence(r.remainingPence)}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr className="govuk-table__row"><td className="govuk-table__cell" colSpan={7}>No commitments in force in this period.</td></tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {csvHref ? <p className="govuk-body app-no-print"><a className="govuk-link" href={csvHref} download>Download this breakdown as CSV<span className="govuk-visually-hidden"> ({what})</span></a></p> : null}
    </section>
  );
}
