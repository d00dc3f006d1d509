import { useEffect, useState } from 'react';

// "Print or save as PDF": a small enhancement. Without JavaScript the page
// says how to use the browser's own Print command instead.
export function PrintButton() {
  const [canPrint, setCanPrint] = useState(false);
  useEffect(() => setCanPrint(typeof window.print === 'function'), []);
  return canPrint ? (
    <button type="button" className="govuk-button govuk-button--secondary app-no-print" data-module="govuk-button" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  ) : (
    <p className="govuk-body app-no-print">To print this report or save it as a PDF, use your browser’s Print command (Ctrl+P, or ⌘P on a Mac) and choose “Save as PDF” as the printer.</p>
  );
}
