import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary } from '~/components/form-fields';
import { SubmissionKey } from '~/components/submission-key';
import { SubmitButton } from '~/components/submit-button';
import { onceFrom } from '~/modules/submissions/once.server';
import { itemFormOptions } from '~/modules/wishlist/form-options.server';
import type { ItemForm } from '~/modules/wishlist/items.schema';
import { readItemForm, refusedItem } from '~/modules/wishlist/items.forms.server';
import { createItem } from '~/modules/wishlist/items.server';
import { ItemFields } from '~/modules/wishlist/items.ui';

export const handle = { title: 'Add an item to your wishlist' };

// A new item is saved as a draft; the item's page then offers "Submit for checking".

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'wishlist:manage');
  return { ...(await itemFormOptions(getDb())), submissionKey: randomUUID() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'wishlist:manage');
  const form = await readItemForm(request);
  if (!form.ok) return form.response;
  const result = await createItem(getDb(), { ...auditActor(user, context), userId: user.id }, user.organisationId, form.value, form.photo, onceFrom(form.fields, user.id));
  if (!result.ok) return refusedItem(form.submission, result, form.photo.uploaded !== null);
  return redirect(`/organisation/wishlist/${result.id}?done=saved`, 303);
}

export default function NewItem() {
  const { themes, wards, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ItemForm>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ title: fields.title, description: fields.description, category: fields.category, theme: fields.theme, wardId: fields.wardId, estimatedValue: fields.estimatedValue, quantityDetail: fields.quantityDetail, neededBy: fields.neededBy, photo: fields.photo, photoAlt: fields.photoAlt }}
        />
        <Link className="govuk-back-link" to="/organisation/wishlist">Back to your wishlist</Link>
        <span className="govuk-caption-l">Your wishlist</span>
        <h1 className="govuk-heading-l">Add an item</h1>
        <p className="govuk-body">Your item is saved as a draft. You can check it, then submit it to the council.</p>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} noValidate>
          <SubmissionKey value={submissionKey} />
          <ItemFields fields={fields} themes={themes} wards={wards} currentPhoto={null} />
          <div className="govuk-button-group">
            <SubmitButton>Save as draft</SubmitButton>
            <Link className="govuk-link" to="/organisation/wishlist">Cancel</Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
