import type { ReactNode } from 'react';
import type { CreditRequestStatus } from '#db/schema';
import { CLAIM_STATUS_LABELS, CLAIM_STATUS_TAG_CLASSES } from './claims.schema';

// Small pieces the claim pages share.

export function ClaimStatusTag({ status }: { status: CreditRequestStatus }) {
  return <strong className={`govuk-tag ${CLAIM_STATUS_TAG_CLASSES[status]}`}>{CLAIM_STATUS_LABELS[status]}</strong>;
}

export function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export interface EvidenceItem {
  id: string;
  kind: 'file' | 'link';
  label: string;
  detail: string | null;
  href: string | null;
  url: string | null;
}

export function EvidenceList({ evidence }: { evidence: EvidenceItem[] }) {
  if (!evidence.length) return <p className="govuk-body">No evidence was attached.</p>;
  return (
    <ul className="govuk-list govuk-list--bullet">
      {evidence.map((e) => (
        <li key={e.id}>
          {e.href ? (
            e.kind === 'file'
              ? <a className="govuk-link" href={e.href} download>{e.label}</a>
              : <a className="govuk-link" href={e.href} rel="noopener noreferrer nofollow" target="_blank">{e.label} (opens in new tab)</a>
          ) : <span>{e.label}{e.url && e.url !== e.label ? `: ${e.url}` : ''}</span>}
          {e.detail ? ` (${e.detail})` : ''}
        </li>
      ))}
    </ul>
  );
}
