import { Link } from '@remix-run/react';

/** The end of a GET filter form: apply the filters, or go back to the unfiltered list. */
export function FilterActions({ clearTo, showClear = true, compact = false }: { clearTo: string; showClear?: boolean; compact?: boolean }) {
  const margin = compact ? ' govuk-!-margin-bottom-0' : '';
  return (
    <div className={`govuk-button-group${margin}`}>
      <button type="submit" className={`govuk-button govuk-button--secondary${margin}`} data-module="govuk-button">Apply filters</button>
      {showClear ? <Link className="govuk-link" to={clearTo}>Clear filters</Link> : null}
    </div>
  );
}
