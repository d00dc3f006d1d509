import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { notFound } from '~/auth/guards.server';
import { NewsletterBody } from '~/modules/newsletters/newsletter-ui';
import { newsletterView } from '~/modules/newsletters/newsletter-view.server';
import { findNewsletter } from '~/modules/newsletters/newsletters.server';
import { formatDate } from '~/utils/time';

export const handle = { title: (d: unknown) => (d as { view?: { title: string } } | undefined)?.view?.title ?? 'Newsletter' };

// Public: a sent newsletter with the figures as sent and its stories that are still published. Drafts are not found.
export async function loader({ params }: LoaderFunctionArgs) {
  // Public: only sent newsletters are found.
  const n = params.newsletterId ? await findNewsletter(getDb(), params.newsletterId.slice(0, 100)) : undefined;
  if (!n || n.status !== 'sent') throw notFound();
  const { view } = await newsletterView(getDb(), n);
  return { view, sent: n.sentAt ? formatDate(n.sentAt) : '' };
}

export default function PublicNewsletter() {
  const { view, sent } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to="/newsletters">All newsletters</Link>
        <NewsletterBody n={view} />
        <p className="govuk-body-s">Sent {sent}.</p>
      </div>
    </div>
  );
}
