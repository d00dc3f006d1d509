import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { CommitmentsTable, ContractStatusTag } from '~/modules/contracts/contract-ui';
import { ZERO_TOTALS, contractTotals, listCommitmentFigures } from '~/modules/contracts/contract-figures.server';
import { londonToday } from '~/modules/contracts/dates';
import { formatPence } from '~/modules/contracts/figures';
import { presentCommitment, presentTotals } from '~/modules/contracts/present';
import { requireContract } from '~/modules/contracts/route-helpers.server';
import { formatQuantity } from '~/modules/contracts/figures';
import { periodLabel } from '~/modules/returns/returns.present';
import { listContractReturns } from '~/modules/returns/returns.queries.server';
import { ReturnStatusTag } from '~/modules/returns/returns.ui';
import { formatDate } from '~/utils/time';
import { CreditBalance, HowMetSection } from '~/modules/credits/credits-ui';
import { howCommitmentsWereMet } from '~/modules/credits/how-met.server';
import { presentHowMet } from '~/modules/credits/how-met.present';
import { commitmentLedgerFigures, contractBalances } from '~/modules/credits/ledger.queries.server';
import { StoryList } from '~/components/story-list';
import { excerpt } from '~/modules/stories/stories.schema';
import { storiesFor } from '~/modules/stories/story-queries.server';

export const handle = {
  title: (data: unknown) => {
    const contract = (data as { contract?: { reference: string; title: string } } | undefined)?.contract;
    return contract ? `${contract.reference}: ${contract.title}` : 'Contract';
  },
};

const DONE: Record<string, string> = {
  created: 'Contract created',
  updated: 'Contract updated',
  closed: 'Contract closed',
  'commitment-added': 'Commitment added',
  'commitment-updated': 'Commitment updated',
};

// Officers and administrators see every contract; a contractor only their own
// organisation's (another supplier's is a 404, decided in the query).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:read');
  const contract = await requireContract(user, params.contractId);
  const db = getDb();
  const today = londonToday();
  const [commitments, totals, returns, balances, ledgerFigures, howMet] = await Promise.all([
    listCommitmentFigures(db, contract.id, today), contractTotals(db, [contract.id]), listContractReturns(db, contract.id, user),
    contractBalances(db, [contract.id]), commitmentLedgerFigures(db, contract.id), howCommitmentsWereMet(db, contract.id),
  ]);
  const stories = await storiesFor(db, { contractId: contract.id });
  const takenOn = new Map([...ledgerFigures].map(([id, f]) => [id, f.takenOnPence]));
  const canSwap = can(user.role, 'credit:request') && contract.status === 'active';
  const done = new URL(request.url).searchParams.get('done') ?? '';
  return {
    contract: {
      id: contract.id, reference: contract.reference, title: contract.title, description: contract.description,
      supplierName: contract.supplierName, officerName: contract.officerName, officerEmail: contract.officerEmail,
      value: formatPence(contract.value_pence), starts: formatDate(contract.start_date), ends: formatDate(contract.end_date),
      status: contract.status, closedOn: contract.closed_at ? formatDate(contract.closed_at) : null, closureReason: contract.closure_reason,
    },
    commitments: commitments.map(presentCommitment),
    totals: presentTotals(totals.get(contract.id) ?? ZERO_TOTALS),
    canManage: can(user.role, 'contract:manage'),
    canReport: can(user.role, 'return:submit') && contract.status === 'active',
    returns: returns.map((r) => ({ id: r.id, status: r.status, period: periodLabel(r.periodStart, r.periodEnd), measure: `${r.measureCode} ${r.measureTitle}`, quantity: formatQuantity(r.quantityMilli, r.unit) })),
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
    stories: stories.map((s) => ({ id: s.id, title: s.title, excerpt: excerpt(s.body), published: s.publishedAt ? formatDate(s.publishedAt) : '' })),
    creditBalance: formatPence(balances.get(contract.id) ?? 0),
    howMet: presentHowMet(commitments.map((c) => ({ ...c, measure: `${c.measureCode} ${c.measureTitle}` })), howMet, takenOn, { canSwap }),
  };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function ContractPage() {
  const { contract, commitments, totals, canManage, canReport, returns, done, creditBalance, howMet, stories } = useLoaderData<typeof loader>();
  const editable = canManage && contract.status === 'active';
  return (
    <>
      {done ? <SuccessBanner heading={done} /> : null}
      <Link className="govuk-back-link" to="/contracts">Back to contracts</Link>
      <span className="govuk-caption-l">{contract.reference}</span>
      <h1 className="govuk-heading-l">{contract.title}</h1>
      {contract.status !== 'active' ? (
        <div className="govuk-inset-text">
          This contract was marked {contract.status}{contract.closedOn ? ` on ${contract.closedOn}` : ''}. {contract.closureReason ? <>Reason: {contract.closureReason}</> : null}
        </div>
      ) : null}
      <dl className="govuk-summary-list">
        <Row label="Supplier">{contract.supplierName}</Row>
        <Row label="Contract value">{contract.value}</Row>
        <Row label="Start date">{contract.starts}</Row>
        <Row label="End date">{contract.ends}</Row>
        <Row label="Responsible officer">{contract.officerName} <span className="govuk-hint govuk-!-display-inline">({contract.officerEmail})</span></Row>
        <Row label="Status"><ContractStatusTag status={contract.status} /></Row>
        {contract.description ? <Row label="Description"><span className="app-pre">{contract.description}</span></Row> : null}
      </dl>
      {editable ? (
        <div className="govuk-button-group">
          <Link className="govuk-button" role="button" data-module="govuk-button" to={`/contracts/${contract.id}/commitments/new`}>Add a commitment</Link>
          <Link className="govuk-button govuk-button--secondary" role="button" data-module="govuk-button" to={`/contracts/${contract.id}/edit`}>Edit contract</Link>
          <Link className="govuk-button govuk-button--warning" role="button" data-module="govuk-button" to={`/contracts/${contract.id}/close`}>Close contract</Link>
        </div>
      ) : null}
      {commitments.length > 0 ? (
        <CommitmentsTable contractId={contract.id} commitments={commitments} totals={totals} canEdit={editable} />
      ) : (
        <>
          <h2 className="govuk-heading-m">Commitments</h2>
          <p className="govuk-body">This contract has no social value commitments yet.</p>
        </>
      )}
      <CreditBalance contractId={contract.id} balance={creditBalance} />
      <HowMetSection items={howMet} />
      {canReport && commitments.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Report progress</h2>
          <ul className="govuk-list" data-testid="report-progress">
            {commitments.map((c) => (
              <li key={c.id}>
                <Link className="govuk-link" to={`/contracts/${contract.id}/commitments/${c.id}/returns/new`}>Report progress<span className="govuk-visually-hidden"> on {c.measure}</span></Link>
                <span aria-hidden="true">: {c.measure}</span>, due {c.due}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="govuk-heading-m">Returns</h2>
      {returns.length === 0 ? <p className="govuk-body">No progress returns{canManage ? ' have been submitted' : ''} for this contract yet.</p> : (
        <ul className="govuk-list" data-testid="contract-returns">
          {returns.map((r) => (
            <li key={r.id}>
              <Link className="govuk-link" to={`/returns/${r.id}`}>{r.period}: {r.measure}</Link> ({r.quantity}) <ReturnStatusTag status={r.status} />
            </li>
          ))}
        </ul>
      )}
      <StoryList stories={stories} />
      <details className="govuk-details">
        <summary className="govuk-details__summary"><span className="govuk-details__summary-text">How these figures are worked out</span></summary>
        <div className="govuk-details__text">
          <p className="govuk-body">Committed value is the target quantity times the measure’s proxy value as it was when the commitment was made, rounded to the nearest penny. Delivered counts approved progress returns; substituted is the value of approved swaps, as booked in the credits ledger. Remaining is committed minus delivered and substituted, and never less than £0.00.</p>
          <p className="govuk-body">The status compares what has been delivered or substituted with how much of the time to the due date has passed: on track, at risk (more than 10% of the target behind), behind (more than 25% behind), overdue (past the due date and not met) or met.</p>
        </div>
      </details>
    </>
  );
}
