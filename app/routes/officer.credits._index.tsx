import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { FilterActions } from '~/components/filter-actions';
import { FilterSelect } from '~/components/filter-select';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { formatPence } from '~/modules/contracts/figures';
import { findClaim } from '~/modules/credits/claims.queries.server';
import { ClaimStatusTag } from '~/modules/credits/claims.ui';
import { QUEUE_TYPE_LABELS as TYPE_LABELS, QUEUE_TYPES, QUEUE_VIEW_LABELS as VIEW_LABELS, QUEUE_VIEWS } from '~/modules/credits/queue.schema';
import { CREDIT_QUEUE_PAGE_SIZE, countPendingCredits, listCreditQueue, listCreditSuppliers } from '~/modules/credits/queue.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Credit requests' };

// The officers' queue of credit claims and swaps: those awaiting a decision,
// oldest first, or those decided, most recent first. Filters live in the URL
// (a GET form), so it works without JavaScript.


function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'credit:decide');
  const url = new URL(request.url);
  const q = url.searchParams;
  const filters = {
    view: pick(q.get('view'), QUEUE_VIEWS) ?? 'pending',
    type: pick(q.get('type'), QUEUE_TYPES),
    contract: q.get('contract')?.trim().slice(0, 100) || undefined,
    supplier: q.get('supplier')?.trim().slice(0, 40) || undefined,
  };
  const page = parsePage(q.get('page'));
  const db = getDb();
  const [{ total, requests }, suppliers, counts] = await Promise.all([listCreditQueue(db, filters, page), listCreditSuppliers(db), countPendingCredits(db)]);
  const decidedId = q.get('decided')?.slice(0, 100);
  const decided = decidedId ? await findClaim(db, decidedId, null) : undefined;
  const banner = decided && decided.status !== 'requested' ? `Claim for ${decided.contractReference} by ${decided.supplierName} ${decided.status}` : null;
  return {
    banner, decidedId: decided?.id ?? null, filters, page, pageSize: CREDIT_QUEUE_PAGE_SIZE, total, counts,
    suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })),
    requests: requests.map((r) => ({
      type: r.type, id: r.id, status: r.status, href: r.href, made: formatDate(r.createdAt), decided: r.decidedAt ? formatDate(r.decidedAt) : '',
      ageDays: r.ageDays, supplierName: r.supplierName, contractReference: r.contractReference, summary: r.summary,
      value: formatPence(r.valuePence), approved: r.approvedValuePence !== null && r.approvedValuePence !== r.valuePence ? formatPence(r.approvedValuePence) : null,
    })),
  };
}

const VIEW_OPTIONS = QUEUE_VIEWS.map((v) => ({ value: v, label: VIEW_LABELS[v] }));
const TYPE_OPTIONS = QUEUE_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }));

export default function CreditRequests() {
  const { banner, decidedId, filters, page, pageSize, total, counts, suppliers, requests } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  const location = useLocation();
  const pending = filters.view === 'pending';
  const num = 'govuk-table__cell govuk-table__cell--numeric';
  return (
    <>
      {banner ? (
        <SuccessBanner heading={banner}>
          <p className="govuk-body"><Link className="govuk-notification-banner__link" to={`/credits/claims/${decidedId}`}>View the claim</Link></p>
        </SuccessBanner>
      ) : null}
      <h1 className="govuk-heading-l">Credit requests</h1>
      <p className="govuk-body">
        Awaiting a decision: <strong>{counts.claims}</strong> {counts.claims === 1 ? 'claim' : 'claims'} and <strong>{counts.swaps}</strong> {counts.swaps === 1 ? 'swap' : 'swaps'}.{' '}
        <a className="govuk-link" href="/officer/ledger.csv" download>Download the credits ledger (CSV)</a>
      </p>
      <div className="app-filter">
        <Form method="get" key={location.search} aria-label="Filter credit requests">
          <h2 className="govuk-heading-m">Filter</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-quarter">
              <FilterSelect name="view" label="Show" options={VIEW_OPTIONS} value={filters.view} />
            </div>
            <div className="govuk-grid-column-one-quarter">
              <FilterSelect name="type" label="Type" all="Claims and swaps" options={TYPE_OPTIONS} value={filters.type} />
            </div>
            <div className="govuk-grid-column-one-quarter">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor="filter-contract">Contract reference or title</label>
                <input className="govuk-input" id="filter-contract" name="contract" type="search" defaultValue={filters.contract ?? ''} spellCheck={false} />
              </div>
            </div>
            <div className="govuk-grid-column-one-quarter">
              <FilterSelect name="supplier" label="Supplier" all="All suppliers" options={suppliers} value={filters.supplier} />
            </div>
          </div>
          <FilterActions clearTo="/officer/credits" />
        </Form>
      </div>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['request', 'requests']} />
      {requests.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16">
          <caption className="govuk-table__caption govuk-visually-hidden">Credit requests: {VIEW_LABELS[filters.view].toLowerCase()}, {pending ? 'oldest first' : 'most recently decided first'}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Made</th>
              {pending ? <th scope="col" className="govuk-table__header govuk-table__header--numeric">Days waiting</th> : <th scope="col" className="govuk-table__header">Decided</th>}
              <th scope="col" className="govuk-table__header">Type</th>
              <th scope="col" className="govuk-table__header">Supplier</th>
              <th scope="col" className="govuk-table__header">Contract</th>
              <th scope="col" className="govuk-table__header">What</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {requests.map((r) => (
              <tr className="govuk-table__row" key={`${r.type}-${r.id}`}>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={r.href}>{r.made}<span className="govuk-visually-hidden">: {r.type} by {r.supplierName} on {r.contractReference}</span></Link>
                </td>
                {pending ? <td className={num}>{r.ageDays}</td> : <td className="govuk-table__cell">{r.decided}</td>}
                <td className="govuk-table__cell">{r.type === 'claim' ? 'Claim' : 'Swap'}</td>
                <td className="govuk-table__cell">{r.supplierName}</td>
                <td className="govuk-table__cell">{r.contractReference}</td>
                <td className="govuk-table__cell">{r.summary}</td>
                <td className={num}>{r.value}{r.approved ? <><br />approved {r.approved}</> : null}</td>
                <td className="govuk-table__cell">
                  <ClaimStatusTag status={r.status} />
                  {r.status === 'requested' ? (
                    <><br /><Link className="govuk-link" to={r.type === 'claim' ? `/credits/claims/${r.id}/decide` : r.href}>Decide<span className="govuk-visually-hidden"> on the {r.type} by {r.supplierName} on {r.contractReference}</span></Link></>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="govuk-body">{pending ? 'Nothing is waiting for a decision.' : 'No decided requests match.'}</p>}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
