import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextareaField, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { penceToInput } from '~/modules/contracts/figures';
import { listClaimEvidence } from '~/modules/credits/claim-evidence.server';
import { presentClaim, presentEvidence } from '~/modules/credits/claims.present';
import { findClaim } from '~/modules/credits/claims.queries.server';
import { CLAIM_DECISIONS, CLAIM_LIMITS, claimDecisionSchema, type ClaimDecisionForm } from '~/modules/credits/claims.schema';
import { claimDecidedMessage, decideClaim } from '~/modules/credits/claims.server';
import { ClaimStatusTag, EvidenceList, SummaryRow } from '~/modules/credits/claims.ui';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Decide on a credit claim' };

// An officer approves a claim (optionally a lower amount, with a reason) or
// rejects it (with a reason). Decisions are final: deciding a claim that is no
// longer awaiting a decision is a 409, whatever the form says.

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

async function requireClaim(claimId: string | undefined) {
  const claim = claimId ? await findClaim(getDb(), claimId.slice(0, 100), null) : undefined;
  if (!claim) throw notFound();
  return claim;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'credit:decide');
  const claim = await requireClaim(params.claimId);
  const evidence = await listClaimEvidence(getDb(), claim.id);
  return {
    claim: presentClaim(claim),
    evidence: presentEvidence(claim.id, evidence),
    decided: claim.status === 'requested' ? null : claimDecidedMessage(claim),
    own: claim.createdBy === user.id,
    requestedInput: penceToInput(claim.requestedValuePence),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'credit:decide');
  const claim = await requireClaim(params.claimId);
  const form = await readForm(request);
  if (claim.status !== 'requested') throw conflict(claimDecidedMessage(claim));
  const submission = parseWithZod(form, { schema: claimDecisionSchema(claim.requestedValuePence) });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await decideClaim(getDb(), claim.id, submission.value, auditActor(user, context));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'forbidden':
      case 'own-claim':
        throw forbidden(result.message);
      case 'conflict':
        throw conflict(result.message);
      case 'invalid':
        return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    }
  }
  return redirect(`/officer/credits?decided=${encodeURIComponent(claim.id)}`, 303);
}

const OPTIONS = CLAIM_DECISIONS.map((d) => ({ value: d, label: d === 'approve' ? 'Approve' : 'Reject' }));

export default function DecideClaim() {
  const { claim, evidence, decided, own, requestedInput } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ClaimDecisionForm>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {decided ? null : <FormErrorSummary form={form} fields={{ decision: fields.decision, approvedValue: fields.approvedValue, reason: fields.reason }} />}
        <Link className="govuk-back-link" to="/officer/credits">Back to credit requests</Link>
        <span className="govuk-caption-l">{claim.contract}</span>
        <h1 className="govuk-heading-l">Decide on a credit claim</h1>
        <dl className="govuk-summary-list">
          <SummaryRow label="Status"><ClaimStatusTag status={claim.status} /></SummaryRow>
          <SummaryRow label="Supplier">{claim.supplier}</SummaryRow>
          <SummaryRow label="For">{claim.what}</SummaryRow>
          <SummaryRow label="Value claimed">{claim.requested} <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{claim.basis}</span></SummaryRow>
          <SummaryRow label="Description"><p className="govuk-body app-pre">{claim.description}</p></SummaryRow>
          <SummaryRow label="Made">{claim.made}{claim.madeBy ? ` by ${claim.madeBy}` : ''}</SummaryRow>
        </dl>
        {claim.kind === 'activity' ? (
          <>
            <h2 className="govuk-heading-m">Evidence</h2>
            <EvidenceList evidence={evidence} />
          </>
        ) : null}
        {decided ? (
          <div className="govuk-inset-text">
            <p className="govuk-body">{decided}</p>
            {claim.decisionReason ? <p className="govuk-body app-pre">{claim.decisionReason}</p> : null}
          </div>
        ) : own ? (
          <div className="govuk-inset-text">You made this claim, so another officer must decide it.</div>
        ) : (
          <>
            <h2 className="govuk-heading-m">Decision</h2>
            <Form method="post" {...getFormProps(form)} noValidate>
              <RadiosField field={fields.decision} legend="What is your decision?" options={OPTIONS} />
              <TextField
                field={fields.approvedValue}
                label="Amount approved, in pounds"
                hint="Only if you approve. Leave it as claimed, or enter a lower amount and give the reason below. It cannot be more than was claimed."
                inputMode="decimal"
                width="10"
                spellCheck={false}
                defaultValue={requestedInput}
              />
              <TextareaField
                field={fields.reason}
                label="Reason"
                hint={`Required if you reject the claim or approve a lower amount. The contractor will see it. ${CLAIM_LIMITS.reason} characters or fewer.`}
                rows={5}
              />
              <SubmitButton>Save decision</SubmitButton>
            </Form>
          </>
        )}
        <p className="govuk-body"><Link className="govuk-link" to={`/credits/claims/${claim.id}`}>View the claim</Link></p>
      </div>
    </div>
  );
}
