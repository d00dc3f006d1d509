import { getFormProps, useForm } from '@conform-to/react';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { dateParts } from '~/modules/contracts/dates';
import { penceToInput } from '~/modules/contracts/figures';
import { countWaitingOffers } from '~/modules/pledges/pledge-queries.server';
import { itemFormOptions } from '~/modules/wishlist/form-options.server';
import type { ItemForm } from '~/modules/wishlist/items.schema';
import { readItemForm, refusedItem } from '~/modules/wishlist/items.forms.server';
import { EDIT_BLOCKED_MESSAGE, hasTakenOnPledges, updateItem } from '~/modules/wishlist/items.server';
import { ItemFields } from '~/modules/wishlist/items.ui';
import { nextStatus, REFUSED } from '~/modules/wishlist/lifecycle';
import { photoSrc, requireOwnItem } from '~/modules/wishlist/route-helpers.server';

export const handle = { title: 'Change a wishlist item' };

// The owner changes an item in draft, submitted, rejected or published. A
// published item goes back to the council for checking (docs/wishlist.md).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { item } = await requireOwnItem(request, params.itemId);
  const blocked = await hasTakenOnPledges(getDb(), item.id);
  const editable = nextStatus('edit', item.status) !== null && !blocked;
  return {
    ...(await itemFormOptions(getDb())),
    id: item.id,
    title: item.title,
    editable,
    refused: editable ? null : blocked ? EDIT_BLOCKED_MESSAGE : REFUSED.edit,
    returnsToModeration: item.status === 'published',
    // Offers survive the edit (ADR 0022); the warning says they cannot be accepted until the council approves the changes.
    waitingOffers: item.status === 'published' ? await countWaitingOffers(getDb(), item.id) : 0,
    photo: photoSrc(item) ? { src: photoSrc(item)!, alt: item.photo_alt ?? '' } : null,
    defaultValue: {
      title: item.title, description: item.description, category: item.category, theme: item.theme, wardId: item.ward_id ?? '',
      estimatedValue: penceToInput(item.estimated_value_pence), quantityDetail: item.quantity_detail,
      neededBy: item.needed_by ? dateParts(item.needed_by) : undefined, photoAlt: item.photo_alt ?? '', version: item.updated_at,
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, item } = await requireOwnItem(request, params.itemId);
  const form = await readItemForm(request);
  if (!form.ok) return form.response;
  const result = await updateItem(getDb(), auditActor(user, context), user.organisationId, item.id, form.value, form.photo);
  if (!result.ok) return refusedItem(form.submission, result, form.photo.uploaded !== null);
  const done = item.status === 'published' && result.status === 'submitted' ? 'resubmitted' : 'saved';
  return redirect(`/organisation/wishlist/${item.id}?done=${done}`, 303);
}

export default function EditItem() {
  const { id, title, editable, refused, returnsToModeration, waitingOffers, photo, themes, wards, defaultValue } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ItemForm>({ lastResult, defaultValue });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ title: fields.title, description: fields.description, category: fields.category, theme: fields.theme, wardId: fields.wardId, estimatedValue: fields.estimatedValue, quantityDetail: fields.quantityDetail, neededBy: fields.neededBy, photo: fields.photo, photoAlt: fields.photoAlt }}
        />
        <Link className="govuk-back-link" to={`/organisation/wishlist/${id}`}>Back to the item</Link>
        <span className="govuk-caption-l">{title}</span>
        <h1 className="govuk-heading-l">Change this item</h1>
        {!editable ? (
          <div className="govuk-inset-text">{refused}</div>
        ) : (
          <>
            {returnsToModeration ? (
              <div className="govuk-warning-text">
                <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
                <strong className="govuk-warning-text__text">
                  <span className="govuk-visually-hidden">Warning</span>
                  This item is on the public wishlist. If you save changes, it is taken off until the council has checked it again.
                  {waitingOffers > 0
                    ? ` ${waitingOffers === 1 ? 'The pledge' : `The ${waitingOffers} pledges`} waiting for your answer will stay, but you can only accept ${waitingOffers === 1 ? 'it' : 'them'} once the council has approved your changes.`
                    : null}
                </strong>
              </div>
            ) : null}
            <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate>
              <input type="hidden" name="version" value={defaultValue.version} />
              <ItemFields fields={fields} themes={themes} wards={wards} currentPhoto={photo} />
              <div className="govuk-button-group">
                <SubmitButton>Save changes</SubmitButton>
                <Link className="govuk-link" to={`/organisation/wishlist/${id}`}>Cancel</Link>
              </div>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
