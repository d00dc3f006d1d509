import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { ROLE_LABELS } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { countActiveSessions } from '~/modules/users/account.server';
import { getNewsletterOptIn, setNewsletterOptIn } from '~/modules/newsletters/opt-in.server';
import { readForm } from '~/utils/form.server';

export const handle = { title: 'Your account' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'account:manage');
  const [sessions, newsletterOptIn] = await Promise.all([countActiveSessions(getDb(), user.id), getNewsletterOptIn(getDb(), user.id)]);
  return {
    name: user.name,
    email: user.email,
    role: ROLE_LABELS[user.role],
    organisationName: user.organisationName,
    sessions,
    passwordChanged: new URL(request.url).searchParams.get('changed') === '1',
    newsletterOptIn,
    newsletterSaved: new URL(request.url).searchParams.get('newsletter') === 'saved',
    alwaysGetsNewsletter: user.role === 'contractor',
  };
}

// The quarterly newsletter: opt in or out (audited). Contractor users always receive it (ADR 0020).
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'account:manage');
  const form = await readForm(request);
  if (form.get('intent') !== 'newsletter') throw new Response('Choose an action on your account page.', { status: 400 });
  await setNewsletterOptIn(getDb(), user.id, form.get('newsletter') === 'yes', auditActor(user, context));
  return redirect('/account?newsletter=saved', 303);
}

export default function Account() {
  const { name, email, role, organisationName, sessions, passwordChanged, newsletterOptIn, newsletterSaved, alwaysGetsNewsletter } = useLoaderData<typeof loader>();
  const rows: [string, string][] = [['Name', name], ['Email address', email], ['Role', role], ['Organisation', organisationName]];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {passwordChanged ? (
          <SuccessBanner heading="Your password has been changed">
            <p className="govuk-body">You are still signed in here. Any other devices have been signed out. We have sent an email to confirm the change.</p>
          </SuccessBanner>
        ) : null}
        {newsletterSaved ? <SuccessBanner heading="Your newsletter choice has been saved" headingElement="p" /> : null}
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

        <h2 className="govuk-heading-m">Newsletter</h2>
        <p className="govuk-body">The council’s quarterly newsletter celebrates stories of impact and the quarter’s figures. Past issues are in the <Link className="govuk-link" to="/newsletters">newsletter archive</Link>.</p>
        {alwaysGetsNewsletter ? (
          <p className="govuk-body">As a contractor user you receive it whatever you choose here.</p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="newsletter" />
          <div className="govuk-form-group">
            <div className="govuk-checkboxes" data-module="govuk-checkboxes">
              <div className="govuk-checkboxes__item">
                <input className="govuk-checkboxes__input" id="newsletter" name="newsletter" type="checkbox" value="yes" defaultChecked={newsletterOptIn} />
                <label className="govuk-label govuk-checkboxes__label" htmlFor="newsletter">Send me the quarterly newsletter</label>
              </div>
            </div>
          </div>
          <SubmitButton variant="secondary">Save newsletter choice</SubmitButton>
        </Form>

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
