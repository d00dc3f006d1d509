import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData, useLocation, useSearchParams } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, SelectField, TextField } from '~/components/form-fields';
import { PrevNextPagination } from '~/components/pagination';
import { auditFiltersSchema, parseAuditCursor } from '~/modules/audit/audit-browse.schema';
import { auditFacets, browseAudit, type AuditEventRow } from '~/modules/audit/audit-browse.server';
import { formatDateTime } from '~/utils/time';
import { FilterActions } from '~/components/filter-actions';

export const handle = {
  title: (loaderData: unknown) => ((loaderData as { invalid?: boolean } | undefined)?.invalid ? 'Error: Audit trail' : 'Audit trail'),
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:read');
  const { searchParams } = new URL(request.url);
  const submission = parseWithZod(searchParams, { schema: auditFiltersSchema });
  const facets = await auditFacets(getDb());
  if (submission.status !== 'success') {
    return data({ invalid: true, reply: submission.reply(), facets, page: { events: [] as AuditEventRow[], newerThan: null, olderThan: null } }, { status: 400 });
  }
  const page = await browseAudit(getDb(), submission.value, parseAuditCursor(searchParams));
  return data({ invalid: false, reply: submission.reply(), facets, page });
}

export default function AuditTrail() {
  const { reply, facets, page, invalid } = useLoaderData<typeof loader>();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const pageHref = (set: 'before' | 'after', id: number | null) => {
    if (id === null) return null;
    const next = new URLSearchParams(searchParams);
    next.delete('before');
    next.delete('after');
    next.set(set, String(id));
    return `?${next}`;
  };
  return (
    <>
      <h1 className="govuk-heading-l">Audit trail</h1>
      <p className="govuk-body">Every change made in the portal: who made it, when, and what it was before and after. Newest first.</p>
      <AuditFiltersForm key={location.search} reply={reply} facets={facets} />
      {invalid ? null : page.events.length === 0 ? (
        <p className="govuk-body">No events match these filters.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Audit events, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">When</th>
              <th scope="col" className="govuk-table__header">Who</th>
              <th scope="col" className="govuk-table__header">Action</th>
              <th scope="col" className="govuk-table__header">Subject</th>
              <th scope="col" className="govuk-table__header govuk-!-width-one-quarter">Changes</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {page.events.map((event) => <EventRow key={event.id} event={event} />)}
          </tbody>
        </table>
      )}
      <PrevNextPagination prevHref={pageHref('after', page.newerThan)} prevLabel="Newer events" nextHref={pageHref('before', page.olderThan)} nextLabel="Older events" />
    </>
  );
}

function EventRow({ event }: { event: AuditEventRow }) {
  const subjectFilter = `?subjectType=${encodeURIComponent(event.subject_type)}&subjectId=${encodeURIComponent(event.subject_id)}`;
  return (
    <tr className="govuk-table__row">
      <td className="govuk-table__cell govuk-body-s">
        <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>
        {event.request_id ? <><br />Request {event.request_id}</> : null}
      </td>
      <td className="govuk-table__cell govuk-body-s">
        {event.actor_user_id ? (
          <>
            {event.actorName ?? 'Unknown user'}
            {event.actorEmail ? <><br />{event.actorEmail}</> : null}
          </>
        ) : 'System'}
        {event.actorOrganisationName ? <><br />{event.actorOrganisationName}</> : null}
      </td>
      <td className="govuk-table__cell govuk-body-s"><code>{event.action}</code></td>
      <td className="govuk-table__cell govuk-body-s">
        {event.subject_type} <code>{event.subject_id}</code>
        <ul className="govuk-list govuk-!-font-size-16 govuk-!-margin-top-1 govuk-!-margin-bottom-0">
          {event.subject_type === 'user' ? (
            <li><Link className="govuk-link" to={`/admin/users/${encodeURIComponent(event.subject_id)}`}>User<span className="govuk-visually-hidden"> {event.subject_id}</span></Link></li>
          ) : null}
          <li><Link className="govuk-link" to={subjectFilter}>History<span className="govuk-visually-hidden"> of {event.subject_type} {event.subject_id}</span></Link></li>
        </ul>
      </td>
      <td className="govuk-table__cell govuk-body-s">
        {event.before_json || event.after_json ? (
          <details className="govuk-details govuk-!-margin-bottom-0">
            <summary className="govuk-details__summary"><span className="govuk-details__summary-text">Before and after</span></summary>
            <div className="govuk-details__text">
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1">Before</h3>
              <pre className="app-pre">{pretty(event.before_json)}</pre>
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1">After</h3>
              <pre className="app-pre">{pretty(event.after_json)}</pre>
            </div>
          </details>
        ) : 'None recorded'}
      </td>
    </tr>
  );
}

function pretty(json: string | null): string {
  if (!json) return '(nothing)';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

type Reply = ReturnType<typeof useLoaderData<typeof loader>>['reply'];

function AuditFiltersForm({ reply, facets }: { reply: Reply; facets: { actions: string[]; subjectTypes: string[] } }) {
  const [form, fields] = useForm<{ actionName: string; subjectType: string; actor: string; subjectId: string; from: string; to: string }>({
    id: 'audit-filters',
    lastResult: reply,
  });
  const all = { actionName: fields.actionName, subjectType: fields.subjectType, actor: fields.actor, subjectId: fields.subjectId, from: fields.from, to: fields.to };
  return (
    <>
      <FormErrorSummary form={form} fields={all} />
      <Form method="get" action="/admin/audit" {...getFormProps(form)} className="app-filter" role="search" aria-label="Filter the audit trail">
        <h2 className="govuk-heading-m">Filter events</h2>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <SelectField field={fields.actionName} label="Action" placeholder="All actions" options={facets.actions.map((a) => ({ value: a, label: a }))} />
          </div>
          <div className="govuk-grid-column-one-half">
            <SelectField field={fields.subjectType} label="Subject type" placeholder="All subject types" options={facets.subjectTypes.map((t) => ({ value: t, label: t }))} />
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <TextField field={fields.actor} label="Who (email address)" hint="The full email address of the person who made the change" type="email" spellCheck={false} />
          </div>
          <div className="govuk-grid-column-one-half">
            <TextField field={fields.subjectId} label="Subject ID" hint="For example, a user’s ID from their page" spellCheck={false} />
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <TextField field={fields.from} label="Date from" hint="For example, 2026-11-24" type="date" width="10" />
          </div>
          <div className="govuk-grid-column-one-half">
            <TextField field={fields.to} label="Date to" hint="Includes the whole day" type="date" width="10" />
          </div>
        </div>
        <FilterActions clearTo="/admin/audit" />
      </Form>
    </>
  );
}
