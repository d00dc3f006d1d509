import { useId, type ReactNode } from 'react';

/**
 * The GOV.UK success notification banner: the one way to confirm that
 * something worked. `heading` is the message; `children` (for example a
 * `govuk-body` paragraph or a `govuk-notification-banner__link`) follow it as
 * given. A banner with only a one-line message may render it as a paragraph
 * (`headingElement="p"`), as GOV.UK's own component does for plain text.
 */
export function SuccessBanner({ heading, children, headingElement: Heading = 'h3' }: { heading: ReactNode; children?: ReactNode; headingElement?: 'h3' | 'p' }) {
  const titleId = useId();
  return (
    <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby={titleId} data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>Success</h2>
      </div>
      <div className="govuk-notification-banner__content">
        <Heading className="govuk-notification-banner__heading">{heading}</Heading>
        {children}
      </div>
    </div>
  );
}
