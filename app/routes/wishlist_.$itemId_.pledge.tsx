import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField, TextareaField, TextField } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { DateField } from '~/modules/contracts/contract-ui';
import { londonToday } from '~/modules/contracts/dates';
import { formatPence } from '~/modules/contracts/figures';
import { itemAllows } from '~/modules/pledges/item-rule';
import { pledgeProgress } from '~/modules/pledges/pledge-progress.server';
import { activeContractsOf, findItemToPledge } from '~/modules/pledges/pledge-queries.server';
import { offerSchema, PLEDGE_LIMITS, type OfferForm } from '~/modules/pledges/pledges.schema';
import { NOT_OPEN, offerPledge } from '~/modules/pledges/pledges.server';
import { StoryCheckbox } from '~/modules/returns/returns.ui';
import { onceFrom } from '~/modules/submissions/once.server';
import { CATEGORY_LABELS, STATUS_LABELS } from '~/modules/wishlist/wishlist';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Pledge to meet a need' };

// A contractor pledges to meet all or part of a published (or pledged) item:
// what they will give, its value, when, optionally which of their active
// contracts it relates to, and whether it could be a story. Only contractors
// pledge ('pledge:make'); a non-public item is a 404.

async function requireItem(itemId: string | undefined) {
  const item = itemId ? await findItemToPledge(getDb(), itemId.slice(0, 100)) : undefined;
  if (!item) throw notFound();
  return item;
}

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'pledge:make');
  const item = await requireItem(params.itemId);
  const db = getDb();
  const [contracts, progress] = await Promise.all([activeContractsOf(db, user.organisationId), pledgeProgress(db, [item.id])]);
  const pledged = progress.get(item.id)!;
  return {
    item: {
      id: item.id, title: item.title, description: item.description, organisationName: item.organisationName,
      category: CATEGORY_LABELS[item.category], theme: item.theme, ward: item.wardName, quantityDetail: item.quantityDetail,
      estimate: formatPence(item.estimatePence), hasEstimate: item.estimatePence > 0,
      neededBy: item.neededBy ? formatDate(item.neededBy) : null,
      pledged: formatPence(pledged.pledgedPence),
      status: STATUS_LABELS[item.status],
    },
    open: itemAllows('offer', item.status),
    contracts: contracts.map((c) => ({ value: c.id, label: `${c.reference}: ${c.title}` })),
    submissionKey: randomUUID(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'pledge:make');
  const item = await requireItem(params.itemId);
  if (!itemAllows('offer', item.status)) throw conflict(NOT_OPEN);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: offerSchema({ today: londonToday(), estimatePence: item.estimatePence }) });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await offerPledge(getDb(), item.id, submission.value, user, auditActor(user, context), onceFrom(form, user.id));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'forbidden':
        throw forbidden(result.message);
      case 'conflict':
        throw conflict(result.message);
      case 'invalid':
        return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    }
  }
  return redirect(`/pledges/${result.id}?done=offered`, 303);
}

export default function PledgeToItem() {
  const { item, open, contracts, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<OfferForm>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ description: fields.description, value: fields.value, expectedDate: fields.expectedDate, contractId: fields.contractId }} />
        <Link className="govuk-back-link" to={`/wishlist/${item.id}`}>Back to the need</Link>
        <span className="govuk-caption-l">{item.organisationName}</span>
        <h1 className="govuk-heading-l">Pledge to meet “{item.title}”</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">What they need</dt><dd className="govuk-summary-list__value app-pre">{item.description}{item.quantityDetail ? <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{item.quantityDetail}</span> : null}</dd></div>
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Category and theme</dt><dd className="govuk-summary-list__value">{item.category}; {item.theme}</dd></div>
          {item.ward ? <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Ward</dt><dd className="govuk-summary-list__value">{item.ward}</dd></div> : null}
          <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Estimated value</dt><dd className="govuk-summary-list__value">{item.estimate} ({item.pledged} pledged and accepted so far)</dd></div>
          {item.neededBy ? <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">Needed by</dt><dd className="govuk-summary-list__value">{item.neededBy}</dd></div> : null}
        </dl>
        {!open ? (
          <div className="govuk-inset-text">This need is {item.status.toLowerCase()} and no longer takes pledges. <Link className="govuk-link" to="/wishlist">Find another need on the wishlist</Link>.</div>
        ) : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <SubmissionKey value={submissionKey} />
            <TextareaField
              field={fields.description} label="What will you give?" rows={5}
              hint={`For example, “10 refurbished laptops with chargers” or “two days of a joiner’s time to fit shelving”. All or part of what they need. Up to ${PLEDGE_LIMITS.description.toLocaleString('en-GB')} characters.`}
            />
            <TextField
              field={fields.value} label="Value, in pounds" inputMode="decimal" width="10" spellCheck={false}
              hint={item.hasEstimate ? `What it would cost to buy. Up to the organisation’s estimate of ${item.estimate}.` : 'What it would cost to buy.'}
            />
            <DateField field={fields.expectedDate} legend="When do you expect to deliver it?" hint="For example, 27 3 2027" />
            {contracts.length > 0 ? (
              <SelectField
                field={fields.contractId} label="Which of your contracts does it relate to? (optional)" options={contracts} placeholder="None of them"
                hint="A confirmed pledge can be claimed as social value credits on this contract."
              />
            ) : null}
            <StoryCheckbox field={fields.isStory} />
            <div className="govuk-button-group">
              <SubmitButton>Send pledge</SubmitButton>
              <Link className="govuk-link" to={`/wishlist/${item.id}`}>Cancel</Link>
            </div>
            <p className="govuk-body">The organisation is told straight away and can accept or decline your pledge.</p>
          </Form>
        )}
      </div>
    </div>
  );
}
