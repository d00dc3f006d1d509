import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requirePermission } from '~/auth/guards.server';

export const handle = { title: 'Registration received' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'vcse:profile');
  return { organisationName: user.organisationName, email: user.email, status: user.organisationStatus };
}

export default function RegistrationDone() {
  const { organisationName, email, status } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">Registration received</h1>
          <div className="govuk-panel__body">{organisationName}</div>
        </div>
        <p className="govuk-body">We have sent a confirmation email to <strong>{email}</strong>. You are now signed in.</p>
        <h2 className="govuk-heading-m">What happens next</h2>
        {status === 'pending' ? (
          <p className="govuk-body">A council officer will check your organisation’s details, usually within 10 working days. We will email you when they have decided. Until then, nothing your organisation adds is shown to the public.</p>
        ) : (
          <p className="govuk-body">The council has already looked at your registration.</p>
        )}
        <p className="govuk-body"><Link className="govuk-link" to="/organisation">See your organisation’s details and status</Link></p>
      </div>
    </div>
  );
}
