import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { ROLE_LABELS } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { countActiveSessions } from '~/modules/users/account.server';

export const handle = { title: 'Your account' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'account:manage');
  const sessions = await countActiveSessions(getDb(), user.id);
  return {
    name: user.name,
    email: user.email,
    role: ROLE_LABELS[user.role],
    organisationName: user.organisationName,
    sessions,
    passwordChanged: new URL(request.url).searchParams.get('changed') === '1',
  };
}

export default function Account() {
  const { name, email, role, organisationName, sessions, passwordChanged } = useLoaderData<typeof loader>();
  const rows: [string, string][] = [['Name', name], ['Email address', email], ['Role', role], ['Organisation', organisationName]];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {passwordChanged ? (
          <SuccessBanner heading="Your password has been changed">
            <p className="govuk-body">You are still signed in here. Any other devices have been signed out. We have sent an email to confirm the change.</p>
          </SuccessBanner>
        ) : null}
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          {rows.map(([key, value]) => (
            <div className="govuk-summary-list__row" key={key}>
              <dt className="govuk-summary-list__key">{key}</dt>
              <dd className="govuk-summary-list__value">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="govuk-body">To change your name, email address or organisation, contact the council’s social value team.</p>

        <h2 className="govuk-heading-m">Password</h2>
        <p className="govuk-body"><Link className="govuk-link" to="/account/password">Change your password</Link></p>

        <h2 className="govuk-heading-m">Sign out everywhere</h2>
        <p className="govuk-body">
          You are signed in on {sessions === 1 ? '1 device or browser' : `${sessions} devices or browsers`}. If you have lost a device, or signed in on a shared computer,
          you can sign out of all of them, including this one.
        </p>
        <Form method="post" action="/account/sign-out-everywhere">
          <SubmitButton variant="secondary">Sign out everywhere</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
