// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SuccessBanner } from './notification-banner';

describe('SuccessBanner', () => {
  it('is an alert labelled by its "Success" title, with the heading and any further content', () => {
    render(
      <SuccessBanner heading="Invitation sent to a@example.com">
        <p className="govuk-body">The link in the email works once and expires in 7 days.</p>
      </SuccessBanner>,
    );
    const banner = screen.getByRole('alert', { name: 'Success' });
    expect(banner).toHaveClass('govuk-notification-banner', 'govuk-notification-banner--success');
    expect(screen.getByRole('heading', { level: 3, name: 'Invitation sent to a@example.com' })).toHaveClass('govuk-notification-banner__heading');
    expect(banner).toHaveTextContent('The link in the email works once and expires in 7 days.');
  });

  it('can give a one-line message as a paragraph instead of a heading', () => {
    render(<SuccessBanner heading="Account reactivated. They can sign in again." headingElement="p" />);
    expect(screen.queryByRole('heading', { level: 3 })).toBeNull();
    const message = screen.getByText('Account reactivated. They can sign in again.');
    expect(message.tagName).toBe('P');
    expect(message).toHaveClass('govuk-notification-banner__heading');
  });

  it('gives each banner on a page its own title id', () => {
    render(<><SuccessBanner heading="One" /><SuccessBanner heading="Two" /></>);
    const [first, second] = screen.getAllByRole('alert');
    const firstId = first!.getAttribute('aria-labelledby');
    expect(firstId).toBeTruthy();
    expect(firstId).not.toBe(second!.getAttribute('aria-labelledby'));
    expect(document.getElementById(firstId!)).toHaveTextContent('Success');
  });
});
