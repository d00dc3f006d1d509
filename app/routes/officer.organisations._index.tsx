import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { STATUS_LABELS, VCSE_STATUSES, type VcseStatus } from '~/modules/organisations/verification.schema';
import { findOrganisation } from '~/modules/organisations/organisations.server';
import { ORGANISATIONS_PAGE_SIZE, countVcseByStatus, listVcseOrganisations } from '~/modules/organisations/verification.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'VCSE organisations' };

function parseStatus(value: string | null): VcseStatus {
  return (VCSE_STATUSES as readonly string[]).includes(value ?? '') ? (value as VcseStatus) : 'pending';
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'organisation:verify');
  const url = new URL(request.url);
  const status = parseStatus(url.searchParams.get('status'));
  const page = parsePage(url.searchParams.get('page'));
  const db = getDb();
  const decidedId = url.searchParams.get('decided');
  const [counts, organisations, decided] = await Promise.all([
    countVcseByStatus(db), listVcseOrganisations(db, { status, page }), decidedId ? findOrganisation(db, decidedId) : undefined,
  ]);
  return {
    decided: decided && decided.kind === 'vcse' && decided.status !== 'pending' ? { name: decided.name, status: decided.status } : null,
    status,
    page,
    pageSize: ORGANISATIONS_PAGE_SIZE,
    counts,
    organisations: organisations.map((o) => ({
      id: o.id, name: o.name, wardName: o.ward_name, charityNumber: o.charity_number, companyNumber: o.company_number,
      contactName: o.contact_name, contactEmail: o.contact_email,
      registeredOn: formatDate(o.created_at), decidedOn: o.decided_at ? formatDate(o.decided_at) : null,
    })),
  };
}

const TAB_LABELS: Record<VcseStatus, string> = { pending: 'Awaiting verification', verified: 'Verified', rejected: 'Rejected' };

export default function Organisations() {
  const { status, page, pageSize, counts, organisations, decided } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  return (
    <>
      {decided ? (
        <SuccessBanner heading={`${decided.name} has been ${decided.status}`}>
          <p className="govuk-body">We have emailed the organisation to tell them.</p>
        </SuccessBanner>
      ) : null}
      <h1 className="govuk-heading-l">VCSE organisations</h1>
      <p className="govuk-body">Voluntary, community and social enterprise organisations register themselves. Check each one before anything it posts is shown to the public.</p>
      <div className="govuk-grid-row">
        <nav className="govuk-grid-column-one-quarter" aria-label="Filter organisations by status">
          <h2 className="govuk-heading-s">Status</h2>
          <ul className="govuk-list">
            {VCSE_STATUSES.map((s) => (
              <li key={s}>
                {s === status ? (
                  <strong aria-current="page">{TAB_LABELS[s]} ({counts[s]})</strong>
                ) : (
                  <Link className="govuk-link" to={s === 'pending' ? '?' : `?status=${s}`}>{TAB_LABELS[s]} ({counts[s]})</Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <div className="govuk-grid-column-three-quarters">
          <h2 className="govuk-heading-m">{STATUS_LABELS[status]}</h2>
          {status === 'pending' ? <p className="govuk-body">Oldest first: the organisation that has waited longest is at the top.</p> : null}
          <ResultsCount page={page} pageSize={pageSize} total={counts[status]} noun={['organisation', 'organisations']} />
          {organisations.length > 0 ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">{STATUS_LABELS[status]} VCSE organisations</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">Organisation</th>
                  <th scope="col" className="govuk-table__header">Ward</th>
                  <th scope="col" className="govuk-table__header">Charity or company number</th>
                  <th scope="col" className="govuk-table__header">Contact</th>
                  <th scope="col" className="govuk-table__header">Registered</th>
                  {status !== 'pending' ? <th scope="col" className="govuk-table__header">Decided</th> : null}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {organisations.map((o) => (
                  <tr className="govuk-table__row" key={o.id}>
                    <td className="govuk-table__cell"><Link className="govuk-link" to={`/officer/organisations/${o.id}`}>{o.name}</Link></td>
                    <td className="govuk-table__cell">{o.wardName ?? 'Not given'}</td>
                    <td className="govuk-table__cell">
                      {o.charityNumber ? <>Charity {o.charityNumber}<br /></> : null}
                      {o.companyNumber ? <>Company {o.companyNumber}</> : null}
                      {!o.charityNumber && !o.companyNumber ? 'None given' : null}
                    </td>
                    <td className="govuk-table__cell">{o.contactName}<br /><span className="govuk-body-s">{o.contactEmail}</span></td>
                    <td className="govuk-table__cell">{o.registeredOn}</td>
                    {status !== 'pending' ? <td className="govuk-table__cell">{o.decidedOn}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Pagination page={page} pageCount={Math.ceil(counts[status] / pageSize)} hrefFor={hrefFor} />
        </div>
      </div>
    </>
  );
}
