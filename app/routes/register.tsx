import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { getUser } from '~/auth/guards.server';
import { serializeSessionCookie } from '~/auth/session.server';
import { FormErrorSummary, Honeypot, SelectField, TextField, TextareaField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { PASSWORD_HINT } from '~/modules/organisations/fields.schema';
import { listWards } from '~/modules/organisations/organisations.server';
import { DESCRIPTION_MAX, registrationSchema } from '~/modules/organisations/registration.schema';
import { registerVcse } from '~/modules/organisations/registration.server';
import { invalid, isHoneypotFilled, readForm } from '~/utils/form.server';

export const handle = { title: 'Register your organisation' };

const HIDDEN = ['password', 'confirmPassword'];

// Public: anyone may register a VCSE organisation; a signed-in user already has one.
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  const wards = await listWards(getDb());
  return { wards: wards.map((w) => ({ value: w.id, label: w.name })) };
}

// Public: as the loader; rate limited per IP in registerVcse, with a honeypot for bots.
export async function action({ request, context }: ActionFunctionArgs) {
  if (await getUser(request)) throw redirect('/', 303);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: registrationSchema });
  if (isHoneypotFilled(formData)) {
    return invalid(submission.reply({ formErrors: ['Your registration could not be sent. Try again.'], hideFields: HIDDEN }));
  }
  if (submission.status !== 'success') return invalid(submission.reply({ hideFields: HIDDEN }));
  const result = await registerVcse(getDb(), { ...submission.value, ip: context.clientIp }, { userId: null, organisationId: null, requestId: context.requestId });
  if (!result.ok) {
    const reply = result.field
      ? submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: HIDDEN })
      : submission.reply({ formErrors: [result.message], hideFields: HIDDEN });
    return invalid(reply, result.status);
  }
  return redirect('/register/done', { status: 303, headers: { 'Set-Cookie': serializeSessionCookie(result.sessionToken) } });
}

export default function Register() {
  const { wards } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof registrationSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary
          form={form}
          fields={{
            organisationName: fields.organisationName, charityNumber: fields.charityNumber, companyNumber: fields.companyNumber,
            wardId: fields.wardId, description: fields.description, name: fields.name, email: fields.email, phone: fields.phone,
            password: fields.password, confirmPassword: fields.confirmPassword,
          }}
        />
        <h1 className="govuk-heading-l">Register your organisation</h1>
        <p className="govuk-body">Voluntary, community and social enterprise (VCSE) organisations register here to post what they need on the community wishlist. Contractors working for the council can then offer help.</p>
        <p className="govuk-body">A council officer checks each organisation before anything it posts is shown to the public. This usually takes up to 10 working days.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <h2 className="govuk-heading-m">About your organisation</h2>
          <TextField field={fields.organisationName} label="Organisation name" autoComplete="organization" />
          <TextField
            field={fields.charityNumber}
            label="Registered charity number (optional)"
            hint="Charities in England and Wales have a number of 6 to 8 digits, like 1187654. Some linked charities add a suffix, like 1187654-1. Scottish numbers look like SC012345. Leave this empty if you are not a registered charity."
            width="10"
            spellCheck={false}
          />
          <TextField
            field={fields.companyNumber}
            label="Company number (optional)"
            hint="If your organisation is a company or a community interest company: 8 characters from Companies House, like 09876543 or SC123456."
            width="10"
            spellCheck={false}
          />
          <SelectField field={fields.wardId} label="Ward" hint="The ward where your organisation mainly works." placeholder="Select a ward" options={wards} />
          <TextareaField
            field={fields.description}
            label="What your organisation does"
            hint={`Who you help and how, in ${DESCRIPTION_MAX} characters or fewer. This may be shown to the public once your organisation is verified.`}
            rows={6}
          />
          <h2 className="govuk-heading-m">Your details</h2>
          <p className="govuk-body">You will be the organisation’s contact and can sign in to manage its profile.</p>
          <TextField field={fields.name} label="Full name" autoComplete="name" spellCheck={false} />
          <TextField field={fields.email} label="Email address" type="email" autoComplete="email" spellCheck={false} hint="We will use this to send you updates about your registration." />
          <TextField field={fields.phone} label="Telephone number (optional)" type="tel" autoComplete="tel" width="20" hint="For example 01632 960 001 or +44 7700 900 982." />
          <TextField field={fields.password} label="Create a password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} />
          <TextField field={fields.confirmPassword} label="Confirm your password" type="password" autoComplete="new-password" />
          <Honeypot />
          <SubmitButton>Register</SubmitButton>
        </Form>
        <p className="govuk-body">Already registered? <Link className="govuk-link" to="/sign-in">Sign in</Link>.</p>
      </div>
    </div>
  );
}
