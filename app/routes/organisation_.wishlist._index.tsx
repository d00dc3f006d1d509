import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import type { WishlistStatus } from '#db/schema';
import { requirePermission } from '~/auth/guards.server';
import { FilterActions } from '~/components/filter-actions';
import { FilterSelect } from '~/components/filter-select';
import { formatPence } from '~/modules/contracts/figures';
import { listOwnItems } from '~/modules/wishlist/items.server';
import { ItemStatusTag } from '~/modules/wishlist/items.ui';
import { CATEGORY_LABELS, STATUS_LABELS, WISHLIST_STATUSES } from '~/modules/wishlist/wishlist';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Your wishlist' };

// A VCSE organisation's own wishlist items, every status, most recently changed first.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'wishlist:manage');
  const wanted = new URL(request.url).searchParams.get('status') ?? '';
  const status = (WISHLIST_STATUSES as readonly string[]).includes(wanted) ? (wanted as WishlistStatus) : undefined;
  const items = await listOwnItems(getDb(), user.organisationId, status);
  return {
    status: status ?? '',
    verified: user.organisationStatus === 'verified',
    items: items.map((i) => ({
      id: i.id, title: i.title, status: i.status, category: CATEGORY_LABELS[i.category], value: formatPence(i.estimated_value_pence),
      neededBy: i.needed_by ? formatDate(i.needed_by) : 'No date', ward: i.ward_name ?? 'Not one ward', updated: formatDate(i.updated_at),
    })),
  };
}

const STATUS_OPTIONS = WISHLIST_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

export default function OwnWishlist() {
  const { status, verified, items } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">Your organisation</span>
      <h1 className="govuk-heading-l">Your wishlist</h1>
      <p className="govuk-body">
        Tell local contractors what your organisation needs. The council checks each item before it appears on the public community wishlist.
      </p>
      {!verified ? (
        <div className="govuk-inset-text">You can add and save items now. You can submit them to the council once it has verified your organisation.</div>
      ) : null}
      <Link className="govuk-button" to="/organisation/wishlist/new">Add an item</Link>
      <Form method="get" className="app-filter" aria-label="Filter your items">
        <FilterSelect name="status" label="Status" options={STATUS_OPTIONS} all="All statuses" value={status} />
        <FilterActions clearTo="/organisation/wishlist" showClear={Boolean(status)} compact />
      </Form>
      {items.length === 0 ? (
        <p className="govuk-body">{status ? 'No items have this status.' : 'Your organisation has not added any items yet.'}</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">{status ? `${STATUS_LABELS[status as WishlistStatus]} items` : 'All items'} ({items.length})</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Item</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Estimated value</th>
              <th scope="col" className="govuk-table__header">Needed by</th>
              <th scope="col" className="govuk-table__header">Last changed</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {items.map((i) => (
              <tr className="govuk-table__row" key={i.id}>
                <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
                  <Link className="govuk-link" to={`/organisation/wishlist/${i.id}`}>{i.title}</Link>
                  <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">{i.category} · {i.ward}</span>
                </th>
                <td className="govuk-table__cell"><ItemStatusTag status={i.status} /></td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{i.value}</td>
                <td className="govuk-table__cell">{i.neededBy}</td>
                <td className="govuk-table__cell">{i.updated}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
