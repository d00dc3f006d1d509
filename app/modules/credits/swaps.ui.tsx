import type { ReactNode } from 'react';
import type { CreditRequestStatus } from '#db/schema';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import type { CreditPolicy } from './policy';
import type { SwapProblem } from './swap-rules';
import { SWAP_STATUS_LABELS } from './swaps.schema';

// UI pieces of the swap pages. No server imports: these reach the browser.

const TAG: Record<CreditRequestStatus, string> = {
  requested: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  withdrawn: 'govuk-tag--grey',
};

export function SwapStatusTag({ status }: { status: CreditRequestStatus }) {
  return <strong className={`govuk-tag ${TAG[status]}`}>{SWAP_STATUS_LABELS[status]}</strong>;
}

export function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** The policy in words, for contractors and officers. */
export function policyText(policy: CreditPolicy): string {
  return `Your council allows swaps to meet up to ${policy.maxSubstitutedPercent}% of a commitment’s target, `
    + (policy.allowCrossTheme ? 'with a measure from any theme.' : 'with a measure from the same theme only.');
}

export interface ValuesShown {
  giveUp: { quantityMilli: number; unit: string; valuePence: number } | null;
  takeOn: { quantityMilli: number; unit: string; valuePence: number } | { credits: number } | null;
  problems: SwapProblem[];
}

/**
 * Both sides' values and the rules a request would break, in a live region:
 * updated as the contractor types (JavaScript), or after "Check values".
 */
export function SwapValues({ shown }: { shown: ValuesShown }) {
  const { giveUp, takeOn, problems } = shown;
  return (
    <div className="govuk-inset-text" aria-live="polite" data-testid="swap-values">
      <h2 className="govuk-heading-s govuk-!-margin-bottom-2">Values</h2>
      <p className="govuk-body govuk-!-margin-bottom-1">
        You give up: {giveUp ? <strong>{formatQuantity(giveUp.quantityMilli, giveUp.unit)}, worth {formatPence(giveUp.valuePence)}</strong> : 'enter a quantity'}
      </p>
      <p className="govuk-body govuk-!-margin-bottom-1">
        {takeOn && 'credits' in takeOn
          ? <>You spend: <strong>{formatPence(takeOn.credits)} of credits</strong></>
          : <>You take on: {takeOn ? <strong>{formatQuantity(takeOn.quantityMilli, takeOn.unit)}, worth {formatPence(takeOn.valuePence)}</strong> : 'choose a measure and enter a quantity'}</>}
      </p>
      {problems.length > 0 ? (
        <>
          <p className="govuk-body govuk-!-margin-top-3 govuk-!-margin-bottom-1"><strong>This request would break your council’s rules:</strong></p>
          <ul className="govuk-list govuk-list--bullet" data-testid="swap-rule-problems">
            {problems.map((p) => <li key={p.field}>{p.message}</li>)}
          </ul>
        </>
      ) : giveUp ? <p className="govuk-body govuk-!-margin-top-3 govuk-!-margin-bottom-0">No rule is broken so far.</p> : null}
    </div>
  );
}
