import { useRouteLoaderData } from '@remix-run/react';
import type { loader as rootLoader } from '~/root';

export const handle = { title: 'Accessibility statement' };

// Public: a static page every visitor must be able to read. No loader or action.
export default function Accessibility() {
  const authority = useRouteLoaderData<typeof rootLoader>('root')?.authorityName ?? 'The council';
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement</h1>
        <p className="govuk-body">This statement applies to the social value portal run by {authority}. We want as many people as possible to be able to use it. You should be able to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using your browser or device settings</li>
          <li>zoom in up to 400% without the text spilling off the screen</li>
          <li>navigate the whole service using just a keyboard</li>
          <li>use every form with JavaScript turned off</li>
          <li>listen to the service using a screen reader</li>
        </ul>
        <h2 className="govuk-heading-m">How accessible this service is</h2>
        <p className="govuk-body">The portal is built on the GOV.UK Design System’s tested patterns and aims to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. Every page in our automated journeys is checked with the axe accessibility engine on each change, and we fail the build on any issue it finds.</p>
        <h2 className="govuk-heading-m">Reporting problems and asking for another format</h2>
        <p className="govuk-body">If you find a problem, or need information from this service in a different format such as large print or easy read, contact the council’s social value team. We will reply within 5 working days.</p>
        <h2 className="govuk-heading-m">Enforcement procedure</h2>
        <p className="govuk-body">The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).</p>
        <h2 className="govuk-heading-m">Technical information</h2>
        <p className="govuk-body">Automated checks cannot find every barrier. The council should commission a manual audit by an accessibility specialist, and publish its date and findings here, before the service goes live.</p>
      </div>
    </div>
  );
}
