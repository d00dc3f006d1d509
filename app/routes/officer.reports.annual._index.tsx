import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { londonToday } from '~/modules/contracts/dates';
import { reportYears } from '~/modules/reports/annual-report.server';
import { financialYearLabel, financialYearOf } from '~/modules/reports/period';

export const handle = { title: 'Annual impact reports' };

// Staff: one annual impact report per financial year, newest first.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'report:read');
  const current = financialYearOf(londonToday());
  const years = await reportYears(getDb(), current);
  return { current, years: years.map((y) => ({ year: y, label: financialYearLabel(y) })) };
}

export default function AnnualReports() {
  const { current, years } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Annual impact reports</h1>
      <p className="govuk-body">Each report covers a financial year, 1 April to 31 March: what was committed and delivered, credits and swaps, wishlist needs met and the year’s stories. Open one to print it or save it as a PDF.</p>
      <ul className="govuk-list">
        {years.map((y) => (
          <li key={y.year}>
            <Link className="govuk-link" to={`/officer/reports/annual/${y.year}`}>Annual impact report {y.label}</Link>
            {y.year === current ? ' (this year so far)' : ''}
          </li>
        ))}
      </ul>
      <p className="govuk-body"><Link className="govuk-link" to="/officer/dashboard">Social value dashboard</Link> (any year or quarter, with CSV downloads)</p>
    </>
  );
}
