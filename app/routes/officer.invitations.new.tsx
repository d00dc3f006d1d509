import { randomUUID } from 'node:crypto';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { NEW_ORGANISATION, createInvitationSchema } from '~/modules/organisations/invitations.schema';
import { createInvitation } from '~/modules/organisations/invitations.server';
import { listVerifiedSuppliers } from '~/modules/organisations/organisations.server';
import { invalid, readForm } from '~/utils/form.server';
import { SubmissionKey } from '~/components/submission-key';
import { onceFrom } from '~/modules/submissions/once.server';

export const handle = { title: 'Invite a contractor' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'invitation:create');
  const suppliers = await listVerifiedSuppliers(getDb());
  return { suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })), submissionKey: randomUUID() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'invitation:create');
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: createInvitationSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await createInvitation(getDb(), submission.value, auditActor(user, context), new Date(), onceFrom(formData, user.id));
  if (!result.ok) return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
  return redirect(`/officer/invitations?sent=${encodeURIComponent(result.invitationId)}`, 303);
}

export default function NewInvitation() {
  const { suppliers, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof createInvitationSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{ email: fields.email, name: fields.name, organisationId: fields.organisationId, organisationName: fields.organisationName, companyNumber: fields.companyNumber }}
        />
        <Link className="govuk-back-link" to="/officer/invitations">Back to invitations</Link>
        <h1 className="govuk-heading-l">Invite a contractor</h1>
        <p className="govuk-body">We will email them a link to set a password. The link works once and expires after 7 days. Inviting someone again replaces their earlier invitation.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <SubmissionKey value={submissionKey} />
          <TextField field={fields.email} label="Email address" type="email" autoComplete="off" spellCheck={false} hint="Their work email address. We will send the invitation here." />
          <TextField field={fields.name} label="Full name" autoComplete="off" spellCheck={false} />
          <SelectField
            field={fields.organisationId}
            label="Organisation"
            hint="The supplier they work for. If it is not in the list, choose “A new organisation”."
            placeholder="Select an organisation"
            options={[...suppliers, { value: NEW_ORGANISATION, label: 'A new organisation' }]}
          />
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">If it is a new organisation</legend>
            <TextField field={fields.organisationName} label="Organisation name" hint="The supplier’s registered name, for example Brightwater Construction Ltd." />
            <TextField
              field={fields.companyNumber}
              label="Company number (optional)"
              hint="8 characters from Companies House, for example 09876543 or SC123456."
              width="10"
              spellCheck={false}
            />
          </fieldset>
          <SubmitButton>Send invitation</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
