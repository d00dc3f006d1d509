import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { contractorCredits, recentCreditDecisions, RECENT_DECISIONS } from '~/modules/credits/credits-home.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Credits' };

// A contractor's credits: for each active contract of their organisation, the
// balance, the claims and swaps waiting for a decision, and the ledger's history;
// then the organisation's latest decided or withdrawn requests, with the reasons.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'credit:request');
  const [contracts, decisions] = await Promise.all([contractorCredits(getDb(), user.organisationId), recentCreditDecisions(getDb(), user.organisationId)]);
  return {
    decisionsShown: RECENT_DECISIONS,
    decisions: decisions.map((d) => ({
      id: d.id, href: d.type === 'claim' ? `/credits/claims/${d.id}` : `/credits/swaps/${d.id}`,
      what: `${d.type === 'claim' ? 'Claim' : 'Swap on'} ${d.summary.length > 80 ? `${d.summary.slice(0, 80)}\u2026` : d.summary}`,
      reference: d.reference, value: formatPence(d.valuePence), status: d.status, reason: d.reason ?? '', on: formatDate(d.at),
    })),
    contracts: contracts.map((c) => ({
      id: c.id, reference: c.reference, title: c.title, ends: formatDate(c.endDate), balance: formatPence(c.balancePence),
      pending: [
        ...c.pendingClaims.map((x) => ({ id: x.id, href: `/credits/claims/${x.id}`, text: `Claim: ${x.description.length > 80 ? `${x.description.slice(0, 80)}\u2026` : x.description} (${formatPence(x.valuePence)}), sent ${formatDate(x.createdAt)}` })),
        ...c.pendingSwaps.map((x) => ({ id: x.id, href: `/credits/swaps/${x.id}`, text: `Swap on ${x.code} ${x.title}: ${formatQuantity(x.quantityMilli, x.unit)} (${formatPence(x.valuePence)}) ${x.method === 'credits' ? 'with credits' : 'by another measure'}, sent ${formatDate(x.createdAt)}` })),
      ],
    })),
  };
}

export default function Credits() {
  const { contracts, decisions, decisionsShown } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Credits</h1>
      <p className="govuk-body">Credits are social value held on a contract’s balance. You earn them when an approved return takes a commitment past its target, and by claiming for social value delivered outside your commitments, such as a confirmed wishlist pledge. You can spend them to meet part of a commitment you cannot deliver, with an officer’s approval.</p>
      <div className="govuk-button-group">
        <Link className="govuk-button" role="button" data-module="govuk-button" to="/credits/claims/new">Claim credits</Link>
      </div>
      {contracts.length === 0 ? <p className="govuk-body">Your organisation has no active contracts.</p> : (
        <table className="govuk-table" data-testid="credits-contracts">
          <caption className="govuk-table__caption govuk-table__caption--m">Your active contracts</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Contract</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Credit balance</th>
              <th scope="col" className="govuk-table__header">Waiting for a decision</th>
              <th scope="col" className="govuk-table__header">History</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {contracts.map((c) => (
              <tr className="govuk-table__row" key={c.id}>
                <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                  <Link className="govuk-link" to={`/contracts/${c.id}`}>{c.reference}</Link> {c.title}
                  <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">Ends {c.ends}</span>
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric" data-testid="credits-balance">{c.balance}</td>
                <td className="govuk-table__cell">
                  {c.pending.length === 0 ? 'Nothing' : (
                    <ul className="govuk-list govuk-!-font-size-16 govuk-!-margin-bottom-0">
                      {c.pending.map((p) => <li key={p.id}><Link className="govuk-link" to={p.href}>{p.text}</Link></li>)}
                    </ul>
                  )}
                </td>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/contracts/${c.id}/ledger`}>Ledger<span className="govuk-visually-hidden"> of {c.reference}</span></Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="govuk-heading-m">Recent decisions</h2>
      {decisions.length === 0 ? <p className="govuk-body">No claim or swap has been decided or withdrawn yet.</p> : (
        <table className="govuk-table" data-testid="credits-decisions">
          <caption className="govuk-table__caption govuk-visually-hidden">The latest {decisionsShown} claims and swaps decided or withdrawn, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Request</th>
              <th scope="col" className="govuk-table__header">Contract</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
              <th scope="col" className="govuk-table__header">Outcome</th>
              <th scope="col" className="govuk-table__header">Reason</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {decisions.map((d) => (
              <tr className="govuk-table__row" key={d.id}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={d.href}>{d.what}</Link></td>
                <td className="govuk-table__cell">{d.reference}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{d.value}</td>
                <td className="govuk-table__cell"><strong className={`govuk-tag ${OUTCOME_TAGS[d.status]}`}>{OUTCOME_LABELS[d.status]}</strong> <span className="govuk-!-display-block govuk-!-font-size-16">{d.on}</span></td>
                <td className="govuk-table__cell">{d.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const OUTCOME_LABELS = { approved: 'Approved', rejected: 'Rejected', withdrawn: 'Withdrawn' } as const;
const OUTCOME_TAGS = { approved: 'govuk-tag--green', rejected: 'govuk-tag--red', withdrawn: 'govuk-tag--grey' } as const;
