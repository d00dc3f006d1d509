import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { formatPence, formatQuantity } from '~/modules/contracts/figures';
import { SWAP_DECISIONS, SWAP_LIMITS, SWAP_METHOD_LABELS, swapDecisionSchema, type SwapDecisionForm } from '~/modules/credits/swaps.schema';
import { findSwapForView } from '~/modules/credits/swaps.queries.server';
import { decideSwap } from '~/modules/credits/swaps.server';
import { SummaryRow, SwapStatusTag } from '~/modules/credits/swaps.ui';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Decide on a swap' };

// The decision without JavaScript (the swap's page opens the same form in a
// dialog): approve or reject, with a reason. Deciding a swap that is no longer
// waiting is a 409.

async function requireSwap(swapId: string | undefined) {
  const swap = swapId ? await findSwapForView(getDb(), swapId.slice(0, 100), null) : undefined;
  if (!swap) throw notFound();
  return swap;
}

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

function decidedMessage(s: { status: string; decidedByName: string | null; decidedAt: string | null; updatedAt: string }): string {
  if (s.status === 'withdrawn') return `This swap was withdrawn by the contractor on ${formatDate(s.updatedAt)}.`;
  return `This swap was already ${s.status}${s.decidedByName ? ` by ${s.decidedByName}` : ''}${s.decidedAt ? ` on ${formatDate(s.decidedAt)}` : ''}. Decisions are final.`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'credit:decide');
  const s = await requireSwap(params.swapId);
  const wanted = new URL(request.url).searchParams.get('decision');
  return {
    id: s.id,
    status: s.status,
    decided: s.status === 'requested' ? null : decidedMessage(s),
    own: s.createdBy === user.id,
    decision: (SWAP_DECISIONS as readonly string[]).includes(wanted ?? '') ? wanted! : undefined,
    contract: `${s.contractReference}: ${s.contractTitle}`,
    supplier: s.supplierName,
    giveUp: `${formatQuantity(s.quantityMilli, s.unit)} of ${s.measureCode}: ${s.measureTitle}, worth ${formatPence(s.valuePence)}`,
    method: SWAP_METHOD_LABELS[s.method],
    takeOn: s.method === 'credits'
      ? `${formatPence(s.valuePence)} of credits from the contract’s balance`
      : `${formatQuantity(s.toQuantityMilli ?? 0, s.toUnit ?? '')} of ${s.toMeasureCode}: ${s.toMeasureTitle}, worth ${formatPence(s.toValuePence ?? 0)}`,
    reason: s.reason,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'credit:decide');
  const s = await requireSwap(params.swapId);
  const form = await readForm(request);
  // Decisions are final: a swap no longer waiting is a 409 whatever the form says.
  if (s.status !== 'requested') throw conflict(decidedMessage(s));
  const submission = parseWithZod(form, { schema: swapDecisionSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await decideSwap(getDb(), s.id, submission.value, auditActor(user, context));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'forbidden':
        throw forbidden(result.message);
      case 'invalid':
        return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
      case 'conflict':
        if (result.kind === 'decided') throw conflict(result.message);
        // The approval would now break a rule (balance, share, closed contract): say so above the form.
        return invalid(submission.reply({ formErrors: [result.message] }), 409);
    }
  }
  return redirect(`/credits/swaps/${s.id}?done=${result.status}`, 303);
}

export default function DecideSwap() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<SwapDecisionForm>({ lastResult, defaultValue: { decision: d.decision } });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {d.decided ? null : <FormErrorSummary form={form} fields={{ decision: fields.decision, reason: fields.reason }} />}
        <Link className="govuk-back-link" to={`/credits/swaps/${d.id}`}>Back to the swap request</Link>
        <span className="govuk-caption-l">{d.contract}</span>
        <h1 className="govuk-heading-l">Decide on a swap</h1>
        <p className="govuk-body"><SwapStatusTag status={d.status} /></p>
        <dl className="govuk-summary-list">
          <SummaryRow label="Supplier">{d.supplier}</SummaryRow>
          <SummaryRow label="Gives up">{d.giveUp}</SummaryRow>
          <SummaryRow label="Meets it by">{d.method}</SummaryRow>
          <SummaryRow label="Takes on">{d.takeOn}</SummaryRow>
          <SummaryRow label="Why"><p className="govuk-body app-pre govuk-!-margin-bottom-0">{d.reason}</p></SummaryRow>
        </dl>
        {d.decided ? <div className="govuk-inset-text">{d.decided}</div>
          : d.own ? <div className="govuk-inset-text">You requested this swap, so another officer must decide it.</div> : (
            <Form method="post" {...getFormProps(form)} noValidate>
              <RadiosField field={fields.decision} legend="What is your decision?" options={[{ value: 'approve', label: 'Approve' }, { value: 'reject', label: 'Reject' }]}
                hint="Approving books the ledger and changes the commitments at once." />
              <TextareaField field={fields.reason} label="Reason for your decision" hint={`The contractor will see it. ${SWAP_LIMITS.decisionReason} characters or fewer.`} rows={4} />
              <SubmitButton>Save decision</SubmitButton>
            </Form>
          )}
      </div>
    </div>
  );
}
