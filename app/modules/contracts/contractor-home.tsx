import { Link } from '@remix-run/react';
import { NeedsYouCouldMeet, type NeedRow } from '~/modules/pledges/pledges.ui';
import { StatusTag } from './contract-ui';
import type { PresentedCommitment } from './present';

// The contractor's home page panel (data: contractor-home.server.ts). No server imports.

interface HomeContract {
  id: string;
  reference: string;
  title: string;
  ends: string;
  committed: string;
  delivered: string;
  remaining: string;
}

interface DueReturnItem {
  key: string;
  state: 'overdue' | 'due_soon';
  contractId: string;
  contractReference: string;
  measureCode: string;
  measureTitle: string;
  period: string;
  due: string;
  href: string;
  hasDraft: boolean;
}

export interface ContractorHomeProps {
  returnsDue: { items: DueReturnItem[]; total: number };
  activeContracts: number;
  contracts: HomeContract[];
  dueNext: PresentedCommitment[];
  flagged: PresentedCommitment[];
  needs: NeedRow[];
}

const num = 'govuk-table__cell govuk-table__cell--numeric';
const numHead = 'govuk-table__header govuk-table__header--numeric';

function CommitmentList({ items, caption, showStatus }: { items: PresentedCommitment[]; caption: string; showStatus: boolean }) {
  return (
    <table className="govuk-table govuk-!-font-size-16">
      <caption className="govuk-table__caption govuk-visually-hidden">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Commitment</th>
          <th scope="col" className="govuk-table__header">Contract</th>
          <th scope="col" className="govuk-table__header">Due</th>
          <th scope="col" className={numHead}>Target</th>
          <th scope="col" className={numHead}>Delivered</th>
          <th scope="col" className={numHead}>Remaining</th>
          {showStatus ? <th scope="col" className="govuk-table__header">Status</th> : null}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {items.map((c) => (
          <tr className="govuk-table__row" key={c.id}>
            <th scope="row" className="govuk-table__header govuk-!-font-weight-regular"><strong>{c.measureCode}</strong> {c.measureTitle}</th>
            <td className="govuk-table__cell"><Link className="govuk-link" to={`/contracts/${c.contractId}`}>{c.contractReference}</Link></td>
            <td className="govuk-table__cell">{c.due}</td>
            <td className={num}>{c.target}</td>
            <td className={num}>{c.delivered}</td>
            <td className={num}>{c.remainingValue}</td>
            {showStatus ? <td className="govuk-table__cell"><StatusTag status={c.status} label={c.statusLabel} /></td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Overdue returns, then those due within 14 days: each with a link to start it or continue its draft. */
function ReturnsDue({ items, total }: ContractorHomeProps['returnsDue']) {
  return (
    <>
      <h2 className="govuk-heading-m">Returns due</h2>
      {items.length === 0 ? (
        <p className="govuk-body">No progress returns are overdue or due in the next 14 days.</p>
      ) : (
        <>
          <p className="govuk-body">A return for each reporting period is due 14 days after the period ends.{total > items.length ? ` These are the ${items.length} most urgent of ${total}.` : ''}</p>
          <table className="govuk-table govuk-!-font-size-16">
            <caption className="govuk-table__caption govuk-visually-hidden">Progress returns overdue, then due soon</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Commitment</th>
                <th scope="col" className="govuk-table__header">Contract</th>
                <th scope="col" className="govuk-table__header">Period</th>
                <th scope="col" className="govuk-table__header">Due</th>
                <th scope="col" className="govuk-table__header">Status</th>
                <th scope="col" className="govuk-table__header"><span className="govuk-visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {items.map((r) => (
                <tr className="govuk-table__row" key={r.key}>
                  <th scope="row" className="govuk-table__header govuk-!-font-weight-regular"><strong>{r.measureCode}</strong> {r.measureTitle}</th>
                  <td className="govuk-table__cell"><Link className="govuk-link" to={`/contracts/${r.contractId}`}>{r.contractReference}</Link></td>
                  <td className="govuk-table__cell">{r.period}</td>
                  <td className="govuk-table__cell">{r.due}</td>
                  <td className="govuk-table__cell">
                    {r.state === 'overdue' ? <strong className="govuk-tag govuk-tag--red">Overdue</strong> : <strong className="govuk-tag govuk-tag--yellow">Due soon</strong>}
                  </td>
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" to={r.href}>
                      {r.hasDraft ? 'Continue draft' : 'Start return'}<span className="govuk-visually-hidden"> for {r.measureCode} on {r.contractReference}, {r.period}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function ContractorHome({ returnsDue, activeContracts, contracts, dueNext, flagged, needs }: ContractorHomeProps) {
  if (activeContracts === 0) {
    return (
      <div className="app-card">
        <h2 className="govuk-heading-m">What to do next</h2>
        <p className="govuk-body">Your organisation has no active contracts in the portal yet. They will be listed here, with the social value commitments you report on, once the council has set them up.</p>
        <p className="govuk-body"><Link className="govuk-link" to="/contracts">See all your organisation’s contracts</Link></p>
        <p className="govuk-body">If someone else in your organisation needs an account, ask your council contact to invite them.</p>
      </div>
    );
  }
  return (
    <>
      <ReturnsDue {...returnsDue} />
      <h2 className="govuk-heading-m">Your active contracts</h2>
      <table className="govuk-table govuk-!-font-size-16">
        <caption className="govuk-table__caption govuk-visually-hidden">Your organisation’s active contracts, ending soonest first</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Contract</th>
            <th scope="col" className="govuk-table__header">Ends</th>
            <th scope="col" className={numHead}>Committed</th>
            <th scope="col" className={numHead}>Delivered</th>
            <th scope="col" className={numHead}>Remaining</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {contracts.map((c) => (
            <tr className="govuk-table__row" key={c.id}>
              <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                <Link className="govuk-link" to={`/contracts/${c.id}`}>{c.reference}</Link> {c.title}
              </th>
              <td className="govuk-table__cell">{c.ends}</td>
              <td className={num}>{c.committed}</td>
              <td className={num}>{c.delivered}</td>
              <td className={num}>{c.remaining}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="govuk-body">
        <Link className="govuk-link" to="/contracts">
          {activeContracts > contracts.length ? `See all ${activeContracts} active contracts, and closed ones` : 'See all your organisation’s contracts, including closed ones'}
        </Link>
      </p>
      <h2 className="govuk-heading-m">What is due next</h2>
      {dueNext.length > 0 ? (
        <CommitmentList items={dueNext} caption="The next commitments to fall due" showStatus />
      ) : (
        <p className="govuk-body">Nothing is due: every commitment on your active contracts is met or past its due date.</p>
      )}
      <h2 className="govuk-heading-m">Commitments needing attention</h2>
      {flagged.length > 0 ? (
        <>
          <p className="govuk-body">What has been delivered on these commitments trails the time that has passed, or their due date has passed without them being met.</p>
          <CommitmentList items={flagged} caption="Commitments at risk, behind or overdue" showStatus />
        </>
      ) : (
        <p className="govuk-body">None of your commitments is at risk, behind or overdue.</p>
      )}
      {flagged.length > 0 ? <NeedsYouCouldMeet needs={needs} /> : null}
    </>
  );
}
