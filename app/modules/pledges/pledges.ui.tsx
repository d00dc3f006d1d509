import { Link } from '@remix-run/react';
import type { PledgeStatus } from '#db/schema';
import { PLEDGE_STATUS_LABELS, PLEDGE_TAG_CLASSES } from './pledges.schema';

// UI pieces for pledges, shared by the pledge pages, the owner's item page and
// the contractor's home page. No server imports: these reach the browser.

export function PledgeStatusTag({ status }: { status: PledgeStatus }) {
  return <strong className={`govuk-tag ${PLEDGE_TAG_CLASSES[status]}`}>{PLEDGE_STATUS_LABELS[status]}</strong>;
}

export interface ItemPledgeRow {
  id: string;
  status: PledgeStatus;
  supplierName: string;
  description: string;
  value: string;
  expected: string;
}

/**
 * The pledges made to one of the organisation's items (its owner's page), each
 * linking to the pledge; `note` says why offers waiting for an answer cannot be
 * accepted now (item-rule.ts waitingOffersNote: the item is back with the council, say).
 */
export function ItemPledges({ pledges, headingLevel = 2, note }: { pledges: ItemPledgeRow[]; headingLevel?: 2 | 3; note?: string | null }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="item-pledges-heading">
      <Heading className="govuk-heading-m" id="item-pledges-heading">Pledges</Heading>
      {note ? <div className="govuk-inset-text" data-testid="item-pledges-note">{note}</div> : null}
      {pledges.length === 0 ? (
        <p className="govuk-body">No contractor has pledged to meet this need yet.</p>
      ) : (
        <table className="govuk-table govuk-!-font-size-16" data-testid="item-pledges">
          <caption className="govuk-table__caption govuk-visually-hidden">Pledges to meet this need, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Contractor</th>
              <th scope="col" className="govuk-table__header">What they will give</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
              <th scope="col" className="govuk-table__header">Expected</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {pledges.map((p) => (
              <tr className="govuk-table__row" key={p.id}>
                <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                  <Link className="govuk-link" to={`/pledges/${p.id}`}>{p.supplierName}<span className="govuk-visually-hidden">: pledge of {p.value}</span></Link>
                </th>
                <td className="govuk-table__cell">{p.description}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{p.value}</td>
                <td className="govuk-table__cell">{p.expected}</td>
                <td className="govuk-table__cell"><PledgeStatusTag status={p.status} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface NeedRow {
  id: string;
  title: string;
  organisationName: string;
  category: string;
  estimate: string;
  neededBy: string | null;
  ward: string | null;
  reason: string;
}

/** The contractor's home page: open needs matching the commitments that are at risk, behind or overdue. */
export function NeedsYouCouldMeet({ needs }: { needs: NeedRow[] }) {
  return (
    <section aria-labelledby="needs-heading">
      <h2 className="govuk-heading-m" id="needs-heading">Needs you could meet</h2>
      {needs.length === 0 ? (
        <p className="govuk-body">
          No open needs on the <Link className="govuk-link" to="/wishlist">community wishlist</Link> match the themes or wards of your commitments that are at risk, behind or overdue.
        </p>
      ) : (
        <>
          <p className="govuk-body">
            Local voluntary and community organisations need these. They match the themes or wards of your commitments that are at risk, behind or overdue.
            Meeting one helps the community, and a confirmed pledge can be claimed as social value credits.
          </p>
          <ul className="govuk-list app-needs" data-testid="needs-you-could-meet">
            {needs.map((n) => (
              <li key={n.id} className="govuk-!-margin-bottom-4">
                <Link className="govuk-link govuk-!-font-weight-bold" to={`/wishlist/${n.id}`}>{n.title}</Link>
                <span className="govuk-!-display-block">{n.organisationName} · {n.category} · about {n.estimate}{n.neededBy ? ` · needed by ${n.neededBy}` : ''}</span>
                <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{n.reason}</span>
              </li>
            ))}
          </ul>
          <p className="govuk-body"><Link className="govuk-link" to="/wishlist">Browse the whole community wishlist</Link></p>
        </>
      )}
    </section>
  );
}
