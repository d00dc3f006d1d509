import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, parsePage, usePageHref } from '~/components/pagination';
import { formatPence } from '~/modules/contracts/figures';
import { countOrganisationsAwaitingVerification, listModerationQueue, QUEUE_PAGE_SIZE } from '~/modules/wishlist/moderation.server';
import { CATEGORY_LABELS } from '~/modules/wishlist/wishlist';
import { DAY, formatDate } from '~/utils/time';

export const handle = { title: 'Wishlist items to check' };

// The moderation queue: submitted items, oldest first, and a panel for VCSE
// organisations awaiting verification (decided at /officer/organisations).

const DONE: Record<string, string> = { approve: 'Item approved and published', reject: 'Item rejected', correct: 'Item corrected' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'wishlist:moderate');
  const url = new URL(request.url);
  const page = parsePage(url.searchParams.get('page'));
  const db = getDb();
  const [queue, pendingOrganisations] = await Promise.all([listModerationQueue(db, page), countOrganisationsAwaitingVerification(db)]);
  const now = Date.now();
  return {
    done: DONE[url.searchParams.get('done') ?? ''] ?? null,
    page,
    pageCount: Math.max(1, Math.ceil(queue.total / QUEUE_PAGE_SIZE)),
    total: queue.total,
    pendingOrganisations,
    items: queue.items.map((i) => ({
      id: i.id, title: i.title, organisation: i.organisation_name, organisationVerified: i.organisation_status === 'verified',
      category: CATEGORY_LABELS[i.category], theme: i.theme, ward: i.ward_name ?? 'Not one ward', value: formatPence(i.estimated_value_pence),
      submitted: i.submitted_at ? formatDate(i.submitted_at) : '', ageDays: i.submitted_at ? Math.max(0, Math.floor((now - Date.parse(i.submitted_at)) / DAY)) : 0,
      resubmitted: Boolean(i.decision_reason),
    })),
  };
}

export default function ModerationQueue() {
  const { done, page, pageCount, total, pendingOrganisations, items } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  const [params] = useSearchParams();
  return (
    <>
      {done && params.get('item') ? <SuccessBanner heading={done} headingElement="p" /> : null}
      <h1 className="govuk-heading-l">Wishlist items to check</h1>
      <p className="govuk-body">VCSE organisations’ needs wait here until an officer approves them for the public wishlist or rejects them with a reason. Oldest first.</p>
      <div className="govuk-inset-text" data-testid="organisations-panel">
        {pendingOrganisations === 0
          ? 'No VCSE organisations are waiting for verification.'
          : `${pendingOrganisations} VCSE ${pendingOrganisations === 1 ? 'organisation is' : 'organisations are'} waiting for verification. Their items cannot be submitted until they are verified.`}{' '}
        <Link className="govuk-link" to="/officer/organisations">Check organisations</Link>
      </div>
      {items.length === 0 ? (
        <p className="govuk-body">There are no items to check.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Items waiting ({total})</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Item</th>
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Estimated value</th>
              <th scope="col" className="govuk-table__header">Submitted</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((i) => (
              <tr className="govuk-table__row" key={i.id}>
                <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                  <Link className="govuk-link" to={`/officer/wishlist/${i.id}`}>{i.title}</Link>
                  <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">{i.category} · {i.theme} · {i.ward}{i.resubmitted ? ' · resubmitted after a rejection' : ''}</span>
                </th>
                <td className="govuk-table__cell">{i.organisation}{i.organisationVerified ? '' : <strong className="govuk-tag govuk-tag--yellow govuk-!-margin-left-1">Not verified</strong>}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{i.value}</td>
                <td className="govuk-table__cell">{i.submitted}<span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">{i.ageDays === 0 ? 'today' : `${i.ageDays} ${i.ageDays === 1 ? 'day' : 'days'} ago`}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pageCount} hrefFor={hrefFor} />
    </>
  );
}
