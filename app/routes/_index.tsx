import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { getUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { homeSummary } from '~/modules/home/home-summary.server';
import { ContractorHome } from '~/modules/contracts/contractor-home';
import { contractorHome } from '~/modules/contracts/contractor-home.server';

export const handle = { title: 'Home' };

// Public: each audience, signed in or not, is told what to do next.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const summary = await homeSummary(getDb(), user);
  return {
    user: user ? { name: user.name, role: user.role, organisationName: user.organisationName, organisationStatus: user.organisationStatus } : null,
    summary,
    contractor: user?.role === 'contractor' ? await contractorHome(getDb(), user) : null,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export default function Home() {
  const { user, summary, contractor } = useLoaderData<typeof loader>();
  if (!user) return <PublicHome />;
  return (
    <>
      <h1 className="govuk-heading-xl">Welcome, {user.name}</h1>
      <p className="govuk-body-l">You are signed in for {user.organisationName}.</p>
      {user.role === 'vcse' ? <VcseNext status={user.organisationStatus} /> : null}
      {contractor ? <ContractorHome {...contractor} /> : null}
      {summary.kind === 'staff' ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <div className="app-card">
              <h2 className="govuk-heading-m">Organisations to verify</h2>
              <p className="govuk-body">{plural(summary.staff.organisationsAwaiting, 'VCSE organisation is', 'VCSE organisations are')} waiting for verification.</p>
              <p className="govuk-body"><Link className="govuk-link" to="/officer/organisations">Review organisations</Link></p>
            </div>
          </div>
          <div className="govuk-grid-column-one-half">
            <div className="app-card">
              <h2 className="govuk-heading-m">Contractor invitations</h2>
              <p className="govuk-body">{plural(summary.staff.openInvitations, 'invitation is', 'invitations are')} open.</p>
              <p className="govuk-body"><Link className="govuk-link" to="/officer/invitations/new">Invite a contractor</Link></p>
            </div>
          </div>
          {can(user.role, 'user:manage') ? (
            <div className="govuk-grid-column-one-half">
              <div className="app-card">
                <h2 className="govuk-heading-m">Users</h2>
                <p className="govuk-body">{plural(summary.staff.activeUsers, 'active user', 'active users')}.</p>
                <p className="govuk-body"><Link className="govuk-link" to="/admin/users">Manage users</Link></p>
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function VcseNext({ status }: { status: string }) {
  return (
    <div className="app-card">
      <h2 className="govuk-heading-m">What to do next</h2>
      {status === 'pending' ? (
        <p className="govuk-body">Your organisation is waiting to be verified by the council. We will email you when it has been checked; until then nothing you add is shown to the public.</p>
      ) : status === 'rejected' ? (
        <p className="govuk-body">The council could not verify your organisation. <Link className="govuk-link" to="/organisation">See the reason and what you can do</Link>.</p>
      ) : (
        <p className="govuk-body">Your organisation is verified. <Link className="govuk-link" to="/organisation">Check your organisation’s public details</Link>.</p>
      )}
    </div>
  );
}

function PublicHome() {
  return (
    <>
      <h1 className="govuk-heading-xl">Social value from council contracts</h1>
      <p className="govuk-body-l">Companies that win council contracts promise social value in return: local jobs, apprenticeships, volunteering and support for community groups. This portal is where those promises are reported, checked and celebrated.</p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">Community groups</h2>
          <p className="govuk-body">If you run a voluntary, community or social enterprise organisation, <Link className="govuk-link" to="/register">register it</Link> to post the help you need.</p>
        </div>
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">Contractors</h2>
          <p className="govuk-body">Your council contact will invite you. Once you have an account, <Link className="govuk-link" to="/sign-in">sign in</Link> to report progress.</p>
        </div>
        <div className="govuk-grid-column-one-third">
          <h2 className="govuk-heading-m">Council staff</h2>
          <p className="govuk-body"><Link className="govuk-link" to="/sign-in">Sign in</Link> to review organisations and manage invitations.</p>
        </div>
      </div>
    </>
  );
}
