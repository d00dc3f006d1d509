import { Link } from '@remix-run/react';
import type { HowMetLine, PresentedHowMet } from './how-met.present';

// Credits UI pieces for the contract page. No server imports: these reach the browser.

function Lines({ lines, label }: { lines: HowMetLine[]; label: string }) {
  if (lines.length === 0) return null;
  return (
    <ul className="govuk-list govuk-list--bullet govuk-!-font-size-16 govuk-!-margin-top-2 govuk-!-margin-bottom-0">
      {lines.map((line) => (
        <li key={line.key}>
          {line.reversed ? <s>{line.text}</s> : line.text}{line.reversed ? <span className="govuk-visually-hidden"> (reversed)</span> : null}{' '}
          <Link className="govuk-link" to={line.href}>{line.linkText}<span className="govuk-visually-hidden">: {label}</span></Link>
        </li>
      ))}
    </ul>
  );
}

/** The contract's credit balance with a link to its ledger. */
export function CreditBalance({ contractId, balance }: { contractId: string; balance: string }) {
  return (
    <section aria-labelledby="credits-heading">
      <h2 className="govuk-heading-m" id="credits-heading">Credits</h2>
      <p className="govuk-body" data-testid="credit-balance">
        Credit balance: <strong>{balance}</strong>.{' '}
        <Link className="govuk-link" to={`/contracts/${contractId}/ledger`}>View the credits ledger</Link>
      </p>
    </section>
  );
}

/** For each commitment: delivered, substituted (by what, when, approved by whom), value taken on from swaps, remaining. */
export function HowMetSection({ items }: { items: PresentedHowMet[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="how-met-heading" data-testid="how-met">
      <h2 className="govuk-heading-m" id="how-met-heading">How each commitment was met</h2>
      {items.map((item) => (
        <div key={item.commitmentId} data-testid={`how-met-${item.commitmentId}`}>
          <h3 className="govuk-heading-s govuk-!-margin-bottom-2">{item.measure}</h3>
          <dl className="govuk-summary-list govuk-!-margin-bottom-4">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Delivered</dt>
              <dd className="govuk-summary-list__value" data-testid="how-met-delivered">{item.delivered}<Lines lines={item.deliveredLines} label={item.measure} /></dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Substituted</dt>
              <dd className="govuk-summary-list__value" data-testid="how-met-substituted">{item.substituted}<Lines lines={item.substitutedLines} label={item.measure} /></dd>
            </div>
            {item.takenOn !== null ? (
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Value taken on from swaps</dt>
                <dd className="govuk-summary-list__value" data-testid="how-met-taken-on">{item.takenOn}<Lines lines={item.takenOnLines} label={item.measure} /></dd>
              </div>
            ) : null}
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Remaining</dt>
              <dd className="govuk-summary-list__value">{item.remaining}</dd>
            </div>
          </dl>
          {item.swapHref ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={item.swapHref}>Request a swap<span className="govuk-visually-hidden"> for {item.measure}</span></Link>
            </p>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** A ledger transaction's postings as a debit/credit table; `reversed` swaps the sides (what a reversal would book). */
export function PostingsTable({ postings, caption, captionClassName, reversed = false, className = 'govuk-table govuk-!-font-size-16' }: {
  postings: ReadonlyArray<{ key: string | number; account: string; debit: string; credit: string }>;
  caption: string; captionClassName: string; reversed?: boolean; className?: string;
}) {
  return (
    <table className={className}>
      <caption className={captionClassName}>{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">Account</th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">Debit</th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">Credit</th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {postings.map((p) => (
          <tr className="govuk-table__row" key={p.key}>
            <td className="govuk-table__cell">{p.account}</td>
            <td className="govuk-table__cell govuk-table__cell--numeric">{reversed ? p.credit : p.debit}</td>
            <td className="govuk-table__cell govuk-table__cell--numeric">{reversed ? p.debit : p.credit}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
