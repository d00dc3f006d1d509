import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { FilterSelect } from '~/components/filter-select';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { CONTRACTS_PAGE_SIZE, listContracts, scopeFor } from '~/modules/contracts/contract-figures.server';
import { ContractStatusTag } from '~/modules/contracts/contract-ui';
import { CONTRACT_SORTS, CONTRACT_STATUSES, CONTRACT_STATUS_LABELS, parseContractFilters } from '~/modules/contracts/contracts.schema';
import { listAllOfficers, listAllSuppliers, listThemes } from '~/modules/contracts/contracts.server';
import { findContractsImport } from '~/modules/contracts/contracts-import.server';
import { importedMessage } from '~/modules/contracts/contracts-import.schema';
import { formatPence } from '~/modules/contracts/figures';
import { listWards } from '~/modules/organisations/organisations.server';
import { formatDate } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Contracts' };

// Officers and administrators see every contract; a contractor the same page,
// scoped in the query to their own organisation's contracts.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'contract:read');
  const url = new URL(request.url);
  const filters = parseContractFilters(url.searchParams);
  const page = parsePage(url.searchParams.get('page'));
  const scope = scopeFor(user);
  const staff = scope.supplierId === null;
  const db = getDb();
  const [{ total, contracts }, suppliers, officers, themes, wards] = await Promise.all([
    listContracts(db, scope, filters, page),
    staff ? listAllSuppliers(db) : Promise.resolve([]),
    listAllOfficers(db, scope),
    listThemes(db),
    listWards(db),
  ]);
  // After a CSV import (/contracts/import): the banner's counts come from the import's audit event.
  const importedId = url.searchParams.get('imported');
  const imported = staff && importedId ? await findContractsImport(db, importedId.slice(0, 100)) : null;
  return {
    imported: imported ? importedMessage(imported) : null,
    staff,
    canManage: can(user.role, 'contract:manage'),
    organisationName: user.organisationName,
    filters,
    page,
    pageSize: CONTRACTS_PAGE_SIZE,
    total,
    options: {
      suppliers: suppliers.map((s) => ({ value: s.id, label: s.name })),
      officers: officers.map((o) => ({ value: o.id, label: o.name })),
      themes: themes.map((t) => ({ value: t, label: t })),
      wards: wards.map((w) => ({ value: w.id, label: w.name })),
    },
    contracts: contracts.map((c) => ({
      id: c.id, reference: c.reference, title: c.title, supplierName: c.supplierName, status: c.status,
      value: formatPence(c.valuePence), starts: formatDate(c.startDate), ends: formatDate(c.endDate),
      committed: formatPence(c.totals.committedPence), delivered: formatPence(c.totals.deliveredPence),
    })),
  };
}

const SORT_OPTIONS = Object.entries(CONTRACT_SORTS).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = CONTRACT_STATUSES.map((s) => ({ value: s, label: CONTRACT_STATUS_LABELS[s] }));

export default function Contracts() {
  const { imported, staff, canManage, organisationName, filters, page, pageSize, total, options, contracts } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  const location = useLocation();
  const num = 'govuk-table__cell govuk-table__cell--numeric';
  return (
    <>
      {imported ? <SuccessBanner heading={imported} /> : null}
      <h1 className="govuk-heading-l">{staff ? 'Contracts' : `${organisationName}: contracts`}</h1>
      {canManage ? (
        <div className="govuk-button-group">
          <Link className="govuk-button" role="button" data-module="govuk-button" to="/contracts/new">Create a contract</Link>
          <Link className="govuk-link" to="/contracts/import">Import contracts from a CSV file</Link>
        </div>
      ) : null}
      <div className="app-filter">
        <Form method="get" key={location.search} aria-label="Filter and sort contracts">
          <h2 className="govuk-heading-m">Filter and sort</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <div className="govuk-form-group">
                <label className="govuk-label govuk-label--s" htmlFor="filter-q">Reference or title</label>
                <input className="govuk-input" id="filter-q" name="q" type="search" defaultValue={filters.q ?? ''} spellCheck={false} />
              </div>
            </div>
            {staff ? (
              <div className="govuk-grid-column-one-third">
                <FilterSelect name="supplier" label="Supplier" all="All suppliers" options={options.suppliers} value={filters.supplier} />
              </div>
            ) : null}
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="officer" label="Responsible officer" all="All officers" options={options.officers} value={filters.officer} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="status" label="Status" all="Any status" options={STATUS_OPTIONS} value={filters.status} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="theme" label="Theme of a commitment" all="Any theme" options={options.themes} value={filters.theme} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="ward" label="Ward of a commitment" all="Any ward" options={options.wards} value={filters.ward} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="sort" label="Sort by" all="" options={SORT_OPTIONS} value={filters.sort} />
            </div>
            <div className="govuk-grid-column-one-third">
              <FilterSelect name="order" label="Order" all="" options={[{ value: 'asc', label: 'Ascending' }, { value: 'desc', label: 'Descending' }]} value={filters.order} />
            </div>
          </div>
          <FilterActions clearTo="/contracts" />
        </Form>
      </div>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['contract', 'contracts']} />
      {contracts.length > 0 ? (
        <table className="govuk-table govuk-!-font-size-16">
          <caption className="govuk-table__caption govuk-visually-hidden">Contracts, sorted by {CONTRACT_SORTS[filters.sort].toLowerCase()}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Reference</th>
              <th scope="col" className="govuk-table__header">Title</th>
              {staff ? <th scope="col" className="govuk-table__header">Supplier</th> : null}
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Value</th>
              <th scope="col" className="govuk-table__header">Dates</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Committed</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Delivered</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {contracts.map((c) => (
              <tr className="govuk-table__row" key={c.id}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/contracts/${c.id}`}>{c.reference}</Link></td>
                <td className="govuk-table__cell">{c.title}</td>
                {staff ? <td className="govuk-table__cell">{c.supplierName}</td> : null}
                <td className={num}>{c.value}</td>
                <td className="govuk-table__cell">{c.starts} to {c.ends}</td>
                <td className="govuk-table__cell"><ContractStatusTag status={c.status} /></td>
                <td className={num}>{c.committed}</td>
                <td className={num}>{c.delivered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
