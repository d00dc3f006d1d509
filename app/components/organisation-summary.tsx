import type { ReactNode } from 'react';

// An organisation's details as a GOV.UK summary list: for officers checking a
// VCSE organisation, and for the organisation's own users.

export interface OrganisationFacts {
  name: string;
  status: 'pending' | 'verified' | 'rejected';
  wardName: string | null;
  charityNumber: string | null;
  companyNumber: string | null;
  description: string | null;
  website: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  registeredOn: string;
  decidedOn: string | null;
  decidedBy?: string | null;
  decisionReason: string | null;
}

const STATUS_TAGS: Record<OrganisationFacts['status'], { label: string; className: string }> = {
  pending: { label: 'Awaiting verification', className: 'govuk-tag--yellow' },
  verified: { label: 'Verified', className: 'govuk-tag--green' },
  rejected: { label: 'Rejected', className: 'govuk-tag--red' },
};

export function StatusTag({ status }: { status: OrganisationFacts['status'] }) {
  return <strong className={`govuk-tag ${STATUS_TAGS[status].className}`}>{STATUS_TAGS[status].label}</strong>;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

const none = 'Not given';

/** `showChecks` adds links to the public registers and who decided (for officers). */
export function OrganisationSummary({ organisation: o, showChecks = false }: { organisation: OrganisationFacts; showChecks?: boolean }) {
  return (
    <dl className="govuk-summary-list">
      <Row label="Status"><StatusTag status={o.status} /></Row>
      <Row label="Ward">{o.wardName ?? none}</Row>
      <Row label="Registered charity number">
        {o.charityNumber ?? none}
        {showChecks && o.charityNumber ? (
          <><br /><a className="govuk-link" href="https://register-of-charities.charitycommission.gov.uk/" rel="noreferrer noopener" target="_blank">Check the register of charities (opens in new tab)</a></>
        ) : null}
      </Row>
      <Row label="Company number">
        {o.companyNumber ?? none}
        {showChecks && o.companyNumber ? (
          <>
            <br />
            <a className="govuk-link" href={`https://find-and-update.company-information.service.gov.uk/company/${encodeURIComponent(o.companyNumber)}`} rel="noreferrer noopener" target="_blank">
              Check it on Companies House (opens in new tab)
            </a>
          </>
        ) : null}
      </Row>
      <Row label="What it does"><span className="app-pre">{o.description ?? none}</span></Row>
      {o.website ? <Row label="Website">{o.website}</Row> : null}
      <Row label="Contact">
        {o.contactName ?? none}
        {o.contactEmail ? <><br />{o.contactEmail}</> : null}
        {o.contactPhone ? <><br />{o.contactPhone}</> : null}
      </Row>
      <Row label="Registered">{o.registeredOn}</Row>
      {o.decidedOn ? <Row label={o.status === 'rejected' ? 'Rejected' : 'Verified'}>{o.decidedOn}{showChecks && o.decidedBy ? ` by ${o.decidedBy}` : ''}</Row> : null}
      {o.decisionReason && (showChecks || o.status === 'rejected') ? <Row label="Reason"><span className="app-pre">{o.decisionReason}</span></Row> : null}
    </dl>
  );
}
