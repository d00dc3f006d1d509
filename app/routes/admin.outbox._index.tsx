import { getFormProps, useForm } from '@conform-to/react';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react';
import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { SelectField, TextField } from '~/components/form-fields';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { NOTIFICATION_STATUSES, NOTIFICATION_STATUS_LABELS as STATUS_LABELS, parseOutboxFilters, type NotificationStatus, type OutboxFilters } from '~/modules/notifications/outbox-browse.schema';
import { listNotifications } from '~/modules/notifications/outbox-browse.server';
import { isOutboxVisible } from '~/utils/env.server';
import { formatDateTime } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Outbox' };

// Development and demo only: in production email goes out by SMTP and this page does not exist.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'outbox:read');
  if (!isOutboxVisible()) throw notFound();
  const { searchParams } = new URL(request.url);
  const filters = parseOutboxFilters(searchParams);
  const result = await listNotifications(getDb(), filters, parsePage(searchParams.get('page')));
  return { filters, ...result };
}

const STATUS_TAGS: Record<NotificationStatus, string> = { pending: 'govuk-tag--blue', sent: 'govuk-tag--green', failed: 'govuk-tag--red' };

function NotificationStatusTag({ status, attempts }: { status: NotificationStatus; attempts: number }) {
  const label = status === 'pending' && attempts > 0 ? 'Retrying' : STATUS_LABELS[status];
  return <strong className={`govuk-tag ${STATUS_TAGS[status]}`}>{label}</strong>;
}

export default function Outbox() {
  const { filters, rows, total, all, byStatus, page, pageCount, pageSize } = useLoaderData<typeof loader>();
  const location = useLocation();
  const hrefFor = usePageHref();
  const statusHref = (status?: NotificationStatus) => {
    const next = new URLSearchParams();
    if (filters.to) next.set('to', filters.to);
    if (status) next.set('status', status);
    return `?${next}`;
  };
  return (
    <>
      <h1 className="govuk-heading-l">Outbox</h1>
      <p className="govuk-body">Every email the portal has queued, newest first. This page exists only in development and the demo, so you can follow invitation and password reset links without a mail server.</p>
      <nav aria-label="Messages by status">
        <ul className="govuk-list">
          {[undefined, ...NOTIFICATION_STATUSES].map((status) => {
            const label = `${status ? STATUS_LABELS[status] : 'All'} (${status ? byStatus[status] : all})`;
            const current = filters.status === status;
            return (
              <li key={status ?? 'all'} className="govuk-!-display-inline-block govuk-!-margin-right-4">
                {current ? <strong aria-current="page">{label}</strong> : <Link className="govuk-link" to={statusHref(status)}>{label}</Link>}
              </li>
            );
          })}
        </ul>
      </nav>
      <OutboxFiltersForm key={location.search} filters={filters} />
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['message', 'messages']} />
      {rows.length ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Messages, page {page} of {pageCount}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">To</th>
              <th scope="col" className="govuk-table__header">Subject</th>
              <th scope="col" className="govuk-table__header">Kind</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Created</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((message) => (
              <tr className="govuk-table__row" key={message.id}>
                <td className="govuk-table__cell">{message.to_email}</td>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/admin/outbox/${message.id}`}>{message.subject}</Link></td>
                <td className="govuk-table__cell"><code>{message.kind}</code></td>
                <td className="govuk-table__cell"><NotificationStatusTag status={message.status} attempts={message.attempts} /></td>
                <td className="govuk-table__cell">{formatDateTime(message.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={pageCount} hrefFor={hrefFor} />
    </>
  );
}

function OutboxFiltersForm({ filters }: { filters: OutboxFilters }) {
  const [form, fields] = useForm<{ to: string; status: string }>({
    id: 'outbox-filters',
    defaultValue: { to: filters.to ?? '', status: filters.status ?? '' },
  });
  return (
    <Form method="get" action="/admin/outbox" {...getFormProps(form)} className="app-filter" role="search" aria-label="Filter messages">
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <TextField field={fields.to} label="Recipient email address" hint="All or part of the address" spellCheck={false} />
        </div>
        <div className="govuk-grid-column-one-half">
          <SelectField field={fields.status} label="Status" placeholder="Any status" options={NOTIFICATION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
        </div>
      </div>
      <FilterActions clearTo="/admin/outbox" />
    </Form>
  );
}
