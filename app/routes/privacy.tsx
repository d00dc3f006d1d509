import { useRouteLoaderData } from '@remix-run/react';
import type { loader as rootLoader } from '~/root';

export const handle = { title: 'Privacy notice' };

// Public: a static page. No loader or action.
export default function Privacy() {
  const authority = useRouteLoaderData<typeof rootLoader>('root')?.authorityName ?? 'The council';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Privacy notice</h1>
        <p className="govuk-body">{authority} is the data controller for the personal information held in this portal.</p>
        <h2 className="govuk-heading-m">What we collect</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>for people with an account: name, work email address, the organisation you belong to and your role</li>
          <li>a record of what each account did and when (the audit trail), so that decisions about contracts and public money can be checked</li>
          <li>for organisations that register: the organisation’s name, registration numbers, ward and a contact’s name, email and phone number</li>
          <li>to protect the service from misuse: a one-way scrambled form of your IP address and email when you sign in or send a form, kept for a short time</li>
        </ul>
        <h2 className="govuk-heading-m">Why we use it</h2>
        <p className="govuk-body">To manage the social value commitments in council contracts, a task carried out in the public interest under the Public Services (Social Value) Act 2012. We do not sell your information or use it for marketing.</p>
        <h2 className="govuk-heading-m">How long we keep it</h2>
        <p className="govuk-body">Account details are kept while the account is active and for 6 years after the last contract it relates to ends, in line with the council’s retention schedule for contract records. Sign-in sessions end after 7 days without use and after 30 days at most. Password reset links last 1 hour; invitations last 7 days.</p>
        <h2 className="govuk-heading-m">Your rights</h2>
        <p className="govuk-body">You can ask to see, correct or delete your information, or object to how it is used, by contacting the council’s data protection officer. You can complain to the Information Commissioner’s Office (ico.org.uk) if you are unhappy with how we have handled your data.</p>
      </div>
    </div>
  );
}
