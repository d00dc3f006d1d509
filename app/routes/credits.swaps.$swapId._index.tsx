import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import type { SessionUser } from '~/auth/session.server';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { SWAP_DECISION_MESSAGES, SWAP_METHOD_LABELS } from '~/modules/credits/swaps.schema';
import { getCreditPolicy } from '~/modules/credits/policy.server';
import { findBookedFor } from '~/modules/credits/ledger.queries.server';
import { findSwapForView } from '~/modules/credits/swaps.queries.server';
import { withdrawSwap } from '~/modules/credits/swaps.server';
import { policyText, SummaryRow, SwapStatusTag } from '~/modules/credits/swaps.ui';
import { readForm } from '~/utils/form.server';
import { formatDate, formatDateTime } from '~/utils/time';

export const handle = { title: 'Swap request' };

// A swap request: its two sides and values, status and decision. The
// contractor's organisation may withdraw it while it waits; staff approve or
// reject it in a dialog (or on the decide page without JavaScript).

/** Contractors see their own organisation's swaps (anything else is a 404); staff see every one. */
async function requireViewer(request: Request): Promise<{ user: SessionUser; staff: boolean }> {
  const user = await requireUser(request);
  const staff = can(user.role, 'credit:decide');
  if (!staff && !can(user.role, 'credit:request')) throw forbidden();
  return { user, staff };
}

async function requireSwap(user: SessionUser, staff: boolean, swapId: string | undefined) {
  const swap = swapId ? await findSwapForView(getDb(), swapId.slice(0, 100), staff ? null : user.organisationId) : undefined;
  if (!swap) throw notFound();
  return swap;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, staff } = await requireViewer(request);
  const s = await requireSwap(user, staff, params.swapId);
  const booked = s.status === 'approved' ? await findBookedFor(getDb(), 'credit_swap', s.id) : undefined;
  const reversal = booked?.reversedBy;
  const done = new URL(request.url).searchParams.get('done');
  const policy = await getCreditPolicy(getDb());
  return {
    policy: policyText(policy),
    id: s.id,
    status: s.status,
    staff,
    canDecide: staff && s.status === 'requested' && s.createdBy !== user.id,
    canWithdraw: !staff && s.status === 'requested',
    done: done === 'requested' || done === 'withdrawn' || done === 'approved' || done === 'rejected' ? done : null,
    contract: { id: s.contractId, label: `${s.contractReference}: ${s.contractTitle}`, supplier: s.supplierName },
    giveUp: `${formatQuantity(s.quantityMilli, s.unit)} of ${s.measureCode}: ${s.measureTitle}, worth ${formatPence(s.valuePence)}`,
    method: SWAP_METHOD_LABELS[s.method],
    takeOn: s.method === 'credits'
      ? `${formatPence(s.valuePence)} of credits from the contract’s balance`
      : `${formatQuantity(s.toQuantityMilli ?? 0, s.toUnit ?? '')} of ${s.toMeasureCode}: ${s.toMeasureTitle} (${s.toTheme}), worth ${formatPence(s.toValuePence ?? 0)} at ${formatPence(s.toProxyValuePence ?? 0)} per ${s.toUnit}`,
    toCommitment: s.method === 'measure' ? (s.toCommitmentId ? 'An existing commitment of this contract' : `A new commitment, due ${formatDate(s.toDueDate ?? s.dueDate)}`) : null,
    commitment: {
      target: formatQuantity(s.targetMilli, s.unit), delivered: formatQuantity(s.deliveredMilli, s.unit), substituted: formatQuantity(s.substitutedMilli, s.unit),
    },
    reason: s.reason,
    requested: `${s.requestedByName ?? 'A contractor'}, ${formatDateTime(s.createdAt)}`,
    decision: s.status === 'requested' ? null : {
      by: s.status === 'withdrawn' ? 'Withdrawn by the contractor' : (s.decidedByName ?? 'An officer'),
      at: formatDateTime(s.decidedAt ?? s.updatedAt),
      reason: s.decisionReason,
    },
    transactionId: booked?.id ?? null,
    // An officer's reversal undid the approval's ledger entry and commitment changes since: the page says so.
    reversed: reversal ? `${formatDate(reversal.bookedAt)}${reversal.byName ? ` by ${reversal.byName}` : ''}: ${reversal.reason}` : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, staff } = await requireViewer(request);
  if (staff) throw forbidden('Only the contractor can withdraw its request. Decide it on its decide page.');
  const s = await requireSwap(user, staff, params.swapId);
  const form = await readForm(request);
  if (form.get('intent') !== 'withdraw') throw new Response('Unknown action', { status: 400 });
  const result = await withdrawSwap(getDb(), s.id, auditActor(user, context));
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    throw new Response(result.message, { status: 409, statusText: 'Conflict' });
  }
  return redirect(`/credits/swaps/${s.id}?done=withdrawn`, 303);
}

const DONE: Record<string, string> = {
  requested: 'Swap requested. An officer will decide it; you will get an email.',
  withdrawn: 'Swap request withdrawn.',
  approved: 'Swap approved. The commitments and the ledger have been updated.',
  rejected: 'Swap rejected. The contractor has been told why.',
};

export default function SwapPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {d.done ? <SuccessBanner heading={DONE[d.done]} headingElement="p" /> : null}
        <Link className="govuk-back-link" to={d.staff ? '/officer/credits' : `/contracts/${d.contract.id}`}>{d.staff ? 'Back to credits to decide' : 'Back to the contract'}</Link>
        <span className="govuk-caption-l">{d.contract.label}</span>
        <h1 className="govuk-heading-l">Swap request</h1>
        <p className="govuk-body"><SwapStatusTag status={d.status} /></p>
        <dl className="govuk-summary-list" data-testid="swap-summary">
          <SummaryRow label="Supplier">{d.contract.supplier}</SummaryRow>
          <SummaryRow label="Gives up">{d.giveUp}</SummaryRow>
          <SummaryRow label="Meets it by">{d.method}</SummaryRow>
          <SummaryRow label="Takes on">{d.takeOn}</SummaryRow>
          {d.toCommitment ? <SummaryRow label="Goes to">{d.toCommitment}</SummaryRow> : null}
          <SummaryRow label="Commitment now">Target {d.commitment.target}; delivered {d.commitment.delivered}; substituted {d.commitment.substituted}</SummaryRow>
          <SummaryRow label="Why"><p className="govuk-body app-pre govuk-!-margin-bottom-0">{d.reason}</p></SummaryRow>
          <SummaryRow label="Requested by">{d.requested}</SummaryRow>
          {d.decision ? <SummaryRow label="Decided">{d.decision.by}, {d.decision.at}</SummaryRow> : null}
          {d.decision?.reason ? <SummaryRow label="Reason for the decision"><p className="govuk-body app-pre govuk-!-margin-bottom-0">{d.decision.reason}</p></SummaryRow> : null}
          {d.reversed ? <SummaryRow label="Reversed"><p className="govuk-body app-pre govuk-!-margin-bottom-0">The approval was reversed on {d.reversed}</p></SummaryRow> : null}
        </dl>
        {d.transactionId ? <p className="govuk-body"><Link className="govuk-link" to={`/contracts/${d.contract.id}/ledger`}>See the ledger of this contract</Link></p> : null}
        {d.canWithdraw ? (
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <SubmitButton variant="warning">Withdraw request</SubmitButton>
          </Form>
        ) : null}
        {d.canDecide ? (
          <>
            <h2 className="govuk-heading-m">Decision</h2>
            <p className="govuk-body" data-testid="credit-policy">{d.policy} Approval checks the policy and the balance again.</p>
            <div className="govuk-button-group">
              <ConfirmDialog
                label="Approve" href={`/credits/swaps/${d.id}/decide?decision=approve`} title="Approve this swap?"
                description={<>Approving books the ledger and changes the commitments at once. It cannot be undone except by a reversal. {d.giveUp}; {d.takeOn}.</>}
                action={`/credits/swaps/${d.id}/decide`} hidden={{ decision: 'approve' }} reasonLabel="Reason for approving"
                reasonHint="The contractor will see it." reasonRequired={SWAP_DECISION_MESSAGES.approveReason} confirmLabel="Approve swap"
              />
              <ConfirmDialog
                label="Reject" href={`/credits/swaps/${d.id}/decide?decision=reject`} title="Reject this swap?"
                description="The commitment stays as it is. The contractor is told why." variant="warning"
                action={`/credits/swaps/${d.id}/decide`} hidden={{ decision: 'reject' }} reasonLabel="Reason for rejecting"
                reasonHint="The contractor will see it." reasonRequired={SWAP_DECISION_MESSAGES.rejectReason} confirmLabel="Reject swap"
              />
            </div>
          </>
        ) : d.staff && d.status === 'requested' ? <div className="govuk-inset-text">You requested this swap, so another officer must decide it.</div> : null}
      </div>
    </div>
  );
}
