import { getFormProps, useForm } from '@conform-to/react';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { closedMessage } from '~/modules/contracts/contracts.server';
import { formatQuantity, milliToInput } from '~/modules/contracts/figures';
import { formatBytes } from '~/modules/returns/evidence-limits';
import { readReturnForm, refusedReturn } from '~/modules/returns/returns.forms.server';
import { periodLabel } from '~/modules/returns/returns.present';
import { findReturnForViewer, listEvidence } from '~/modules/returns/returns.queries.server';
import { EDITABLE_STATUSES, editReturnSchema, RETURN_LIMITS, type EditReturnForm } from '~/modules/returns/returns.schema';
import { editReturn, lockedMessage } from '~/modules/returns/returns.server';
import { EvidenceFields, ReturnFields, ReturnStatusTag, returnSummaryFields } from '~/modules/returns/returns.ui';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Edit progress return' };

/** After a 409 (sent, decided, closed or changed meanwhile) reload the record, so the notice and the form's version are current. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'return:submit');
  const db = getDb();
  const r = await findReturnForViewer(db, params.returnId ?? '', user);
  if (!r) throw notFound();
  const contract = await db.selectFrom('contract').select(['status', 'closed_at']).where('id', '=', r.contract_id).executeTakeFirstOrThrow();
  const evidence = await listEvidence(db, r.id);
  return {
    ret: {
      id: r.id, status: r.status, period: periodLabel(r.period_start, r.period_end), unit: r.unit, measure: `${r.measureCode} ${r.measureTitle}`,
      target: formatQuantity(r.targetMilli, r.unit), commitmentDue: formatDate(r.commitmentDue),
      contractId: r.contract_id, contractReference: r.contractReference, contractTitle: r.contractTitle,
    },
    /** Why the return cannot be edited, if it cannot. */
    locked: contract.status !== 'active' ? closedMessage(contract) : EDITABLE_STATUSES.includes(r.status) ? null : lockedMessage(r),
    version: r.updated_at,
    defaultValue: { quantity: milliToInput(r.quantity_milli), narrative: r.narrative, isStory: r.is_story === 1 ? 'on' : undefined },
    evidence: evidence.map((e) => ({ id: e.id, name: e.kind === 'file' ? (e.file_name ?? 'File') : (e.title || e.url || 'Link'), detail: e.kind === 'file' ? `file, ${formatBytes(e.size_bytes ?? 0)}` : `link: ${e.url}` })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'return:submit');
  const returnId = params.returnId ?? '';
  // Scope before reading the body: another supplier's return is a 404 and stores no file.
  if (!(await findReturnForViewer(getDb(), returnId, user))) throw notFound();
  const form = await readReturnForm(request, editReturnSchema);
  if (!form.ok) return form.response;
  const { value } = form;
  const remove = value.removeEvidence === undefined ? [] : [value.removeEvidence].flat();
  const result = await editReturn(
    getDb(), user, returnId,
    { intent: value.intent === 'draft' ? 'draft' : 'send', version: value.version, quantity: value.quantity, narrative: value.narrative ?? '', isStory: value.isStory, reply: value.reply },
    { files: form.files, links: form.links, remove }, auditActor(user, context),
  );
  if (!result.ok) return refusedReturn(form.submission, result);
  const done = value.intent === 'draft' ? 'saved' : value.intent === 'resubmit' ? 'resubmitted' : 'submitted';
  return redirect(`/returns/${returnId}?done=${done}`, 303);
}

export default function EditReturn() {
  const { ret, locked, version, defaultValue, evidence } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<EditReturnForm & { evidence?: string }>({ lastResult, defaultValue });
  const all = fields as unknown as Parameters<typeof returnSummaryFields>[0];
  const moreInfo = ret.status === 'more_info_requested';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={returnSummaryFields(all, moreInfo ? ['reply', 'quantity', 'narrative'] : ['quantity', 'narrative', 'removeEvidence'])} />
        <Link className="govuk-back-link" to={`/returns/${ret.id}`}>Back to the return</Link>
        <span className="govuk-caption-l">{ret.contractReference}: {ret.contractTitle}</span>
        <h1 className="govuk-heading-l">{moreInfo ? 'Answer and resubmit' : 'Edit progress return'}: {ret.period}</h1>
        <p className="govuk-body"><ReturnStatusTag status={ret.status} /></p>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Commitment</dt><dd className="govuk-summary-list__value">{ret.measure} (target {ret.target} by {ret.commitmentDue})</dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Period</dt><dd className="govuk-summary-list__value">{ret.period}</dd></div>
        </dl>
        {locked ? (
          <div className="govuk-inset-text">{locked} <Link className="govuk-link" to={`/returns/${ret.id}`}>See the return</Link></div>
        ) : (
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate>
            <input type="hidden" name="version" value={version} />
            {moreInfo ? (
              <TextareaField field={fields.reply} label="Your reply to the officer" rows={5}
                hint={`Answer the officer’s request (see the thread on the return’s page). It is added to the thread when you resubmit. Up to ${RETURN_LIMITS.reply.toLocaleString('en-GB')} characters.`} />
            ) : null}
            <ReturnFields fields={all} unit={ret.unit} />
            {evidence.length > 0 ? (
              <div className="govuk-form-group">
                <fieldset className="govuk-fieldset">
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Evidence already added</legend>
                  {moreInfo ? (
                    <ul className="govuk-list govuk-list--bullet">{evidence.map((e) => <li key={e.id}>{e.name} <span className="govuk-hint govuk-!-display-inline">({e.detail})</span></li>)}</ul>
                  ) : (
                    <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes" id={fields.removeEvidence.id}>
                      <div className="govuk-hint">Select any you want to remove.</div>
                      {evidence.map((e) => (
                        <div className="govuk-checkboxes__item" key={e.id}>
                          <input className="govuk-checkboxes__input" id={`remove-${e.id}`} name="removeEvidence" type="checkbox" value={e.id} />
                          <label className="govuk-label govuk-checkboxes__label" htmlFor={`remove-${e.id}`}>Remove {e.name} <span className="govuk-hint govuk-!-display-inline">({e.detail})</span></label>
                        </div>
                      ))}
                    </div>
                  )}
                </fieldset>
              </div>
            ) : null}
            <EvidenceFields fields={all} />
            <div className="govuk-button-group">
              {moreInfo ? (
                <>
                  <SubmitButton name="intent" value="draft" variant="secondary">Save without resubmitting</SubmitButton>
                  <SubmitButton name="intent" value="resubmit">Resubmit</SubmitButton>
                </>
              ) : (
                <>
                  <SubmitButton name="intent" value="draft" variant="secondary">Save as draft</SubmitButton>
                  <SubmitButton name="intent" value="submit">Submit return</SubmitButton>
                </>
              )}
              <Link className="govuk-link" to={`/returns/${ret.id}`}>Cancel</Link>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
