import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { retryMessage } from '~/auth/rate-limit.server';
import { FormErrorSummary, Honeypot, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { forgotPasswordSchema } from '~/modules/users/password.schema';
import { RESET_TTL_MS, padResponseTime, requestPasswordReset } from '~/modules/users/password-reset.server';
import { invalid, isHoneypotFilled, readForm } from '~/utils/form.server';

export const handle = { title: (data: unknown) => ((data as { sent?: boolean } | null)?.sent ? 'Check your email' : 'Reset your password') };

/** Every accepted request takes at least this long, so a known email is not faster or slower than an unknown one. */
const MIN_RESPONSE_MS = 300;
const SENT = '/forgot-password?sent=1';

// Public: people who cannot sign in ask for a reset link here.
export async function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get('sent') === '1', validMinutes: RESET_TTL_MS / 60_000 };
}

// Public: the same answer for every address; rate limited per IP and per email.
export async function action({ request, context }: ActionFunctionArgs) {
  const startedAt = Date.now();
  const formData = await readForm(request);
  if (isHoneypotFilled(formData)) {
    await padResponseTime(startedAt, MIN_RESPONSE_MS);
    return redirect(SENT, { status: 303 });
  }
  const submission = parseWithZod(formData, { schema: forgotPasswordSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const result = await requestPasswordReset(getDb(), { email: submission.value.email, ip: context.clientIp }, { userId: null, organisationId: null, requestId: context.requestId });
  if (!result.ok) return invalid(submission.reply({ formErrors: [retryMessage(result.retryAfterSeconds)] }), 429);
  await padResponseTime(startedAt, MIN_RESPONSE_MS);
  return redirect(SENT, { status: 303 });
}

export default function ForgotPassword() {
  const { sent, validMinutes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof forgotPasswordSchema>>({ lastResult });
  if (sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Check your email</h1>
          <p className="govuk-body">If an account exists for that address, we have sent a link to reset your password. The link works once and stops working after {validMinutes} minutes.</p>
          <p className="govuk-body">If you do not get an email within a few minutes, check your spam or junk folder, or make sure you used the address you sign in with.</p>
          <p className="govuk-body"><Link className="govuk-link" to="/forgot-password">Send another link</Link> or <Link className="govuk-link" to="/sign-in">go back to sign in</Link>.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ email: fields.email }} />
        <h1 className="govuk-heading-l">Reset your password</h1>
        <p className="govuk-body">Enter the email address you use to sign in. We will send you a link to choose a new password.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <Honeypot />
          <TextField field={fields.email} label="Email address" type="email" autoComplete="username" spellCheck={false} />
          <SubmitButton>Send reset link</SubmitButton>
        </Form>
        <p className="govuk-body"><Link className="govuk-link" to="/sign-in">Back to sign in</Link></p>
      </div>
    </div>
  );
}
