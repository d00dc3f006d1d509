import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { SuccessBanner } from '~/components/notification-banner';
import { OrganisationSummary, type OrganisationFacts } from '~/components/organisation-summary';
import { findOrganisationDetails } from '~/modules/organisations/organisations.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Your organisation' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'vcse:profile');
  // Scoped to the signed-in user's own organisation: there is no id in the URL to change.
  const organisation = await findOrganisationDetails(getDb(), user.organisationId);
  if (!organisation) throw notFound();
  const facts: OrganisationFacts = {
    name: organisation.name, status: organisation.status, wardName: organisation.ward_name,
    charityNumber: organisation.charity_number, companyNumber: organisation.company_number,
    description: organisation.description, website: organisation.website,
    contactName: organisation.contact_name, contactEmail: organisation.contact_email, contactPhone: organisation.contact_phone,
    registeredOn: formatDate(organisation.created_at),
    decidedOn: organisation.decided_at ? formatDate(organisation.decided_at) : null,
    decisionReason: organisation.status === 'rejected' ? organisation.decision_reason : null,
  };
  const saved = new URL(request.url).searchParams.get('done') === 'profile';
  return { organisation: facts, saved };
}

export default function YourOrganisation() {
  const { organisation, saved } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {saved ? <SuccessBanner heading="Your organisation’s details have been saved" headingElement="p" /> : null}
        <span className="govuk-caption-l">Your organisation</span>
        <h1 className="govuk-heading-l">{organisation.name}</h1>
        {organisation.status === 'pending' ? (
          <div className="govuk-inset-text">
            The council is checking your organisation’s details. We will email you when it has decided, usually within 10 working days of registering.
            Until then, nothing your organisation adds is shown to the public.
          </div>
        ) : organisation.status === 'rejected' ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              The council could not verify your organisation. The reason is shown below. If you think this is a mistake, or you can send more information,
              contact the council’s social value team.
            </strong>
          </div>
        ) : (
          <div className="govuk-inset-text">Your organisation is verified. What it posts on the community wishlist can be shown to the public.</div>
        )}
        <OrganisationSummary organisation={organisation} />
        {organisation.status === 'rejected' ? (
          <p className="govuk-body">To change these details, contact the council’s social value team.</p>
        ) : (
          <p className="govuk-body"><Link className="govuk-link" to="/organisation/edit">Change your organisation’s details</Link></p>
        )}
        <h2 className="govuk-heading-m">Your wishlist</h2>
        <p className="govuk-body">
          <Link className="govuk-link" to="/organisation/wishlist">See and add the things your organisation needs</Link>
        </p>
      </div>
    </div>
  );
}
