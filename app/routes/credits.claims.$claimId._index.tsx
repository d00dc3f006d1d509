import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requirePermission, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { listClaimEvidence } from '~/modules/credits/claim-evidence.server';
import { presentClaim, presentEvidence } from '~/modules/credits/claims.present';
import { findClaim } from '~/modules/credits/claims.queries.server';
import { findBookedFor } from '~/modules/credits/ledger.queries.server';
import { withdrawClaim } from '~/modules/credits/claims.server';
import { ClaimStatusTag, EvidenceList, SummaryRow } from '~/modules/credits/claims.ui';
import { readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Credit claim' };

const DONE: Record<string, string> = { requested: 'Claim sent', withdrawn: 'Claim withdrawn', approved: 'Claim approved', rejected: 'Claim rejected' };

/** Council staff see every claim; a contractor only its organisation's (another's is a 404); anyone else is refused. */
async function requireViewer(request: Request) {
  const user = await requireUser(request);
  const staff = can(user.role, 'credit:decide');
  if (!staff && !can(user.role, 'credit:request')) throw forbidden();
  return { user, staff };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, staff } = await requireViewer(request);
  const db = getDb();
  const claim = await findClaim(db, (params.claimId ?? '').slice(0, 100), staff ? null : user.organisationId);
  if (!claim) throw notFound();
  const evidence = await listClaimEvidence(db, claim.id);
  // An approved claim's credits may have been taken back since by an officer's reversal: the page says so.
  const booked = claim.status === 'approved' ? await findBookedFor(db, 'credit_claim', claim.id) : undefined;
  const reversal = booked?.reversedBy;
  const done = new URL(request.url).searchParams.get('done') ?? '';
  return {
    claim: presentClaim(claim),
    evidence: presentEvidence(claim.id, evidence),
    staff,
    reversed: reversal ? `${formatDate(reversal.bookedAt)}${reversal.byName ? ` by ${reversal.byName}` : ''}: ${reversal.reason}` : null,
    canWithdraw: !staff && claim.status === 'requested',
    canDecide: staff && claim.status === 'requested' && claim.createdBy !== user.id,
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'credit:request');
  const form = await readForm(request);
  if (form.get('intent') !== 'withdraw') throw new Response('Send this form from its page in the portal.', { status: 400 });
  const claimId = (params.claimId ?? '').slice(0, 100);
  const result = await withdrawClaim(getDb(), claimId, auditActor(user, context));
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    throw new Response(result.message, { status: 409, statusText: 'Conflict' });
  }
  return redirect(`/credits/claims/${claimId}?done=withdrawn`, 303);
}

export default function ClaimPage() {
  const { claim, evidence, staff, canWithdraw, canDecide, done, reversed } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done ? <SuccessBanner heading={done} /> : null}
        <Link className="govuk-back-link" to={staff ? '/officer/credits' : '/credits'}>{staff ? 'Back to credit requests' : 'Back to credits'}</Link>
        <span className="govuk-caption-l">{claim.contract}</span>
        <h1 className="govuk-heading-l">Credit claim</h1>
        <dl className="govuk-summary-list">
          <SummaryRow label="Status"><ClaimStatusTag status={claim.status} /></SummaryRow>
          <SummaryRow label="Supplier">{claim.supplier}</SummaryRow>
          <SummaryRow label="Contract"><Link className="govuk-link" to={`/contracts/${claim.contractId}`}>{claim.contract}</Link></SummaryRow>
          <SummaryRow label="For">{claim.itemId ? <Link className="govuk-link" to={`/wishlist/${claim.itemId}`}>{claim.what}</Link> : claim.what}</SummaryRow>
          <SummaryRow label="Value claimed">{claim.requested} <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{claim.basis}</span></SummaryRow>
          {claim.approved ? <SummaryRow label="Value approved">{claim.approved}</SummaryRow> : null}
          <SummaryRow label="Description"><p className="govuk-body app-pre">{claim.description}</p></SummaryRow>
          <SummaryRow label="Made">{claim.made}{claim.madeBy ? ` by ${claim.madeBy}` : ''}</SummaryRow>
          {claim.decidedAt ? <SummaryRow label="Decided">{claim.decidedAt}{claim.decidedBy ? ` by ${claim.decidedBy}` : ''}</SummaryRow> : null}
          {claim.decisionReason ? <SummaryRow label="Reason"><p className="govuk-body app-pre">{claim.decisionReason}</p></SummaryRow> : null}
          {reversed ? (
            <SummaryRow label="Credits reversed">
              <p className="govuk-body app-pre">The credits were taken off the contract’s balance on {reversed}</p>
              <Link className="govuk-link" to={`/contracts/${claim.contractId}/ledger`}>See the ledger</Link>
            </SummaryRow>
          ) : null}
        </dl>
        {claim.kind === 'activity' ? (
          <>
            <h2 className="govuk-heading-m">Evidence</h2>
            <EvidenceList evidence={evidence} />
          </>
        ) : null}
        {canDecide ? <Link className="govuk-button" to={`/credits/claims/${claim.id}/decide`}>Decide this claim</Link> : null}
        {canWithdraw ? (
          <Form method="post">
            <h2 className="govuk-heading-m">Withdraw the claim</h2>
            <p className="govuk-body">Withdraw it if it was made by mistake. A withdrawn claim cannot be sent again{claim.kind === 'pledge' ? ', but the pledge can back a new claim' : ''}.</p>
            <SubmitButton name="intent" value="withdraw" variant="warning">Withdraw claim</SubmitButton>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
