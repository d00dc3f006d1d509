// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorSummary } from './error-summary';

describe('ErrorSummary', () => {
  it('renders nothing without errors', () => {
    const { container } = render(<ErrorSummary errors={[]} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('lists each error as a link to its field and takes focus', () => {
    render(
      <>
        <ErrorSummary errors={[{ fieldId: 'email', message: 'Enter your email address' }, { fieldId: 'password', message: 'Enter your password' }]} />
        <input id="email" aria-label="Email" />
      </>,
    );
    const summary = screen.getByRole('alert');
    expect(summary).toHaveTextContent('There is a problem');
    expect(screen.getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
    expect(screen.getByRole('link', { name: 'Enter your password' })).toHaveAttribute('href', '#password');
    expect(document.activeElement).toBe(summary);
  });

  it('escapes what the user typed instead of running it', () => {
    render(<ErrorSummary errors={[{ fieldId: 'name', message: '<img src=x onerror=alert(1)>' }]} />);
    expect(screen.getByRole('link')).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img')).toBeNull();
  });
});
