import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { FormErrorSummary, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { SuccessBanner } from '~/components/notification-banner';
import { formatQuantity } from '~/modules/contracts/figures';
import { formatBytes } from '~/modules/returns/evidence-limits';
import { addComment, COMMENTS_AFTER_SUBMIT } from '~/modules/returns/returns.comments.server';
import { refusedReturn } from '~/modules/returns/returns.forms.server';
import { periodLabel } from '~/modules/returns/returns.present';
import { findReturnForViewer, isStaff, listEvidence, listThread } from '~/modules/returns/returns.queries.server';
import { commentSchema, EDITABLE_STATUSES, RETURN_LIMITS, THREAD_KIND_LABELS } from '~/modules/returns/returns.schema';
import { ReturnStatusTag } from '~/modules/returns/returns.ui';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate, formatDateTime } from '~/utils/time';

export const handle = { title: 'Progress return' };

const DONE: Record<string, string> = {
  saved: 'Draft saved',
  submitted: 'Return submitted',
  resubmitted: 'Return resubmitted',
  commented: 'Comment added',
  approved: 'Return approved',
  rejected: 'Return rejected',
  'more-info': 'More information requested',
};

/** The contractor whose organisation made the return, or council staff; anyone else is refused, another supplier's return is a 404. */
async function requireViewer(request: Request) {
  const user = await requireUser(request);
  if (!can(user.role, 'return:submit') && !can(user.role, 'return:review')) throw forbidden();
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireViewer(request);
  const db = getDb();
  const r = await findReturnForViewer(db, params.returnId ?? '', user);
  if (!r) throw notFound();
  const [evidence, thread] = await Promise.all([listEvidence(db, r.id), listThread(db, r.id)]);
  const staff = isStaff(user);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  return {
    ret: {
      id: r.id, status: r.status, period: periodLabel(r.period_start, r.period_end),
      quantity: formatQuantity(r.quantity_milli, r.unit),
      approvedQuantity: r.approved_quantity_milli === null ? null : formatQuantity(r.approved_quantity_milli, r.unit),
      narrative: r.narrative, isStory: r.is_story === 1, decisionReason: r.decision_reason, decidedBy: r.decidedByName,
      decidedAt: r.decided_at ? formatDate(r.decided_at) : null, submittedAt: r.submitted_at ? formatDateTime(r.submitted_at) : null,
      measure: `${r.measureCode} ${r.measureTitle}`, commitmentDescription: r.commitmentDescription,
      target: formatQuantity(r.targetMilli, r.unit), commitmentDue: formatDate(r.commitmentDue),
      contractId: r.contract_id, contractReference: r.contractReference, contractTitle: r.contractTitle, supplierName: r.supplierName,
    },
    evidence: evidence.map((e) => ({
      id: e.id, kind: e.kind, name: e.kind === 'file' ? (e.file_name ?? 'File') : (e.title || e.url || 'Link'),
      url: e.url, size: e.size_bytes ? formatBytes(e.size_bytes) : null, added: formatDate(e.created_at),
    })),
    thread: thread.map((t) => ({
      id: t.id, kind: t.kind, label: THREAD_KIND_LABELS[t.kind], body: t.body, at: formatDateTime(t.created_at), iso: t.created_at,
      author: t.authorName, organisation: t.authorOrganisation,
    })),
    canEdit: !staff && EDITABLE_STATUSES.includes(r.status) && r.contractStatus === 'active',
    canReview: staff && r.status === 'submitted',
    // A draft has no thread yet: only the contractor's organisation can see it.
    commentsClosed: r.status === 'draft' ? COMMENTS_AFTER_SUBMIT : null,
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireViewer(request);
  const submission = parseWithZod(await readForm(request), { schema: commentSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await addComment(getDb(), user, params.returnId ?? '', submission.value.body, auditActor(user, context));
  if (!result.ok) return refusedReturn(submission, result);
  return redirect(`/returns/${params.returnId}?done=commented#thread`, 303);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function ReturnPage() {
  const { ret, evidence, thread, canEdit, canReview, commentsClosed, done } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<{ body: string }>({ lastResult });
  const decided = ret.status === 'approved' || ret.status === 'rejected';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ body: fields.body }} />
        {done ? <SuccessBanner heading={done} /> : null}
        <Link className="govuk-back-link" to={`/contracts/${ret.contractId}`}>Back to {ret.contractReference}</Link>
        <span className="govuk-caption-l">{ret.contractReference}: {ret.contractTitle}</span>
        <h1 className="govuk-heading-l">Progress return: {ret.period}</h1>
        <p className="govuk-body"><ReturnStatusTag status={ret.status} /></p>
        {ret.status === 'more_info_requested' && canEdit ? (
          <div className="govuk-inset-text">The officer has asked for more information: read their request in the thread below, then edit the return and resubmit it.</div>
        ) : null}
        <dl className="govuk-summary-list">
          <Row label="Supplier">{ret.supplierName}</Row>
          <Row label="Commitment">{ret.measure}<span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{ret.commitmentDescription} (target {ret.target} by {ret.commitmentDue})</span></Row>
          <Row label="Period">{ret.period}</Row>
          <Row label="Quantity delivered">{ret.quantity}</Row>
          {decided && ret.approvedQuantity !== null ? <Row label="Approved quantity">{ret.approvedQuantity}</Row> : null}
          {decided && ret.decisionReason ? <Row label={ret.status === 'approved' ? 'Reason for the approved quantity' : 'Reason for rejection'}><span className="app-pre">{ret.decisionReason}</span></Row> : null}
          {decided && ret.decidedAt ? <Row label="Decided">{ret.decidedAt}{ret.decidedBy ? ` by ${ret.decidedBy}` : ''}</Row> : null}
          <Row label="What was delivered">{ret.narrative ? <span className="app-pre">{ret.narrative}</span> : <span className="govuk-hint">Not written yet</span>}</Row>
          <Row label="Story worth telling">{ret.isStory ? 'Yes' : 'No'}</Row>
          {ret.submittedAt ? <Row label="Last submitted">{ret.submittedAt}</Row> : null}
        </dl>
        {canEdit ? (
          <div className="govuk-button-group">
            <Link className="govuk-button" role="button" data-module="govuk-button" to={`/returns/${ret.id}/edit`}>
              {ret.status === 'draft' ? 'Edit and submit' : 'Edit and resubmit'}
            </Link>
          </div>
        ) : null}
        {canReview ? (
          <div className="govuk-button-group">
            <Link className="govuk-button" role="button" data-module="govuk-button" to={`/returns/${ret.id}/decide`}>Review this return</Link>
          </div>
        ) : null}

        <h2 className="govuk-heading-m">Evidence</h2>
        {evidence.length === 0 ? <p className="govuk-body">No evidence has been added.</p> : (
          <ul className="govuk-list govuk-list--bullet" data-testid="evidence-list">
            {evidence.map((e) => (
              <li key={e.id}>
                {e.kind === 'file' ? (
                  <><a className="govuk-link" href={`/returns/${ret.id}/evidence/${e.id}`} download>{e.name}</a> <span className="govuk-hint govuk-!-display-inline">(file, {e.size})</span></>
                ) : (
                  <><a className="govuk-link" href={e.url ?? '#'} rel="noopener noreferrer" target="_blank">{e.name}<span className="govuk-visually-hidden"> (opens in a new tab)</span></a> <span className="govuk-hint govuk-!-display-inline">(link{e.url && e.name !== e.url ? `: ${e.url}` : ''})</span></>
                )}
              </li>
            ))}
          </ul>
        )}

        <h2 className="govuk-heading-m" id="thread" tabIndex={-1}>Comments and history</h2>
        {thread.length === 0 ? <p className="govuk-body">Nothing yet. Comments and each step of the review appear here, oldest first.</p> : (
          <ol className="govuk-list app-thread" data-testid="thread">
            {thread.map((t) => (
              <li key={t.id} className="govuk-!-margin-bottom-4">
                <p className="govuk-body-s govuk-!-margin-bottom-1">
                  <strong>{t.author}</strong> ({t.organisation}) · <time dateTime={t.iso}>{t.at}</time>
                  {t.kind !== 'comment' ? <> · <strong className="govuk-tag govuk-tag--grey">{t.label}</strong></> : null}
                </p>
                {t.body ? <p className="govuk-body app-pre">{t.body}</p> : null}
              </li>
            ))}
          </ol>
        )}

        {commentsClosed ? <p className="govuk-body" data-testid="comments-closed">{commentsClosed}.</p> : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <TextareaField field={fields.body} label="Add a comment" hint={`Everyone who can see this return can read it. Up to ${RETURN_LIMITS.comment.toLocaleString('en-GB')} characters.`} rows={4} />
            <SubmitButton variant="secondary">Add comment</SubmitButton>
          </Form>
        )}
      </div>
    </div>
  );
}
