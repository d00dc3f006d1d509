import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { findCommitment } from '~/modules/contracts/commitments.server';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { formatQuantity } from '~/modules/contracts/figures';
import { requireContract } from '~/modules/contracts/route-helpers.server';
import { returnDueDate } from '~/modules/returns/periods';
import { readReturnForm, refusedReturn } from '~/modules/returns/returns.forms.server';
import { periodLabel } from '~/modules/returns/returns.present';
import { listSupplierReturns } from '~/modules/returns/returns.queries.server';
import { newReturnSchema, RETURN_STATUS_LABELS, type NewReturnForm } from '~/modules/returns/returns.schema';
import { createReturn, reportablePeriods } from '~/modules/returns/returns.server';
import { EvidenceFields, ReturnFields, ReturnStatusTag, returnSummaryFields } from '~/modules/returns/returns.ui';
import { getReportingPeriod } from '~/modules/settings/settings.server';
import { onceFrom } from '~/modules/submissions/once.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Report progress' };

/** The commitment in the URL, of a contract the contractor's organisation holds (anything else is a 404). */
async function requireCommitment(request: Request, params: LoaderFunctionArgs['params']) {
  const user = await requirePermission(request, 'return:submit');
  const contract = await requireContract(user, params.contractId);
  const commitment = await findCommitment(getDb(), contract.id, params.commitmentId ?? '');
  if (!commitment || contract.supplier_id !== user.organisationId) throw notFound();
  return { user, contract, commitment };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, contract, commitment } = await requireCommitment(request, params);
  const db = getDb();
  const [measure, kind, existing] = await Promise.all([
    db.selectFrom('measure').select(['code', 'title', 'unit']).where('id', '=', commitment.measure_id).executeTakeFirstOrThrow(),
    getReportingPeriod(db),
    listSupplierReturns(db, user.organisationId, { commitmentId: commitment.id }, 1, 100),
  ]);
  const taken = existing.returns.filter((r) => r.status !== 'rejected');
  const periods = reportablePeriods(kind, contract).reverse().map((p) => {
    const live = taken.find((r) => r.periodStart <= p.end && r.periodEnd >= p.start);
    const due = `due ${formatDate(returnDueDate(p))}`;
    return { value: p.start, label: live ? `${p.label} (${live.status === 'draft' ? 'a draft return already exists' : `return already ${RETURN_STATUS_LABELS[live.status].toLowerCase()}`})` : `${p.label} (${due})` };
  });
  const wanted = new URL(request.url).searchParams.get('period');
  return {
    contract: { id: contract.id, reference: contract.reference, title: contract.title, starts: formatDate(contract.start_date) },
    commitment: { id: commitment.id, measure: `${measure.code} ${measure.title}`, unit: measure.unit, target: formatQuantity(commitment.target_milli, measure.unit), due: formatDate(commitment.due_date), description: commitment.description },
    closed: contract.status === 'active' ? null : closedMessage(contract),
    periods,
    defaultPeriod: periods.some((p) => p.value === wanted) ? wanted! : (periods[0]?.value ?? ''),
    existing: existing.returns.map((r) => ({ id: r.id, period: periodLabel(r.periodStart, r.periodEnd), status: r.status, quantity: formatQuantity(r.quantityMilli, r.unit) })),
    submissionKey: randomUUID(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, commitment } = await requireCommitment(request, params);
  const form = await readReturnForm(request, newReturnSchema);
  if (!form.ok) return form.response;
  const { value } = form;
  const result = await createReturn(
    getDb(), user, commitment.id,
    { intent: value.intent, period: value.period, quantity: value.quantity, narrative: value.narrative, isStory: value.isStory },
    { files: form.files, links: form.links }, auditActor(user, context), onceFrom(form.fields, user.id),
  );
  if (!result.ok) return refusedReturn(form.submission, result);
  return redirect(`/returns/${result.id}?done=${value.intent === 'submit' ? 'submitted' : 'saved'}`, 303);
}

export default function NewReturn() {
  const { contract, commitment, closed, periods, defaultPeriod, existing, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<NewReturnForm & { evidence?: string }>({ lastResult, defaultValue: { period: defaultPeriod } });
  const all = fields as unknown as Parameters<typeof returnSummaryFields>[0];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={returnSummaryFields(all, ['period', 'quantity', 'narrative'])} />
        <Link className="govuk-back-link" to={`/contracts/${contract.id}`}>Back to {contract.reference}</Link>
        <span className="govuk-caption-l">{contract.reference}: {contract.title}</span>
        <h1 className="govuk-heading-l">Report progress</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Commitment</dt><dd className="govuk-summary-list__value">{commitment.measure}<span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{commitment.description}</span></dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Target</dt><dd className="govuk-summary-list__value">{commitment.target} by {commitment.due}</dd></div>
        </dl>
        {closed ? (
          <div className="govuk-inset-text">{closed}</div>
        ) : periods.length === 0 ? (
          <div className="govuk-inset-text">Progress can be reported from the contract’s start date, {contract.starts}.</div>
        ) : (
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate>
            <SubmissionKey value={submissionKey} />
            <SelectField field={fields.period} label="Reporting period" options={periods} hint="Each period has one return. Report only what was delivered in that period." />
            <ReturnFields fields={all} unit={commitment.unit} />
            <EvidenceFields fields={all} />
            <div className="govuk-button-group">
              {/* "Save as draft" comes first, so pressing Enter in a field saves a draft rather than submitting. */}
              <SubmitButton name="intent" value="draft" variant="secondary">Save as draft</SubmitButton>
              <SubmitButton name="intent" value="submit">Submit return</SubmitButton>
              <Link className="govuk-link" to={`/contracts/${contract.id}`}>Cancel</Link>
            </div>
          </Form>
        )}
        {existing.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Returns for this commitment</h2>
            <ul className="govuk-list">
              {existing.map((r) => (
                <li key={r.id}>
                  <Link className="govuk-link" to={`/returns/${r.id}`}>{r.period}: {r.quantity}</Link> <ReturnStatusTag status={r.status} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
