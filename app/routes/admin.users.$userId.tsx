import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { ROLE_LABELS } from '~/auth/permissions';
import { FormErrorSummary, RadiosField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { ORGANISATION_KIND_LABELS, ROLES_FOR_KIND, STATUS_LABELS, userActionSchema } from '~/modules/users/admin-users.schema';
import { changeUserRole, countActiveAdmins, deactivateUser, getUserForAdmin, reactivateUser } from '~/modules/users/admin-users.server';
import { invalid, readForm } from '~/utils/form.server';
import { formatDateTime } from '~/utils/time';

export const handle = {
  title: (data: unknown) => (data as { user?: { name: string } } | undefined)?.user?.name ?? 'User',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, 'user:manage');
  const user = await getUserForAdmin(getDb(), params.userId ?? '');
  if (!user) throw notFound();
  const isLastAdmin = user.role === 'admin' && user.status === 'active' && (await countActiveAdmins(getDb())) <= 1;
  const done = new URL(request.url).searchParams.get('done');
  return { user, isSelf: admin.id === user.id, isLastAdmin, roleOptions: ROLES_FOR_KIND[user.organisationKind], done };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'user:manage');
  const userId = params.userId ?? '';
  const submission = parseWithZod(await readForm(request), { schema: userActionSchema });
  if (submission.status !== 'success') {
    // Only `role` is a visible field; anything else wrong means a stale or tampered form.
    const hidden = Object.keys(submission.error ?? {}).some((key) => key !== 'role');
    return invalid(submission.reply(hidden ? { formErrors: ['Reload the page and try again'] } : undefined));
  }
  const input = submission.value;
  const actor = auditActor(admin, context);
  const result =
    input.intent === 'change-role'
      ? await changeUserRole(getDb(), actor, { userId, role: input.role, version: input.version })
      : input.intent === 'deactivate'
        ? await deactivateUser(getDb(), actor, { userId, version: input.version })
        : await reactivateUser(getDb(), actor, { userId, version: input.version });
  if (!result.ok) {
    if (result.status === 404) throw notFound();
    const errors = result.field ? { fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message] };
    return invalid(submission.reply(errors), result.status);
  }
  return redirect(`/admin/users/${encodeURIComponent(userId)}?done=${result.changed}`, 303);
}

type LastResult = SubmissionResult<string[]> | undefined;
const intentOf = (result: LastResult) => (result?.initialValue as { intent?: string } | undefined)?.intent;

export default function AdminUser() {
  const { user, isSelf, isLastAdmin, roleOptions, done } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [roleForm, roleFields] = useForm<{ intent: string; role: string; version: string }>({ id: 'change-role', lastResult: intentOf(lastResult) === 'change-role' ? lastResult : undefined });
  const [statusForm] = useForm<{ intent: string; version: string }>({ id: 'change-status', lastResult: intentOf(lastResult) !== 'change-role' ? lastResult : undefined });
  const canChangeRole = roleOptions.length > 1 && !isSelf;
  return (
    <>
      <Link className="govuk-back-link" to="/admin/users">Back to users</Link>
      <FormErrorSummary form={roleForm} fields={{ role: roleFields.role }} />
      <FormErrorSummary form={statusForm} fields={{}} />
      {done ? <UserUpdatedBanner done={done} role={ROLE_LABELS[user.role]} /> : null}
      <span className="govuk-caption-l">{user.organisationName}</span>
      <h1 className="govuk-heading-l">{user.name}</h1>
      <dl className="govuk-summary-list">
        <Row label="Email address">{user.email}</Row>
        <Row label="Role">{ROLE_LABELS[user.role]}</Row>
        <Row label="Organisation">{user.organisationName} ({ORGANISATION_KIND_LABELS[user.organisationKind]})</Row>
        <Row label="Status">
          <strong className={`govuk-tag${user.status === 'active' ? ' govuk-tag--green' : ' govuk-tag--grey'}`}>{STATUS_LABELS[user.status]}</strong>
        </Row>
        <Row label="Last signed in">{user.last_signed_in_at ? formatDateTime(user.last_signed_in_at) : 'Never'}</Row>
        <Row label="Signed in now">{user.activeSessions === 0 ? 'No' : user.activeSessions === 1 ? 'Yes, on 1 device or browser' : `Yes, on ${user.activeSessions} devices or browsers`}</Row>
        <Row label="Account created">{formatDateTime(user.created_at)}</Row>
      </dl>
      <ul className="govuk-list">
        <li><Link className="govuk-link" to={`/admin/audit?subjectType=user&subjectId=${encodeURIComponent(user.id)}`}>Audit trail for this user’s account</Link></li>
        <li><Link className="govuk-link" to={`/admin/audit?actor=${encodeURIComponent(user.email)}`}>Everything this user has done</Link></li>
      </ul>

      <h2 className="govuk-heading-m">Role</h2>
      {isSelf ? (
        <p className="govuk-body">You cannot change your own role. Another administrator can.</p>
      ) : !canChangeRole ? (
        <p className="govuk-body">Users of a {ORGANISATION_KIND_LABELS[user.organisationKind].toLowerCase()} always have the role {ROLE_LABELS[user.role].toLowerCase()}. Only council users can be made officers or administrators.</p>
      ) : (
        <Form method="post" {...getFormProps(roleForm)}>
          <input type="hidden" name="intent" value="change-role" />
          <input type="hidden" name="version" value={user.updated_at} />
          {isLastAdmin ? <div className="govuk-inset-text">{user.name} is the only active administrator, so they stay an administrator until another council user is made one.</div> : null}
          <RadiosField
            field={roleFields.role}
            legend="Change role"
            hint="Administrators can also manage users, read the audit trail and change the portal’s settings."
            options={roleOptions.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            defaultValue={user.role}
          />
          <SubmitButton>Change role</SubmitButton>
        </Form>
      )}

      <h2 className="govuk-heading-m">Account</h2>
      <Form method="post" {...getFormProps(statusForm)}>
        <input type="hidden" name="version" value={user.updated_at} />
        {user.status === 'deactivated' ? (
          <>
            <p className="govuk-body">This account is deactivated: {user.name} cannot sign in. Reactivating lets them sign in again with their existing password.</p>
            <SubmitButton name="intent" value="reactivate" variant="secondary">Reactivate account</SubmitButton>
          </>
        ) : isSelf ? (
          <p className="govuk-body">You cannot deactivate your own account. Another administrator can.</p>
        ) : isLastAdmin ? (
          <p className="govuk-body">The only active administrator cannot be deactivated.</p>
        ) : (
          <>
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                Deactivating signs {user.name} out everywhere at once and stops them signing in. Their records stay, and you can reactivate the account later.
              </strong>
            </div>
            <SubmitButton name="intent" value="deactivate" variant="warning">Deactivate account</SubmitButton>
          </>
        )}
      </Form>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

function UserUpdatedBanner({ done, role }: { done: string; role: string }) {
  const message = done === 'role'
    ? `Role changed to ${role.toLowerCase()}`
    : done === 'deactivated'
      ? 'Account deactivated. They have been signed out everywhere.'
      : done === 'reactivated'
        ? 'Account reactivated. They can sign in again.'
        : null;
  if (!message) return null;
  return <SuccessBanner heading={message} headingElement="p" />;
}
