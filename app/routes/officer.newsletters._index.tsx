import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { quarterStartingOn } from '~/modules/newsletters/newsletters.schema';
import { listNewsletters } from '~/modules/newsletters/newsletters.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Quarterly newsletters' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'newsletter:manage');
  const rows = await listNewsletters(getDb());
  return {
    newsletters: rows.map((n) => ({
      id: n.id, title: n.title, quarter: quarterStartingOn(n.periodStart)?.label ?? n.periodStart,
      status: n.status === 'sent' ? `Sent ${n.sentAt ? formatDate(n.sentAt) : ''}`.trim() : 'Draft', sent: n.status === 'sent',
    })),
  };
}

export default function Newsletters() {
  const { newsletters } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Quarterly newsletters</h1>
      <p className="govuk-body">Each quarter’s newsletter celebrates its published stories and headline figures. It is emailed to every active contractor user and everyone who asked for it, and published in the <Link className="govuk-link" to="/newsletters">public archive</Link>.</p>
      <Link className="govuk-button" to="/officer/newsletters/new">Build a newsletter</Link>
      {newsletters.length === 0 ? <p className="govuk-body">No newsletters yet.</p> : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Newsletters, newest quarter first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Quarter</th>
              <th scope="col" className="govuk-table__header">Title</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {newsletters.map((n) => (
              <tr className="govuk-table__row" key={n.id}>
                <td className="govuk-table__cell">{n.quarter}</td>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/officer/newsletters/${n.id}`}>{n.title}</Link></td>
                <td className="govuk-table__cell"><strong className={`govuk-tag ${n.sent ? 'govuk-tag--green' : 'govuk-tag--grey'}`}>{n.status}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
