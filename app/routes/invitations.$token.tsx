import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { serializeSessionCookie } from '~/auth/session.server';
import { FormErrorSummary, Honeypot, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { PASSWORD_HINT } from '~/modules/organisations/fields.schema';
import { UNUSABLE_MESSAGE, acceptInvitation, findInvitationByToken } from '~/modules/organisations/invitation-acceptance.server';
import { acceptInvitationSchema } from '~/modules/organisations/invitations.schema';
import type { InvitationStatus } from '~/modules/organisations/invitations.server';
import { invalid, isHoneypotFilled, readForm } from '~/utils/form.server';
import { formatDate } from '~/utils/time';

type State = InvitationStatus | 'unknown';

export const handle = {
  title: (loaderData: unknown) => ((loaderData as { state?: State } | undefined)?.state === 'open' ? 'Set up your account' : 'This invitation cannot be used'),
};

const HIDDEN = ['password', 'confirmPassword'];

// The token is in the path: keep it out of caches and out of Referer headers.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });

// Public: the token in the link is the credential. Without a valid one the page
// says only that the link cannot be used; it shows no one's details.
export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findInvitationByToken(getDb(), params.token ?? '');
  if (!invitation) return data({ state: 'unknown' as State, invitation: null }, { status: 404 });
  if (invitation.status !== 'open') return data({ state: invitation.status as State, invitation: null }, { status: 410 });
  return data({
    state: 'open' as State,
    invitation: {
      email: invitation.email, name: invitation.name, organisationName: invitation.organisationName,
      invitedByName: invitation.invitedByName, expiresOn: formatDate(invitation.expiresAt),
    },
  });
}

// Public: as the loader, gated by the token; rate limited per IP in acceptInvitation, with a honeypot for bots.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const formData = await readForm(request);
  const invitation = await findInvitationByToken(getDb(), token);
  const submission = parseWithZod(formData, { schema: acceptInvitationSchema(invitation?.email) });
  if (isHoneypotFilled(formData)) {
    return invalid(submission.reply({ formErrors: ['Your account could not be set up. Try again.'], hideFields: HIDDEN }));
  }
  if (!invitation || invitation.status !== 'open') return invalid(submission.reply({ formErrors: [UNUSABLE_MESSAGE], hideFields: HIDDEN }), 410);
  if (submission.status !== 'success') return invalid(submission.reply({ hideFields: HIDDEN }));
  const { name, password } = submission.value;
  const result = await acceptInvitation(getDb(), { token, name, password, ip: context.clientIp }, { userId: null, organisationId: null, requestId: context.requestId });
  if (!result.ok) {
    const status = result.reason === 'rate-limited' ? 429 : result.reason === 'unusable' ? 410 : 400;
    return invalid(submission.reply({ formErrors: [result.message], hideFields: HIDDEN }), status);
  }
  return redirect('/', { status: 303, headers: { 'Set-Cookie': serializeSessionCookie(result.sessionToken) } });
}

const UNUSABLE: Record<Exclude<State, 'open'>, { heading: string; body: string }> = {
  unknown: {
    heading: 'This invitation link is not valid',
    body: 'Check that you copied the whole link from the email. If it still does not work, ask your council contact to send you a new invitation.',
  },
  expired: {
    heading: 'This invitation has expired',
    body: 'Invitations work for 7 days. Ask your council contact to send you a new invitation.',
  },
  accepted: {
    heading: 'This invitation has already been used',
    body: 'Each invitation link works once. If you have already set up your account, sign in. If not, ask your council contact to send you a new invitation.',
  },
  revoked: {
    heading: 'This invitation has been cancelled',
    body: 'The council cancelled this invitation, perhaps because it sent you a newer one. Look for a newer email, or ask your council contact to send you a new invitation.',
  },
};

export default function AcceptInvitation() {
  const { state, invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<ReturnType<typeof acceptInvitationSchema>>>({ lastResult });
  if (state !== 'open' || !invitation) {
    const page = UNUSABLE[state === 'open' ? 'unknown' : state];
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{page.heading}</h1>
          <p className="govuk-body">{page.body}</p>
          <p className="govuk-body"><Link className="govuk-link" to="/sign-in">Sign in</Link> if you already have an account.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ name: fields.name, password: fields.password, confirmPassword: fields.confirmPassword }} />
        <h1 className="govuk-heading-l">Set up your account</h1>
        <p className="govuk-body">{invitation.invitedByName} has invited you to report social value for <strong>{invitation.organisationName}</strong>.</p>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Email address</dt>
            <dd className="govuk-summary-list__value">{invitation.email}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Invitation expires</dt>
            <dd className="govuk-summary-list__value">{invitation.expiresOn}</dd>
          </div>
        </dl>
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextField field={fields.name} label="Your full name" autoComplete="name" spellCheck={false} defaultValue={invitation.name} />
          <TextField field={fields.password} label="Create a password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} />
          <TextField field={fields.confirmPassword} label="Confirm your password" type="password" autoComplete="new-password" />
          <Honeypot />
          <SubmitButton>Create account</SubmitButton>
        </Form>
        <p className="govuk-body">If the organisation or email address is wrong, do not set up the account: ask your council contact to send a new invitation.</p>
      </div>
    </div>
  );
}
