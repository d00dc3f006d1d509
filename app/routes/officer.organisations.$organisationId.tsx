import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { OrganisationSummary, type OrganisationFacts } from '~/components/organisation-summary';
import { REASON_MAX, decisionSchema } from '~/modules/organisations/verification.schema';
import { decideOrganisation, findVcseOrganisation } from '~/modules/organisations/verification.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

export const handle = {
  title: (loaderData: unknown) => (loaderData as { organisation?: { name: string } } | undefined)?.organisation?.name ?? 'Organisation',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'organisation:verify');
  const organisation = await findVcseOrganisation(getDb(), params.organisationId ?? '');
  if (!organisation) throw notFound();
  const facts: OrganisationFacts = {
    name: organisation.name, status: organisation.status, wardName: organisation.ward_name,
    charityNumber: organisation.charity_number, companyNumber: organisation.company_number,
    description: organisation.description, website: organisation.website,
    contactName: organisation.contact_name, contactEmail: organisation.contact_email, contactPhone: organisation.contact_phone,
    registeredOn: formatDate(organisation.created_at),
    decidedOn: organisation.decided_at ? formatDate(organisation.decided_at) : null,
    decidedBy: organisation.decided_by_name, decisionReason: organisation.decision_reason,
  };
  return { organisation: facts, users: organisation.users.map((u) => ({ id: u.id, name: u.name, email: u.email })) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'organisation:verify');
  const organisationId = params.organisationId ?? '';
  const submission = parseWithZod(await readForm(request), { schema: decisionSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await decideOrganisation(getDb(), organisationId, submission.value, auditActor(user, context));
  if (result === 'not-found') throw notFound();
  if (result === 'already-decided') throw new Response('This organisation has already been verified or rejected', { status: 409, statusText: 'Conflict' });
  return redirect(`/officer/organisations?decided=${encodeURIComponent(organisationId)}`, 303);
}

export default function OrganisationForOfficer() {
  const { organisation, users } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof decisionSchema>>({ lastResult });
  const pending = organisation.status === 'pending';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {pending ? <FormErrorSummary form={form} fields={{ decision: fields.decision, reason: fields.reason }} /> : null}
        <Link className="govuk-back-link" to={pending ? '/officer/organisations' : `/officer/organisations?status=${organisation.status}`}>Back to organisations</Link>
        <span className="govuk-caption-l">VCSE organisation</span>
        <h1 className="govuk-heading-l">{organisation.name}</h1>
        <OrganisationSummary organisation={organisation} showChecks />
        <h2 className="govuk-heading-m">Users</h2>
        {users.length > 0 ? (
          <ul className="govuk-list">
            {users.map((u) => <li key={u.id}>{u.name} ({u.email})</li>)}
          </ul>
        ) : (
          <p className="govuk-body">This organisation has no active users.</p>
        )}
        {pending ? (
          <>
            <h2 className="govuk-heading-m">Decision</h2>
            <p className="govuk-body">Verify the organisation if it is a genuine voluntary, community or social enterprise organisation working in the area. Its users are emailed either way.</p>
            <Form method="post" {...getFormProps(form)} noValidate>
              <RadiosField
                field={fields.decision}
                legend="Do you verify this organisation?"
                options={[
                  { value: 'verify', label: 'Yes, verify it' },
                  { value: 'reject', label: 'No, reject it' },
                ]}
              />
              <TextareaField
                field={fields.reason}
                label="Reason"
                hint={`Required if you reject the organisation, in ${REASON_MAX} characters or fewer. The organisation will see it, so say what they could do about it.`}
                rows={4}
              />
              <SubmitButton>Save decision</SubmitButton>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}
