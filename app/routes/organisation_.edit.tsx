import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField, TextareaField, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { findOrganisationDetails, listWards } from '~/modules/organisations/organisations.server';
import { profileSchema, type ProfileForm } from '~/modules/organisations/profile.schema';
import { updateProfile } from '~/modules/organisations/profile.server';
import { DESCRIPTION_MAX } from '~/modules/organisations/registration.schema';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Change your organisation’s details' };

// A VCSE user edits their own organisation's public profile (no id in the URL:
// always their own). Verified and pending organisations; a rejected one is told to contact the council.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'vcse:profile');
  const db = getDb();
  const [org, wards] = await Promise.all([findOrganisationDetails(db, user.organisationId), listWards(db)]);
  if (!org) throw notFound();
  return {
    editable: org.status !== 'rejected',
    wards: wards.map((w) => ({ value: w.id, label: w.name })),
    defaultValue: {
      name: org.name, description: org.description ?? '', wardId: org.ward_id ?? '', website: org.website ?? '', charityNumber: org.charity_number ?? '',
      companyNumber: org.company_number ?? '', contactName: org.contact_name ?? '', contactEmail: org.contact_email ?? '', contactPhone: org.contact_phone ?? '',
      version: org.updated_at,
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'vcse:profile');
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: profileSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await updateProfile(getDb(), auditActor(user, context), user.organisationId, submission.value);
  if (!result.ok) {
    if (result.reason === 'not-found') throw notFound();
    if (result.reason === 'invalid') return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    return invalid(submission.reply({ formErrors: [result.message] }), 409);
  }
  return redirect('/organisation?done=profile', 303);
}

export default function EditOrganisation() {
  const { editable, wards, defaultValue } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<ProfileForm>({ lastResult, defaultValue });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ name: fields.name, description: fields.description, wardId: fields.wardId, website: fields.website, charityNumber: fields.charityNumber, companyNumber: fields.companyNumber, contactName: fields.contactName, contactEmail: fields.contactEmail, contactPhone: fields.contactPhone }}
        />
        <Link className="govuk-back-link" to="/organisation">Back to your organisation</Link>
        <h1 className="govuk-heading-l">Change your organisation’s details</h1>
        {!editable ? (
          <div className="govuk-inset-text">The council could not verify your organisation. Contact the council’s social value team to change its details.</div>
        ) : (
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="version" value={defaultValue.version} />
            <p className="govuk-body">The public sees your organisation’s name, what it does, its ward, its website and its contact email address beside your wishlist items.</p>
            <TextField field={fields.name} label="Organisation name" autoComplete="organization" />
            <TextareaField field={fields.description} label="What your organisation does" hint={`Up to ${DESCRIPTION_MAX.toLocaleString('en-GB')} characters.`} rows={5} />
            <SelectField field={fields.wardId} label="Ward" hint="Where your organisation mainly works." placeholder="Select a ward" options={wards} />
            <TextField field={fields.website} label="Website (optional)" hint="For example, https://www.example.org" type="url" autoComplete="url" spellCheck={false} />
            <TextField field={fields.charityNumber} label="Charity number (optional)" hint="For example, 1187654 or SC012345" width="10" spellCheck={false} />
            <TextField field={fields.companyNumber} label="Company number (optional)" hint="For example, 09876543 or CE012345" width="10" spellCheck={false} />
            <h2 className="govuk-heading-m">Contact</h2>
            <TextField field={fields.contactName} label="Contact name" autoComplete="name" />
            <TextField field={fields.contactEmail} label="Contact email address" hint="Shown to the public on your wishlist items, so people can offer help. Use a shared address, like hello@example.org, rather than a personal one." type="email" autoComplete="email" spellCheck={false} />
            <TextField field={fields.contactPhone} label="Contact telephone number (optional)" type="tel" autoComplete="tel" width="20" />
            <div className="govuk-button-group">
              <SubmitButton>Save changes</SubmitButton>
              <Link className="govuk-link" to="/organisation">Cancel</Link>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
