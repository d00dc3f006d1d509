import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, notFound } from '~/auth/guards.server';
import { ErrorSummary } from '~/components/error-summary';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { formatPence } from '~/modules/contracts/figures';
import { waitingOffersNote } from '~/modules/pledges/item-rule';
import { listItemPledges } from '~/modules/pledges/pledge-queries.server';
import { ItemPledges } from '~/modules/pledges/pledges.ui';
import { closeItem, withdrawItem } from '~/modules/wishlist/items-ending.server';
import { submitItem, TAKEN_ON_PLEDGES } from '~/modules/wishlist/items.server';
import { ItemStatusTag } from '~/modules/wishlist/items.ui';
import { ownerActions } from '~/modules/wishlist/lifecycle';
import { photoSrc, requireOwnItem } from '~/modules/wishlist/route-helpers.server';
import { CATEGORY_LABELS, isPublicStatus } from '~/modules/wishlist/wishlist';
import { readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Wishlist item' };

// The owner's view of one item: its status, the council's reason when rejected,
// and what can be done now (edit, submit, withdraw, close).

const DONE: Record<string, string> = {
  saved: 'Item saved',
  submitted: 'Item submitted to the council for checking',
  resubmitted: 'Changes saved. The item goes back to the council for checking before it is shown again',
  withdrawn: 'Item withdrawn',
  closed: 'Item closed',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, item } = await requireOwnItem(request, params.itemId);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  const pledges = await listItemPledges(getDb(), item.id);
  return {
    pledges: pledges.map((p) => ({ id: p.id, status: p.status, supplierName: p.supplierName, description: p.description, value: formatPence(p.valuePence), expected: formatDate(p.expectedDate) })),
    // Offers waiting on an item that cannot take them now (back with the council, say): why, and what can be done.
    pledgesNote: pledges.some((p) => p.status === 'offered') ? waitingOffersNote(item.status) : null,
    done: DONE[done] ?? null,
    verified: user.organisationStatus === 'verified',
    // Accepted, delivered or disputed pledges freeze the item's text (updateItem refuses it too; withdrawing says why it is refused).
    actions: ownerActions(item.status).filter((a) => a !== 'edit' || !pledges.some((p) => TAKEN_ON_PLEDGES.includes(p.status))),
    item: {
      id: item.id, title: item.title, description: item.description, status: item.status, category: CATEGORY_LABELS[item.category], theme: item.theme,
      ward: item.ward_name ?? 'Not one ward', value: formatPence(item.estimated_value_pence), quantityDetail: item.quantity_detail,
      neededBy: item.needed_by ? formatDate(item.needed_by) : 'No date', photo: photoSrc(item), photoAlt: item.photo_alt ?? '',
      submittedOn: item.submitted_at ? formatDate(item.submitted_at) : null, decidedOn: item.decided_at ? formatDate(item.decided_at) : null,
      rejectionReason: item.status === 'rejected' ? item.decision_reason : null, isPublic: isPublicStatus(item.status),
    },
  };
}

const INTENTS = ['submit', 'withdraw', 'close'] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, item } = await requireOwnItem(request, params.itemId);
  const form = await readForm(request);
  const intent = form.get('intent');
  if (!INTENTS.includes(intent as (typeof INTENTS)[number])) return data({ status: 'error', error: 'Choose what to do with this item.' }, { status: 400 });
  const actor = auditActor(user, context);
  const db = getDb();
  const result =
    intent === 'submit' ? await submitItem(db, actor, user.organisationId, item.id)
      : intent === 'withdraw' ? await withdrawItem(db, actor, user.organisationId, item.id)
        : await closeItem(db, actor, user.organisationId, item.id);
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    if (result.reason === 'invalid') return data({ status: 'error', error: result.message }, { status: 400 });
    return data({ status: 'error', error: result.message }, { status: 409 });
  }
  const done = intent === 'submit' ? 'submitted' : intent === 'withdraw' ? 'withdrawn' : 'closed';
  return redirect(`/organisation/wishlist/${item.id}?done=${done}`, 303);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function OwnItem() {
  const { done, verified, actions, item, pledges, pledgesNote } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {refused?.error ? <ErrorSummary errors={[{ fieldId: 'item-actions', message: refused.error }]} /> : null}
        {done && !refused ? <SuccessBanner heading={done} headingElement="p" /> : null}
        <Link className="govuk-back-link" to="/organisation/wishlist">Back to your wishlist</Link>
        <span className="govuk-caption-l">Your wishlist</span>
        <h1 className="govuk-heading-l">{item.title}</h1>
        <p className="govuk-body"><ItemStatusTag status={item.status} /></p>
        {item.status === 'draft' ? (
          <div className="govuk-inset-text">This is a draft: only your organisation can see it. Submit it when it is ready, and the council will check it.</div>
        ) : item.status === 'submitted' ? (
          <div className="govuk-inset-text">The council is checking this item{item.submittedOn ? ` (submitted on ${item.submittedOn})` : ''}. We will email you when it has decided.</div>
        ) : item.status === 'rejected' ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              The council did not approve this item{item.decidedOn ? ` on ${item.decidedOn}` : ''}. Its reason: {item.rejectionReason}
            </strong>
          </div>
        ) : item.isPublic ? (
          <div className="govuk-inset-text">
            This item is on the public <Link className="govuk-link" to={`/wishlist/${item.id}`}>community wishlist</Link>.
            {item.status === 'published' ? ' If you change it, the council checks it again before it is shown.' : ''}
          </div>
        ) : null}
        <dl className="govuk-summary-list">
          <Row label="Description"><p className="govuk-body app-pre">{item.description}</p></Row>
          <Row label="Category">{item.category}</Row>
          <Row label="Theme">{item.theme}</Row>
          <Row label="Ward">{item.ward}</Row>
          <Row label="Estimated value">{item.value}</Row>
          <Row label="Quantity or detail">{item.quantityDetail || 'Not given'}</Row>
          <Row label="Needed by">{item.neededBy}</Row>
          <Row label="Photo">{item.photo ? <img src={item.photo} alt={item.photoAlt} className="app-wishlist-photo" width="300" /> : 'No photo'}</Row>
        </dl>

        <div id="item-actions" tabIndex={-1}>
          {actions.length > 0 ? <h2 className="govuk-heading-m">What you can do</h2> : null}
          {actions.includes('edit') ? (
            <p className="govuk-body"><Link className="govuk-link" to={`/organisation/wishlist/${item.id}/edit`}>Change this item</Link></p>
          ) : null}
          {actions.includes('submit') ? (
            verified ? (
              <Form method="post">
                <p className="govuk-body">Send it to the council to check. Once approved, it appears on the public wishlist.</p>
                <SubmitButton name="intent" value="submit">Submit for checking</SubmitButton>
              </Form>
            ) : (
              <div className="govuk-inset-text">You can submit this item once the council has verified your organisation.</div>
            )
          ) : null}
          {actions.includes('close') ? (
            <Form method="post">
              <p className="govuk-body">The need has been met. Closing the item takes it off the public wishlist.</p>
              <SubmitButton name="intent" value="close" variant="secondary">Close this item</SubmitButton>
            </Form>
          ) : null}
          {actions.includes('withdraw') ? (
            <Form method="post">
              <h3 className="govuk-heading-s">Withdraw this item</h3>
              <p className="govuk-body">If you no longer need it. It is taken off the wishlist; contractors who offered to help are told. You cannot undo this.</p>
              <SubmitButton name="intent" value="withdraw" variant="warning">Withdraw this item</SubmitButton>
            </Form>
          ) : null}
        </div>

        {/* ── PLEDGES (H3): this item's pledges, each linking to its page. ── */}
        {item.isPublic || pledges.length > 0 ? <div id="pledges"><ItemPledges pledges={pledges} note={pledgesNote} /></div> : null}
      </div>
    </div>
  );
}
