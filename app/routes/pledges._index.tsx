import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { FilterActions } from '~/components/filter-actions';
import { FilterSelect } from '~/components/filter-select';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { formatPence } from '~/modules/contracts/figures';
import { countAwaitingViewer, listPledges, PLEDGES_PAGE_SIZE } from '~/modules/pledges/pledge-queries.server';
import { parsePledgeStatus, PLEDGE_STATUS_LABELS, PLEDGE_STATUSES } from '~/modules/pledges/pledges.schema';
import { PledgeStatusTag } from '~/modules/pledges/pledges.ui';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Pledges' };

const STATUS_OPTIONS = PLEDGE_STATUSES.map((s) => ({ value: s, label: PLEDGE_STATUS_LABELS[s] }));

// A contractor's organisation's pledges, or (for a VCSE user) the pledges made
// to its organisation's items; scoped in the query. Most recently changed first.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'pledge:list');
  const url = new URL(request.url);
  const status = parsePledgeStatus(url.searchParams.get('status'));
  const page = parsePage(url.searchParams.get('page'));
  const db = getDb();
  const [{ total, pledges }, awaiting] = await Promise.all([listPledges(db, user, { status }, page), countAwaitingViewer(db, user)]);
  return {
    audience: user.role === 'vcse' ? ('vcse' as const) : ('contractor' as const),
    organisationName: user.organisationName,
    status: status ?? '',
    page,
    pageSize: PLEDGES_PAGE_SIZE,
    total,
    awaiting,
    pledges: pledges.map((p) => ({
      id: p.id, status: p.status, itemId: p.itemId, itemTitle: p.itemTitle, description: p.description,
      other: user.role === 'vcse' ? p.supplierName : p.recipientName, contractReference: p.contractReference,
      value: formatPence(p.valuePence), expected: formatDate(p.expectedDate), updated: formatDate(p.updatedAt),
    })),
  };
}

export default function PledgesList() {
  const { audience, organisationName, status, page, pageSize, total, awaiting, pledges } = useLoaderData<typeof loader>();
  const location = useLocation();
  const hrefFor = usePageHref();
  const vcse = audience === 'vcse';
  return (
    <>
      <h1 className="govuk-heading-l">{vcse ? `Pledges to ${organisationName}` : `${organisationName}: pledges`}</h1>
      <p className="govuk-body">
        {vcse
          ? 'Contractors’ offers to meet your wishlist needs. Accept or decline each offer, and confirm when you have received what was pledged.'
          : <>Your organisation’s offers to meet needs on the <Link className="govuk-link" to="/wishlist">community wishlist</Link>. Mark a pledge delivered when you have delivered it; once the organisation confirms it, you can claim credits for it.</>}
      </p>
      {awaiting > 0 ? (
        <div className="govuk-inset-text" data-testid="pledges-awaiting">
          {awaiting === 1 ? '1 pledge is' : `${awaiting} pledges are`} waiting for you to {vcse ? 'answer or confirm' : 'deliver'}.
        </div>
      ) : null}
      <div className="app-filter">
        <Form method="get" key={location.search} aria-label="Filter pledges">
          <FilterSelect name="status" label="Status" options={STATUS_OPTIONS} all="Any status" value={status} />
          <FilterActions clearTo="/pledges" />
        </Form>
      </div>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['pledge', 'pledges']} />
      {pledges.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16" data-testid="pledges-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Pledges, most recently changed first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Need</th>
              <th scope="col" className="govuk-table__header">{vcse ? 'Contractor' : 'Organisation'}</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
              <th scope="col" className="govuk-table__header">Expected</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {pledges.map((p) => (
              <tr className="govuk-table__row" key={p.id}>
                <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                  <Link className="govuk-link" to={`/pledges/${p.id}`}>{p.itemTitle}<span className="govuk-visually-hidden">: pledge by {vcse ? p.other : organisationName}</span></Link>
                  <span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{p.description}</span>
                </th>
                <td className="govuk-table__cell">
                  {p.other}
                  {!vcse && p.contractReference ? <span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">for {p.contractReference}</span> : null}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{p.value}</td>
                <td className="govuk-table__cell">{p.expected}</td>
                <td className="govuk-table__cell"><PledgeStatusTag status={p.status} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : total === 0 && !status ? (
        <p className="govuk-body">
          {vcse ? 'No contractor has pledged to your needs yet.' : <>Your organisation has not pledged to any need yet. <Link className="govuk-link" to="/wishlist">Browse the community wishlist</Link>.</>}
        </p>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
