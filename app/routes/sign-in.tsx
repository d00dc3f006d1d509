import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { getUser } from '~/auth/guards.server';
import { serializeSessionCookie } from '~/auth/session.server';
import { FormErrorSummary, Honeypot, TextField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { signInSchema } from '~/modules/users/sign-in.schema';
import { signIn } from '~/modules/users/sign-in.server';
import { invalid, isHoneypotFilled, readForm } from '~/utils/form.server';
import { safeRedirect } from '~/utils/safe-redirect';

export const handle = { title: 'Sign in' };

// Public: the sign-in form itself.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

// Public: rate limited per IP and per account in signIn, with a honeypot for bots.
export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: signInSchema });
  if (isHoneypotFilled(formData)) {
    return invalid(submission.reply({ formErrors: ['Your sign-in could not be sent. Try again.'], hideFields: ['password'] }));
  }
  if (submission.status !== 'success') return invalid(submission.reply({ hideFields: ['password'] }));
  const { email, password, redirectTo } = submission.value;
  const result = await signIn(getDb(), { email, password, ip: context.clientIp }, { userId: null, organisationId: null, requestId: context.requestId });
  if (!result.ok) {
    return invalid(submission.reply({ formErrors: [result.message], hideFields: ['password'] }), result.message.startsWith('Too many') ? 429 : 400);
  }
  return redirect(safeRedirect(redirectTo), { status: 303, headers: { 'Set-Cookie': serializeSessionCookie(result.token) } });
}

export default function SignIn() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<z.input<typeof signInSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ email: fields.email, password: fields.password }} />
        {lastResult ? null : <SignInNotice searchParams={searchParams} />}
        <h1 className="govuk-heading-l">Sign in</h1>
        <p className="govuk-body">Council officers, contractors and VCSE organisations sign in here. You do not need an account to browse the community wishlist.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
          <TextField field={fields.email} label="Email address" type="email" autoComplete="username" spellCheck={false} />
          <TextField field={fields.password} label="Password" type="password" autoComplete="current-password" />
          <Honeypot />
          <SubmitButton>Sign in</SubmitButton>
        </Form>
        <p className="govuk-body"><Link className="govuk-link" to="/forgot-password">Forgotten your password?</Link></p>
        <h2 className="govuk-heading-m">No account yet?</h2>
        <p className="govuk-body">Contractors join when a council officer invites them. Voluntary, community and social enterprise organisations can <Link className="govuk-link" to="/register">register their organisation</Link>.</p>
      </div>
    </div>
  );
}

/** Confirmations after a password reset (?reset=1) or "sign out everywhere" (?signedOut=everywhere). */
function SignInNotice({ searchParams }: { searchParams: URLSearchParams }) {
  const message = searchParams.get('reset') === '1'
    ? 'Your password has been changed. Sign in with your new password.'
    : searchParams.get('signedOut') === 'everywhere'
      ? 'You have been signed out on every device and browser.'
      : null;
  if (!message) return null;
  return <SuccessBanner heading={message} headingElement="p" />;
}
