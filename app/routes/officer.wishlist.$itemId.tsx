import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { SuccessBanner } from '~/components/notification-banner';
import { FormErrorSummary, RadiosField, SelectField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { formatPence } from '~/modules/contracts/figures';
import { correctionSchema, decisionSchema, ITEM_LIMITS, type CorrectionForm, type DecisionForm } from '~/modules/wishlist/items.schema';
import type { ItemResult } from '~/modules/wishlist/items.server';
import { CATEGORY_OPTIONS, ItemStatusTag } from '~/modules/wishlist/items.ui';
import { nextStatus, ORGANISATION_NOT_VERIFIED } from '~/modules/wishlist/lifecycle';
import { correctItem, decideItem, findItemForModeration } from '~/modules/wishlist/moderation.server';
import { itemFormOptions } from '~/modules/wishlist/form-options.server';
import { photoSrc } from '~/modules/wishlist/route-helpers.server';
import { CATEGORY_LABELS } from '~/modules/wishlist/wishlist';
import { readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Check a wishlist item' };

// An officer approves or rejects (with a reason) a submitted item, or corrects
// the category, theme or ward of a published or pledged one (with a reason).
// Decisions are final: a second one is a 409. A draft is not found.

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

async function requireItem(itemId: string | undefined) {
  const item = itemId ? await findItemForModeration(getDb(), itemId.slice(0, 100)) : undefined;
  if (!item) throw notFound();
  return item;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'wishlist:moderate');
  const item = await requireItem(params.itemId);
  return {
    ...(await itemFormOptions(getDb())),
    canDecide: nextStatus('approve', item.status) !== null,
    canCorrect: nextStatus('correct', item.status) !== null,
    organisationVerified: item.organisation_status === 'verified',
    item: {
      id: item.id, title: item.title, description: item.description, status: item.status, organisation: item.organisation_name, organisationId: item.organisation_id,
      category: item.category, categoryLabel: CATEGORY_LABELS[item.category], theme: item.theme, wardId: item.ward_id ?? '', ward: item.ward_name ?? 'Not one ward',
      value: formatPence(item.estimated_value_pence), quantityDetail: item.quantity_detail, neededBy: item.needed_by ? formatDate(item.needed_by) : 'No date',
      photo: photoSrc(item), photoAlt: item.photo_alt ?? '', submitted: item.submitted_at ? formatDate(item.submitted_at) : '',
      submittedAt: item.submitted_at ?? '', updatedAt: item.updated_at, decisionReason: item.decision_reason,
      decided: item.decided_at ? `${item.decided_by_name ?? 'An officer'} on ${formatDate(item.decided_at)}` : null,
    },
  };
}

function answer(intent: 'decide' | 'correct', reply: SubmissionResult<string[]>, status = 400) {
  // `status` at the top level: the page title's "Error:" prefix reads it (app/components/page-title.ts).
  return data({ intent, reply, status: reply.status }, { status });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'wishlist:moderate');
  const item = await requireItem(params.itemId);
  const form = await readForm(request);
  const actor = auditActor(user, context);
  const intent = form.get('intent') === 'correct' ? 'correct' : 'decide';
  let result: ItemResult;
  let submission;
  if (intent === 'decide') {
    // Decided already, or resubmitted since the form was loaded: 409 whatever the form says.
    if (item.status !== 'submitted') throw conflict('This item is not waiting for moderation: someone has already decided it.');
    submission = parseWithZod(form, { schema: decisionSchema });
    if (submission.status !== 'success') return answer(intent, submission.reply());
    result = await decideItem(getDb(), actor, item.id, submission.value);
  } else {
    submission = parseWithZod(form, { schema: correctionSchema });
    if (submission.status !== 'success') return answer(intent, submission.reply());
    result = await correctItem(getDb(), actor, item.id, submission.value);
  }
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    if (result.reason === 'invalid') return answer(intent, submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    if (result.reason === 'unverified') return answer(intent, submission.reply({ formErrors: [result.message] }), 409);
    throw conflict(result.message);
  }
  const done = intent === 'correct' ? 'correct' : String(form.get('decision'));
  return redirect(intent === 'correct' ? `/officer/wishlist/${item.id}?done=correct` : `/officer/wishlist?done=${done}&item=${item.id}`, 303);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

const DECISION_OPTIONS = [{ value: 'approve', label: 'Approve: publish it on the wishlist' }, { value: 'reject', label: 'Reject: send it back with a reason' }];

export default function ModerateItem() {
  const { item, canDecide, canCorrect, organisationVerified, themes, wards } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [decideForm, decideFields] = useForm<DecisionForm>({ id: 'decide', lastResult: actionData?.intent === 'decide' ? actionData.reply : undefined });
  const [correctForm, correctFields] = useForm<CorrectionForm>({
    id: 'correct', lastResult: actionData?.intent === 'correct' ? actionData.reply : undefined,
    defaultValue: { category: item.category, theme: item.theme, wardId: item.wardId },
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={decideForm} fields={{ decision: decideFields.decision, reason: decideFields.reason }} />
        <FormErrorSummary form={correctForm} fields={{ category: correctFields.category, theme: correctFields.theme, wardId: correctFields.wardId, reason: correctFields.reason }} />
        {params.get('done') === 'correct' && !actionData ? <SuccessBanner heading="Correction saved. The organisation has been told." headingElement="p" /> : null}
        <Link className="govuk-back-link" to="/officer/wishlist">Back to items to check</Link>
        <span className="govuk-caption-l">{item.organisation}</span>
        <h1 className="govuk-heading-l">{item.title}</h1>
        <p className="govuk-body"><ItemStatusTag status={item.status} /></p>
        {!organisationVerified ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
            <strong className="govuk-warning-text__text"><span className="govuk-visually-hidden">Warning</span>{ORGANISATION_NOT_VERIFIED}{' '}
              <Link className="govuk-link" to={`/officer/organisations/${item.organisationId}`}>Check the organisation</Link></strong>
          </div>
        ) : null}
        <dl className="govuk-summary-list">
          <Row label="Organisation"><Link className="govuk-link" to={`/officer/organisations/${item.organisationId}`}>{item.organisation}</Link></Row>
          <Row label="Description"><p className="govuk-body app-pre">{item.description}</p></Row>
          <Row label="Category">{item.categoryLabel}</Row>
          <Row label="Theme">{item.theme}</Row>
          <Row label="Ward">{item.ward}</Row>
          <Row label="Estimated value">{item.value}</Row>
          <Row label="Quantity or detail">{item.quantityDetail || 'Not given'}</Row>
          <Row label="Needed by">{item.neededBy}</Row>
          <Row label="Photo">{item.photo ? <img src={item.photo} alt={item.photoAlt} className="app-wishlist-photo" width="300" /> : 'No photo'}</Row>
          {item.submitted ? <Row label="Submitted">{item.submitted}</Row> : null}
          {item.decided ? <Row label="Last decided by">{item.decided}</Row> : null}
          {item.decisionReason ? <Row label={item.status === 'submitted' ? 'Reason given last time' : 'Reason'}><p className="govuk-body app-pre">{item.decisionReason}</p></Row> : null}
        </dl>

        {canDecide ? (
          <>
            <h2 className="govuk-heading-m">Decision</h2>
            <Form method="post" {...getFormProps(decideForm)} noValidate>
              <input type="hidden" name="intent" value="decide" />
              <input type="hidden" name="version" value={item.updatedAt} />
              <RadiosField field={decideFields.decision} legend="Should this item go on the public wishlist?" options={DECISION_OPTIONS} />
              <TextareaField field={decideFields.reason} label="Reason" hint={`Required if you reject it: say what the organisation should change. They will see it. Up to ${ITEM_LIMITS.reason} characters.`} rows={4} />
              <SubmitButton>Save decision</SubmitButton>
            </Form>
          </>
        ) : null}

        {canCorrect ? (
          <>
            <h2 className="govuk-heading-m">Correct how it is filed</h2>
            <p className="govuk-body">If the item was filed under the wrong category, theme or ward. The organisation is told, with your reason.</p>
            <Form method="post" {...getFormProps(correctForm)} noValidate>
              <input type="hidden" name="intent" value="correct" />
              <input type="hidden" name="version" value={item.updatedAt} />
              <SelectField field={correctFields.category} label="Category" options={CATEGORY_OPTIONS} />
              <SelectField field={correctFields.theme} label="Theme" options={themes} />
              <SelectField field={correctFields.wardId} label="Ward" placeholder="Not one ward" options={wards} />
              <TextareaField field={correctFields.reason} label="Reason for the correction" hint={`The organisation will see it. Up to ${ITEM_LIMITS.reason} characters.`} rows={3} />
              <SubmitButton variant="secondary">Save correction</SubmitButton>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}
