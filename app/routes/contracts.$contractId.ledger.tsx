import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { PostingsTable } from '~/modules/credits/credits-ui';
import { requirePermission } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { requireContract } from '~/modules/contracts/route-helpers.server';
import { contractAccountTotals, listContractTransactions } from '~/modules/credits/ledger.queries.server';
import { presentTransaction, ACCOUNT_LABELS } from '~/modules/credits/ledger.present';
import { formatPence } from '~/modules/contracts/figures';

export const handle = {
  title: (data: unknown) => {
    const contract = (data as { contract?: { reference: string } } | undefined)?.contract;
    return contract ? `Credits ledger: ${contract.reference}` : 'Credits ledger';
  },
};

// The contract's credits ledger (docs/credits.md, "Reading the ledger"): the
// balance, and every transaction with its postings, reason, source, who
// approved it and any reversal. The supplier's contractors see their own
// contracts' ledgers; staff see every ledger and may reverse a transaction.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:read');
  const contract = await requireContract(user, params.contractId);
  const db = getDb();
  const [totals, transactions] = await Promise.all([contractAccountTotals(db, contract.id), listContractTransactions(db, contract.id)]);
  // A closed contract never changes again, its ledger included: no reversals.
  const canReverse = can(user.role, 'credit:decide') && contract.status === 'active';
  const reversed = new URL(request.url).searchParams.get('reversed');
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, supplierName: contract.supplierName, status: contract.status },
    totals: {
      balance: formatPence(totals.balance), earned: formatPence(totals.earned), claimed: formatPence(totals.claimed),
      substituted: formatPence(totals.substituted), substitute: formatPence(totals.substitute), expired: formatPence(totals.expired),
    },
    transactions: transactions.map((t) => presentTransaction(t, canReverse)).reverse(),
    canReverse,
    reversed: reversed && transactions.some((t) => t.id === reversed) ? reversed : null,
  };
}

export default function ContractLedger() {
  const { contract, totals, transactions, canReverse, reversed } = useLoaderData<typeof loader>();
  return (
    <>
      {reversed ? <SuccessBanner heading="Transaction reversed" /> : null}
      <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to the contract</Link>
      <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
      <h1 className="govuk-heading-l">Credits ledger</h1>
      <dl className="govuk-summary-list" data-testid="ledger-totals">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Credit balance</dt>
          <dd className="govuk-summary-list__value" data-testid="ledger-balance"><strong>{totals.balance}</strong></dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{ACCOUNT_LABELS.earned}</dt>
          <dd className="govuk-summary-list__value">{totals.earned}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{ACCOUNT_LABELS.claimed}</dt>
          <dd className="govuk-summary-list__value">{totals.claimed}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{ACCOUNT_LABELS.substituted}</dt>
          <dd className="govuk-summary-list__value" data-testid="ledger-substituted">{totals.substituted}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{ACCOUNT_LABELS.substitute}</dt>
          <dd className="govuk-summary-list__value">{totals.substitute}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">{ACCOUNT_LABELS.expired}</dt>
          <dd className="govuk-summary-list__value">{totals.expired}</dd>
        </div>
      </dl>
      <p className="govuk-body">
        <a className="govuk-link" href={`/contracts/${contract.id}/ledger.csv`} download>Download the ledger as CSV</a>
      </p>
      <details className="govuk-details">
        <summary className="govuk-details__summary"><span className="govuk-details__summary-text">How to read the ledger</span></summary>
        <div className="govuk-details__text">
          <p className="govuk-body">Every change to the contract’s credits is a transaction of two or more postings that add up to zero. A positive amount is a debit, a negative one a credit. The credit balance goes up with credits earned (delivery beyond a commitment’s target) and claims approved, and down when credits are spent on a swap or expire.</p>
          <p className="govuk-body">Nothing in the ledger is ever changed or deleted. A mistake is corrected by a reversal: a new transaction with the opposite postings, made by a council officer with a reason.</p>
        </div>
      </details>
      <h2 className="govuk-heading-m">Transactions</h2>
      {transactions.length === 0 ? <p className="govuk-body">No credits have been booked on this contract yet.</p> : (
        <ol className="govuk-list app-ledger" reversed data-testid="ledger-transactions">
          {transactions.map((t) => (
            <li key={t.id} id={`transaction-${t.id}`} className="govuk-!-margin-bottom-6" data-testid="ledger-transaction">
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{t.title}{t.reversedNote ? <strong className="govuk-tag govuk-tag--grey govuk-!-margin-left-2">Reversed</strong> : null}</h3>
              <p className="govuk-body govuk-!-margin-bottom-1">{t.reason}</p>
              <p className="govuk-body-s govuk-!-margin-bottom-2">
                {t.booked}{t.approvedBy ? `, approved by ${t.approvedBy}` : ', by the council’s credit policy'}.
                {t.sourceHref ? <> <Link className="govuk-link" to={t.sourceHref}>{t.sourceLabel}<span className="govuk-visually-hidden"> for {t.title}</span></Link></> : null}
                {t.reversedNote ? <> {t.reversedNote}</> : null}
              </p>
              <PostingsTable postings={t.postings} caption={`Postings of ${t.title}, ${t.booked}`} captionClassName="govuk-table__caption govuk-visually-hidden" className="govuk-table govuk-!-font-size-16 govuk-!-margin-bottom-2" />
              {canReverse && t.reverseHref ? (
                <Link className="govuk-link" to={t.reverseHref}>Reverse<span className="govuk-visually-hidden"> {t.title}, {t.booked}</span></Link>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
