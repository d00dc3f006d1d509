import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, notFound, requirePermission } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { SubmitButton } from '~/components/submit-button';
import { revokeInvitationSchema } from '~/modules/organisations/invitations.schema';
import {
  INVITATIONS_PAGE_SIZE, findInvitationSummary, listInvitations, revokeInvitation, type InvitationStatus,
} from '~/modules/organisations/invitations.server';
import { getEnv } from '~/utils/env.server';
import { formatDate } from '~/utils/time';
import { readForm } from '~/utils/form.server';

export const handle = { title: 'Contractor invitations' };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'invitation:create');
  const url = new URL(request.url);
  const page = parsePage(url.searchParams.get('page'));
  const db = getDb();
  const { total, invitations } = await listInvitations(db, { page });
  const sentId = url.searchParams.get('sent');
  const revokedId = url.searchParams.get('revoked');
  const sent = sentId ? await findInvitationSummary(db, sentId) : undefined;
  const revoked = revokedId ? await findInvitationSummary(db, revokedId) : undefined;
  return {
    page,
    pageSize: INVITATIONS_PAGE_SIZE,
    total,
    sentTo: sent?.email ?? null,
    revokedFor: revoked?.email ?? null,
    canReadOutbox: can(user.role, 'outbox:read'),
    emailConfigured: Boolean(getEnv().SMTP_URL),
    invitations: invitations.map((i) => ({
      id: i.id, email: i.email, name: i.name, organisationName: i.organisation_name, invitedByName: i.invited_by_name, status: i.status,
      sentOn: formatDate(i.created_at), expiresOn: formatDate(i.expires_at),
      acceptedOn: i.accepted_at ? formatDate(i.accepted_at) : null, revokedOn: i.revoked_at ? formatDate(i.revoked_at) : null,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'invitation:create');
  const parsed = revokeInvitationSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response('Bad request', { status: 400, statusText: 'Bad Request' });
  const result = await revokeInvitation(getDb(), parsed.data.invitationId, auditActor(user, context));
  if (result === 'not-found') throw notFound();
  if (result === 'not-open') throw new Response('This invitation has already been accepted, revoked or has expired', { status: 409, statusText: 'Conflict' });
  return redirect(`/officer/invitations?revoked=${encodeURIComponent(parsed.data.invitationId)}`, 303);
}

const TAGS: Record<InvitationStatus, { label: string; className: string }> = {
  open: { label: 'Open', className: 'govuk-tag--blue' },
  accepted: { label: 'Accepted', className: 'govuk-tag--green' },
  expired: { label: 'Expired', className: 'govuk-tag--grey' },
  revoked: { label: 'Revoked', className: 'govuk-tag--red' },
};

export default function Invitations() {
  const { page, pageSize, total, invitations, sentTo, revokedFor, canReadOutbox, emailConfigured } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  return (
    <>
      {sentTo ? (
        <SuccessBanner heading={`Invitation sent to ${sentTo}`}>
          <p className="govuk-body">The link in the email works once and expires in 7 days.</p>
          {emailConfigured ? null : canReadOutbox ? (
            <p className="govuk-body">This portal has no email server set up (as in development and the demo), so the email waits in the outbox. Read it, and copy the link, on the <Link className="govuk-notification-banner__link" to="/admin/outbox">outbox page</Link>.</p>
          ) : (
            <p className="govuk-body">This portal has no email server set up (as in development and the demo), so the email waits in the outbox, where an administrator can read it.</p>
          )}
        </SuccessBanner>
      ) : null}
      {revokedFor ? <SuccessBanner heading={`Invitation for ${revokedFor} revoked`}><p className="govuk-body">Its link no longer works.</p></SuccessBanner> : null}
      <h1 className="govuk-heading-l">Contractor invitations</h1>
      <p className="govuk-body">Contractors join the portal when you invite them. Each invitation is a link that works once and expires after 7 days.</p>
      <Link className="govuk-button" to="/officer/invitations/new" role="button" data-module="govuk-button">Invite a contractor</Link>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['invitation', 'invitations']} />
      {invitations.length > 0 ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">Invitations, newest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Person</th>
              <th scope="col" className="govuk-table__header">Organisation</th>
              <th scope="col" className="govuk-table__header">Invited by</th>
              <th scope="col" className="govuk-table__header">Sent</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header"><span className="govuk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {invitations.map((i) => (
              <tr className="govuk-table__row" key={i.id}>
                <td className="govuk-table__cell">{i.name}<br /><span className="govuk-hint govuk-!-margin-bottom-0">{i.email}</span></td>
                <td className="govuk-table__cell">{i.organisationName}</td>
                <td className="govuk-table__cell">{i.invitedByName}</td>
                <td className="govuk-table__cell">{i.sentOn}</td>
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag ${TAGS[i.status].className}`}>{TAGS[i.status].label}</strong>
                  <br />
                  <span className="govuk-body-s">
                    {i.status === 'open' ? `Expires ${i.expiresOn}` : i.status === 'accepted' ? `Accepted ${i.acceptedOn}` : i.status === 'revoked' ? `Revoked ${i.revokedOn}` : `Expired ${i.expiresOn}`}
                  </span>
                </td>
                <td className="govuk-table__cell app-table-actions">
                  {i.status === 'open' ? (
                    <Form method="post" className="app-inline-form">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <SubmitButton variant="secondary">Revoke<span className="govuk-visually-hidden"> invitation for {i.email}</span></SubmitButton>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
