import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { quarterStartingOn } from '~/modules/newsletters/newsletters.schema';
import { listSentNewsletters } from '~/modules/newsletters/newsletters.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Newsletters' };

export async function loader() {
  // Public: the archive lists sent newsletters only.
  const rows = await listSentNewsletters(getDb());
  return { newsletters: rows.map((n) => ({ id: n.id, title: n.title, quarter: quarterStartingOn(n.periodStart)?.label ?? n.periodStart, sent: n.sentAt ? formatDate(n.sentAt) : '' })) };
}

export default function NewsletterArchive() {
  const { newsletters } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Newsletters</h1>
      <p className="govuk-body">Every quarter the council celebrates what social value has achieved. Contractors receive it by email; anyone with an account can ask for it in their account settings. Read all the <Link className="govuk-link" to="/stories">stories of impact</Link>.</p>
      {newsletters.length === 0 ? <p className="govuk-body">No newsletters have been sent yet.</p> : (
        <ul className="govuk-list" data-testid="newsletter-archive">
          {newsletters.map((n) => (
            <li key={n.id}>
              <Link className="govuk-link" to={`/newsletters/${n.id}`}>{n.title}</Link>
              <span className="govuk-hint govuk-!-display-inline"> ({n.quarter}, sent {n.sent})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
