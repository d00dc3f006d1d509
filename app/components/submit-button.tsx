import { useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';

/** A GOV.UK button that cannot be pressed twice while its form is being sent. */
export function SubmitButton({ children, name, value, variant }: { children: ReactNode; name?: string; value?: string; variant?: 'secondary' | 'warning' }) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  return (
    <button
      type="submit"
      name={name}
      value={value}
      className={`govuk-button${variant ? ` govuk-button--${variant}` : ''}`}
      data-module="govuk-button"
      data-prevent-double-click="true"
      aria-disabled={busy || undefined}
      onClick={(event) => {
        if (busy) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
