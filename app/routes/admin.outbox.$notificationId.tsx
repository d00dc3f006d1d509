import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { notFound, requirePermission } from '~/auth/guards.server';
import { NOTIFICATION_STATUS_LABELS } from '~/modules/notifications/outbox-browse.schema';
import { getNotification } from '~/modules/notifications/outbox-browse.server';
import { isOutboxVisible } from '~/utils/env.server';
import { formatDateTime } from '~/utils/time';

export const handle = {
  title: (data: unknown) => (data as { notification?: { subject: string } } | undefined)?.notification?.subject ?? 'Message',
};

// Development and demo only (see admin.outbox._index.tsx).
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'outbox:read');
  if (!isOutboxVisible()) throw notFound();
  const notification = await getNotification(getDb(), params.notificationId ?? '');
  if (!notification) throw notFound();
  return { notification };
}

const isWebLink = (link: string) => /^https?:\/\//i.test(link);

export default function OutboxMessage() {
  const { notification: n } = useLoaderData<typeof loader>();
  const status = n.status === 'pending' && n.attempts > 0 ? 'Retrying' : NOTIFICATION_STATUS_LABELS[n.status];
  return (
    <>
      <Link className="govuk-back-link" to="/admin/outbox">Back to outbox</Link>
      <span className="govuk-caption-l">Email to {n.to_email}</span>
      <h1 className="govuk-heading-l">{n.subject}</h1>
      {n.link ? (
        <div className="govuk-inset-text">
          <p className="govuk-body govuk-!-margin-bottom-1">Link in this email:</p>
          {isWebLink(n.link) ? (
            <a className="govuk-link" href={n.link} data-testid="notification-link">{n.link}</a>
          ) : <code>{n.link}</code>}
        </div>
      ) : null}
      <dl className="govuk-summary-list">
        <Row label="To">{n.to_email}</Row>
        <Row label="Kind"><code>{n.kind}</code></Row>
        <Row label="Status">{status}</Row>
        <Row label="Created">{formatDateTime(n.created_at)}</Row>
        {n.status === 'sent' && n.sent_at ? <Row label="Sent">{formatDateTime(n.sent_at)}</Row> : null}
        {n.status !== 'sent' && n.sent_at ? <Row label="Last tried">{formatDateTime(n.sent_at)}</Row> : null}
        <Row label="Attempts to send">{n.attempts}</Row>
        {n.last_error ? <Row label="Last error"><code>{n.last_error}</code></Row> : null}
      </dl>
      <h2 className="govuk-heading-m">Message</h2>
      <pre className="app-pre" data-testid="notification-body">{n.body_text}</pre>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}
