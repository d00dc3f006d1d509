// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FieldMetadata } from '@conform-to/react';
import { TextField } from './form-fields';

function field(overrides: Partial<{ errors: string[]; initialValue: string }>): FieldMetadata<string> {
  return { id: 'f-email', name: 'email', errorId: 'f-email-error', descriptionId: 'f-email-description', ...overrides } as unknown as FieldMetadata<string>;
}

describe('TextField', () => {
  it('links the label, hint and error message to the input', () => {
    render(<TextField field={field({ errors: ['Enter an email address'], initialValue: 'not-an-email' })} label="Email address" hint="We will send the link here" />);
    const input = screen.getByLabelText('Email address');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/We will send the link here.*Error: Enter an email address/);
    expect(input).toHaveValue('not-an-email');
    expect(input.closest('.govuk-form-group')).toHaveClass('govuk-form-group--error');
  });

  it('never puts a password back into the form', () => {
    render(<TextField field={field({ initialValue: 'secret-password-1' })} label="Password" type="password" />);
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('has no error state when valid', () => {
    render(<TextField field={field({})} label="Email address" />);
    expect(screen.getByLabelText('Email address')).not.toHaveAttribute('aria-invalid');
  });
});
