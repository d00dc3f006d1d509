import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextareaField, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { formatPence, formatQuantity, milliToInput, valueOfQuantity } from '~/modules/contracts/figures';
import { DECISION_LABELS, DECISIONS, REVIEW_LIMITS, decisionSchema, surplusAfter, type DecisionForm } from '~/modules/returns/review.schema';
import { decidedMessage, decideReturn, findReturnForReview, listEvidenceForReview, RESUBMITTED } from '~/modules/returns/review.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Decide on a progress return' };

// An officer approves (optionally a smaller quantity, with a reason), rejects
// (with a reason) or asks for more information. Decisions are final: deciding
// a return someone has already decided is a 409. A draft is not found: drafts
// are the contractor's private work.

async function requireReturn(returnId: string | undefined) {
  const found = returnId ? await findReturnForReview(getDb(), returnId.slice(0, 100)) : undefined;
  if (!found) throw notFound();
  return found;
}

const quantityText = (milli: number, unit: string) => formatQuantity(milli, unit);

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'return:review');
  const r = await requireReturn(params.returnId);
  const evidence = await listEvidenceForReview(getDb(), r.id);
  const remainingMilli = Math.max(0, r.targetMilli - r.deliveredMilli - r.substitutedMilli);
  const surplus = surplusAfter(
    { targetMilli: r.targetMilli, substitutedMilli: r.substitutedMilli, deliveredBeforeMilli: r.deliveredMilli, deliveredAfterMilli: r.deliveredMilli + r.quantityMilli },
    (milli) => valueOfQuantity(milli, r.proxyValuePence),
  );
  return {
    id: r.id,
    version: r.submittedAt ?? '',
    pending: r.status === 'submitted',
    decided: r.status === 'submitted' ? null : decidedMessage(r),
    decisionReason: r.decisionReason,
    unit: r.unit,
    claimedInput: milliToInput(r.quantityMilli),
    summary: {
      contract: `${r.contractReference}: ${r.contractTitle}`, supplier: r.supplierName, measure: `${r.measureCode}: ${r.measureTitle}`, theme: r.theme,
      period: `${formatDate(r.periodStart)} to ${formatDate(r.periodEnd)}`, submitted: r.submittedAt ? formatDate(r.submittedAt) : '',
      claimed: `${quantityText(r.quantityMilli, r.unit)} (${formatPence(valueOfQuantity(r.quantityMilli, r.proxyValuePence))})`,
      approved: r.approvedQuantityMilli === null ? null : quantityText(r.approvedQuantityMilli, r.unit),
      narrative: r.narrative, isStory: r.isStory,
      target: quantityText(r.targetMilli, r.unit), delivered: quantityText(r.deliveredMilli, r.unit), remaining: quantityText(remainingMilli, r.unit),
    },
    surplusIfApproved: surplus && surplus.addedMilli > 0 && r.status === 'submitted' ? `${quantityText(surplus.addedMilli, r.unit)} (${formatPence(surplus.addedValuePence)})` : null,
    contractClosed: r.contractStatus !== 'active',
    evidence: evidence.map((e) => ({
      id: e.id,
      kind: e.kind,
      label: e.kind === 'file' ? (e.fileName ?? 'File') : (e.title || e.url || 'Link'),
      detail: e.kind === 'file' && e.sizeBytes ? `${Math.max(1, Math.round(e.sizeBytes / 1024))} KB` : null,
      // Only web addresses become links (never javascript: or data:).
      href: e.kind === 'file' ? `/returns/${r.id}/evidence/${e.id}` : e.url && /^https?:\/\//i.test(e.url) ? e.url : null,
      url: e.kind === 'link' ? e.url : null,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'return:review');
  const r = await requireReturn(params.returnId);
  const form = await readForm(request);
  // Decisions are final: a return already decided, or resubmitted since this form
  // was loaded, is a 409 whatever the form says (its field errors no longer matter).
  if (r.status !== 'submitted') throw conflict(decidedMessage(r));
  const version = form.get('version');
  if (typeof version === 'string' && version && version !== r.submittedAt) throw conflict(RESUBMITTED);
  const schema = decisionSchema(r.quantityMilli, (milli) => quantityText(milli, r.unit));
  const submission = parseWithZod(form, { schema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await decideReturn(getDb(), r.id, submission.value, auditActor(user, context));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'own-return':
        throw forbidden(result.message);
      case 'conflict':
        throw conflict(result.message);
      case 'invalid':
        return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    }
  }
  return redirect(`/officer/returns?decided=${encodeURIComponent(r.id)}`, 303);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

const DECISION_OPTIONS = DECISIONS.map((d) => ({ value: d, label: DECISION_LABELS[d] }));

export default function DecideReturn() {
  const { id, version, pending, decided, decisionReason, unit, claimedInput, summary, surplusIfApproved, contractClosed, evidence } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<DecisionForm>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {pending ? <FormErrorSummary form={form} fields={{ decision: fields.decision, approvedQuantity: fields.approvedQuantity, reason: fields.reason }} /> : null}
        <Link className="govuk-back-link" to="/officer/returns">Back to returns to review</Link>
        <span className="govuk-caption-l">{summary.contract}</span>
        <h1 className="govuk-heading-l">Decide on a progress return</h1>
        <dl className="govuk-summary-list">
          <Row label="Supplier">{summary.supplier}</Row>
          <Row label="Measure">{summary.measure} <span className="govuk-hint govuk-!-display-inline">({summary.theme})</span></Row>
          <Row label="Period">{summary.period}</Row>
          <Row label="Submitted">{summary.submitted}</Row>
          <Row label="Quantity claimed">{summary.claimed}</Row>
          {summary.approved ? <Row label="Quantity approved">{summary.approved}</Row> : null}
          <Row label="Commitment target">{summary.target}</Row>
          <Row label="Delivered so far">{summary.delivered}</Row>
          <Row label="Remaining">{summary.remaining}</Row>
          <Row label="What was delivered"><p className="govuk-body app-pre">{summary.narrative || 'No narrative given.'}</p></Row>
          <Row label="A story worth telling">{summary.isStory ? 'Yes' : 'No'}</Row>
        </dl>
        <h2 className="govuk-heading-m">Evidence</h2>
        {evidence.length > 0 ? (
          <ul className="govuk-list govuk-list--bullet">
            {evidence.map((e) => (
              <li key={e.id}>
                {e.href ? (
                  e.kind === 'file'
                    ? <a className="govuk-link" href={e.href} download>{e.label}</a>
                    : <a className="govuk-link" href={e.href} rel="noopener noreferrer nofollow" target="_blank">{e.label} (opens in new tab)</a>
                ) : <span>{e.label}{e.url && e.url !== e.label ? `: ${e.url}` : ''}</span>}
                {e.detail ? ` (${e.detail})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="govuk-body">No evidence was attached.</p>
        )}
        <p className="govuk-body"><Link className="govuk-link" to={`/returns/${id}`}>See the return’s thread of comments</Link></p>
        {decided ? (
          <div className="govuk-inset-text">
            <p className="govuk-body">{decided}</p>
            {decisionReason ? <p className="govuk-body app-pre">{decisionReason}</p> : null}
          </div>
        ) : (
          <>
            <h2 className="govuk-heading-m">Decision</h2>
            {surplusIfApproved ? (
              <div className="govuk-inset-text">Approving the full quantity takes delivery past the target by {surplusIfApproved}. {contractClosed ? 'The contract has closed, so no credits will be banked for it.' : 'The surplus will be banked as credits.'}</div>
            ) : null}
            <Form method="post" {...getFormProps(form)} noValidate>
              <input type="hidden" name="version" value={version} />
              <RadiosField field={fields.decision} legend="What is your decision?" options={DECISION_OPTIONS} />
              <TextField
                field={fields.approvedQuantity}
                label={`Approved quantity (${unit})`}
                hint={`Only if you approve. Leave it as claimed, or enter a smaller quantity and give the reason below.`}
                inputMode="decimal"
                width="10"
                spellCheck={false}
                defaultValue={claimedInput}
              />
              <TextareaField
                field={fields.reason}
                label="Reason or message to the contractor"
                hint={`Required if you reject the return, ask for more information (say what you need) or approve a different quantity. The contractor will see it. ${REVIEW_LIMITS.reason} characters or fewer.`}
                rows={5}
              />
              <SubmitButton>Save decision</SubmitButton>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
