import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { londonToday } from '~/modules/contracts/dates';
import { formatPence } from '~/modules/contracts/figures';
import { DOMINANCE, MIN_SUPPLIERS } from '~/modules/reports/disclosure';
import { choosePeriod, financialYearLabel, yearOptions } from '~/modules/reports/period';
import { publicImpact } from '~/modules/reports/public-impact.server';
import { BreakdownSection, HeadlineTotals } from '~/modules/reports/report-ui';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Our social value impact' };

// PUBLIC: the year's social value for residents, by theme and ward, wishlist
// needs met and stories. No supplier-level or personal data: the disclosure
// rule is in app/modules/reports/disclosure.ts (ADR 0019).
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const today = londonToday();
  const { period } = choosePeriod(new URLSearchParams(url.searchParams.get('year') ? { year: url.searchParams.get('year')! } : {}), today);
  const impact = await publicImpact(getDb(), period.year);
  return {
    ...impact,
    years: yearOptions(today).map((y) => ({ value: String(y), label: financialYearLabel(y) })),
    stories: impact.stories.map((s) => ({ ...s, publishedAt: formatDate(s.publishedAt) })),
  };
}

const asSection = (rows: Array<{ key: string; label: string; merged: number; committedPence: number; deliveredPence: number; substitutedPence: number; remainingPence: number }>) =>
  rows.map((r) => ({ ...r, href: null, label: r.key === 'other' ? `${r.label} (${r.merged} combined)` : r.label }));

export default function Impact() {
  const { period, publishable, totals, themes, wards, needs, stories, years } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Our social value impact <span className="govuk-caption-l">{period.label}: {formatDate(period.start)} to {formatDate(period.end)}</span></h1>
      <p className="govuk-body-l">When the council buys goods, services and works, contractors commit to social value for local people: jobs, training, volunteering, support for community groups and the environment. This page shows what was promised and what was delivered.</p>
      <Form method="get" aria-label="Choose the year" className="app-no-print">
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="impact-year">Financial year (April to March)</label>
          <select className="govuk-select" id="impact-year" name="year" defaultValue={String(period.year)}>
            {years.map((y) => <option key={y.value} value={y.value}>{y.label}</option>)}
          </select>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">Show year</button>
      </Form>

      {publishable && totals ? (
        <>
          <h2 className="govuk-heading-m">Totals</h2>
          <HeadlineTotals totals={totals} periodLabel={period.label} />
          <BreakdownSection id="by-theme" heading="By theme" what="theme" caption={`Social value by theme, ${period.label}`} rows={asSection(themes)} showCommitments={false} />
          {wards.length > 0 ? (
            <BreakdownSection id="by-ward" heading="By ward" what="ward" caption={`Social value by ward, ${period.label}`} rows={asSection(wards)} showCommitments={false} />
          ) : null}
        </>
      ) : (
        <div className="govuk-inset-text">There are not yet enough contractors delivering social value in {period.label} to publish figures without revealing one company’s commitments.</div>
      )}

      <h2 className="govuk-heading-m">Community wishlist</h2>
      <p className="govuk-body">
        {needs.items} {needs.items === 1 ? 'need' : 'needs'} posted by local voluntary and community organisations {needs.items === 1 ? 'was' : 'were'} met this year
        {needs.pledgedPence !== null ? `, with ${needs.pledges} pledges from contractors worth ${formatPence(needs.pledgedPence)}` : ''}.{' '}
        <Link className="govuk-link" to="/wishlist">See what is needed now</Link>.
      </p>

      <h2 className="govuk-heading-m">Stories</h2>
      {stories.length === 0 ? <p className="govuk-body">No stories were published this year yet.</p> : (
        <ul className="govuk-list">
          {stories.map((s) => (
            <li key={s.id} className="govuk-!-margin-bottom-4">
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1"><Link className="govuk-link" to={`/stories/${s.id}`}>{s.title}</Link></h3>
              <p className="govuk-body-s govuk-!-margin-bottom-1">Published {s.publishedAt}</p>
              <p className="govuk-body">{s.excerpt}</p>
            </li>
          ))}
        </ul>
      )}

      <h2 className="govuk-heading-m">About these figures</h2>
      <ul className="govuk-list govuk-list--bullet">
        <li>Committed is the value of the social value commitments on contracts running during the year; delivered is what the council checked and approved for the year; remaining is what is still to deliver at the end of it.</li>
        <li>Values are worked out with the council’s proxy values: the £ of social value one unit (an hour of volunteering, a job for a year) is worth.</li>
        <li>We never show figures for one company. A theme or ward is shown only when at least {MIN_SUPPLIERS} contractors contribute to it and none holds more than {Math.round(DOMINANCE * 100)}% of its value; smaller ones are combined as “Other”.</li>
      </ul>
    </>
  );
}
