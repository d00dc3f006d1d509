import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import type { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { PASSWORD_MIN_LENGTH } from '~/auth/password-policy';
import { FormErrorSummary, TextField } from '~/components/form-fields';
import { SubmitButton } from '~/components/submit-button';
import { changePassword } from '~/modules/users/account.server';
import { changePasswordSchema } from '~/modules/users/password.schema';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Change your password' };

const SECRET_FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'account:manage');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:manage');
  const submission = parseWithZod(await readForm(request), { schema: changePasswordSchema });
  if (submission.status !== 'success') return invalid(submission.reply({ hideFields: SECRET_FIELDS }));
  const { currentPassword, newPassword } = submission.value;
  const result = await changePassword(getDb(), { userId: user.id, sessionId: user.sessionId, currentPassword, newPassword }, auditActor(user, context));
  if (!result.ok) {
    return invalid(submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: SECRET_FIELDS }), result.status);
  }
  return redirect('/account?changed=1', { status: 303 });
}

export default function ChangePassword() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof changePasswordSchema>>({ lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to="/account">Back to your account</Link>
        <FormErrorSummary form={form} fields={{ currentPassword: fields.currentPassword, newPassword: fields.newPassword, confirmPassword: fields.confirmPassword }} />
        <h1 className="govuk-heading-l">Change your password</h1>
        <p className="govuk-body">When you change your password, you stay signed in here and every other device or browser is signed out.</p>
        <Form method="post" {...getFormProps(form)} noValidate>
          <TextField field={fields.currentPassword} label="Current password" type="password" autoComplete="current-password" />
          <TextField
            field={fields.newPassword}
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words together make a strong password that is easy to remember.`}
          />
          <TextField field={fields.confirmPassword} label="Confirm new password" type="password" autoComplete="new-password" />
          <SubmitButton>Change password</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
