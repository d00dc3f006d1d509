import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { PASSWORD_MIN_LENGTH } from '~/auth/password-policy';
import { retryMessage } from '~/auth/rate-limit.server';
import { FormErrorSummary, Honeypot, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { resetPasswordSchema } from '~/modules/users/password.schema';
import { findValidReset, hitResetAttemptLimit, resetPassword } from '~/modules/users/password-reset.server';
import { invalid, isHoneypotFilled, readForm } from '~/utils/form.server';

export const handle = { title: 'Reset your password' };

// The token is in the path: keep it out of caches and out of Referer headers.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });

/** An unknown, used or expired link answers 410 Gone with a page that offers a new one. */
const gone = () => data({ valid: false as const }, { status: 410 });

const HIDDEN = ['password', 'confirmPassword'];

// Public: the secret token in the link is the authorisation. GET never uses it up
// (mail scanners open links); only the POST does.
export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findValidReset(getDb(), params.token ?? '');
  if (!reset) return gone();
  return data({ valid: true as const });
}

// Public: as the loader; resetPassword() checks the token again and claims it once.
// Every POST counts against a per-IP limit (before any link is checked), with a honeypot for bots.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: resetPasswordSchema });
  if (isHoneypotFilled(formData)) {
    return invalid(submission.reply({ formErrors: ['Your new password could not be saved. Try again.'], hideFields: HIDDEN }));
  }
  const tooMany = (seconds: number) => invalid(submission.reply({ formErrors: [retryMessage(seconds)], hideFields: HIDDEN }), 429);
  if (submission.status !== 'success') {
    const limited = await hitResetAttemptLimit(getDb(), context.clientIp);
    if (!limited.ok) return tooMany(limited.retryAfterSeconds);
    if (!(await findValidReset(getDb(), token))) return gone();
    return invalid(submission.reply({ hideFields: HIDDEN }));
  }
  const result = await resetPassword(
    getDb(), { token, password: submission.value.password, ip: context.clientIp }, { userId: null, organisationId: null, requestId: context.requestId },
  );
  if (result.ok) return redirect('/sign-in?reset=1', { status: 303 });
  if (result.reason === 'rate-limited') return tooMany(result.retryAfterSeconds);
  if (result.reason === 'link') return gone();
  return invalid(submission.reply({ fieldErrors: { password: [result.message] }, hideFields: HIDDEN }));
}

export default function ResetPassword() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData && 'status' in actionData ? actionData : undefined;
  const [form, fields] = useForm<z.input<typeof resetPasswordSchema>>({ lastResult });
  if (!loaderData.valid || (actionData && 'valid' in actionData)) return <LinkNoLongerValid />;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ password: fields.password, confirmPassword: fields.confirmPassword }} />
        <h1 className="govuk-heading-l">Choose a new password</h1>
        <p className="govuk-body">When you save your new password, you will be signed out everywhere and can sign in again with it.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextField
            field={fields.password}
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words together make a strong password that is easy to remember.`}
          />
          <TextField field={fields.confirmPassword} label="Confirm new password" type="password" autoComplete="new-password" />
          <Honeypot />
          <SubmitButton>Save new password</SubmitButton>
        </Form>
      </div>
    </div>
  );
}

function LinkNoLongerValid() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">This link has expired or has already been used</h1>
        <p className="govuk-body">A password reset link works once, for one hour. Links sent before your password was last changed stop working.</p>
        <p className="govuk-body"><Link className="govuk-link" to="/forgot-password">Ask for a new link</Link> or <Link className="govuk-link" to="/sign-in">sign in</Link> if you already know your password.</p>
      </div>
    </div>
  );
}
