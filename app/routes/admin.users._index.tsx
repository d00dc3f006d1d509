import { getFormProps, useForm } from '@conform-to/react';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { ROLES, ROLE_LABELS } from '~/auth/permissions';
import { SelectField, TextField } from '~/components/form-fields';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { ORGANISATION_KINDS, ORGANISATION_KIND_LABELS, STATUS_LABELS, USER_STATUSES, parseUserFilters, type UserFilters } from '~/modules/users/admin-users.schema';
import { listUsers } from '~/modules/users/admin-users.server';
import { formatDateTime } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Users' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'user:manage');
  const { searchParams } = new URL(request.url);
  const filters = parseUserFilters(searchParams);
  const result = await listUsers(getDb(), filters, parsePage(searchParams.get('page')));
  return { filters, ...result };
}

export default function AdminUsers() {
  const { filters, rows, total, page, pageCount, pageSize } = useLoaderData<typeof loader>();
  const location = useLocation();
  const hrefFor = usePageHref();
  return (
    <>
      <h1 className="govuk-heading-l">Users</h1>
      <p className="govuk-body">Everyone with an account: council staff, contractors and VCSE organisation users. Choose a user to change their role or deactivate their account.</p>
      <UserFiltersForm key={location.search} filters={filters} />
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['user', 'users']} />
      {rows.length ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Users, page {page} of {pageCount}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Name</th>
              <th scope="col" className="govuk-table__header">Email</th>
              <th scope="col" className="govuk-table__header">Role</th>
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Last signed in</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((user) => (
              <tr className="govuk-table__row" key={user.id}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/admin/users/${user.id}`}>{user.name}</Link></td>
                <td className="govuk-table__cell">{user.email}</td>
                <td className="govuk-table__cell">{ROLE_LABELS[user.role]}</td>
                <td className="govuk-table__cell">
                  {user.organisationName}
                  <br />
                  <span className="govuk-body-s govuk-!-margin-bottom-0">{ORGANISATION_KIND_LABELS[user.organisationKind]}</span>
                </td>
                <td className="govuk-table__cell"><StatusTag status={user.status} /></td>
                <td className="govuk-table__cell">{user.last_signed_in_at ? formatDateTime(user.last_signed_in_at) : 'Never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={pageCount} hrefFor={hrefFor} />
    </>
  );
}

function StatusTag({ status }: { status: 'active' | 'deactivated' }) {
  return <strong className={`govuk-tag${status === 'active' ? ' govuk-tag--green' : ' govuk-tag--grey'}`}>{STATUS_LABELS[status]}</strong>;
}

function UserFiltersForm({ filters }: { filters: UserFilters }) {
  const [form, fields] = useForm<Record<keyof UserFilters, string>>({
    id: 'user-filters',
    defaultValue: { q: filters.q ?? '', role: filters.role ?? '', status: filters.status ?? '', kind: filters.kind ?? '' },
  });
  return (
    <Form method="get" action="/admin/users" {...getFormProps(form)} className="app-filter" role="search" aria-label="Filter users">
      <h2 className="govuk-heading-m">Filter users</h2>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <TextField field={fields.q} label="Name or email address" hint="Part of a name or email address" spellCheck={false} />
        </div>
        <div className="govuk-grid-column-one-half">
          <SelectField field={fields.role} label="Role" placeholder="All roles" options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </div>
      </div>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <SelectField field={fields.status} label="Status" placeholder="Any status" options={USER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
        </div>
        <div className="govuk-grid-column-one-half">
          <SelectField field={fields.kind} label="Organisation type" placeholder="All organisation types" options={ORGANISATION_KINDS.map((k) => ({ value: k, label: ORGANISATION_KIND_LABELS[k] }))} />
        </div>
      </div>
      <FilterActions clearTo="/admin/users" />
    </Form>
  );
}
