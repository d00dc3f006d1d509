import { parseWithZod } from '@conform-to/zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { auditActor, forbidden, notFound, requireUser } from '~/auth/guards.server';
import { can } from '~/auth/permissions';
import { ErrorSummary } from '~/components/error-summary';
import { SuccessBanner } from '~/components/notification-banner';
import { formatPence } from '~/modules/contracts/figures';
import { itemAllows, itemNotice } from '~/modules/pledges/item-rule';
import { isPledgeStep, refusal, stepsFor } from '~/modules/pledges/lifecycle';
import { findPledgeForViewer, isPledgeStaff, liveClaimFor, pledgeHistory, sideOf } from '~/modules/pledges/pledge-queries.server';
import { NextSteps, PANEL_OF, stepErrors, type StepPanel, type StepReply } from '~/modules/pledges/pledge-steps.ui';
import { stepSchema } from '~/modules/pledges/pledges.schema';
import { CHANGED, movedOnMessage, takeStep } from '~/modules/pledges/pledges.server';
import { PledgeStatusTag } from '~/modules/pledges/pledges.ui';
import { PUBLIC_STATUSES } from '~/modules/wishlist/wishlist';
import { readForm } from '~/utils/form.server';
import { formatDate, formatDateTime } from '~/utils/time';

export const handle = { title: 'Pledge' };

const DONE: Record<string, string> = {
  offered: 'Pledge sent. The organisation has been told.',
  accept: 'Pledge accepted. The contractor has been told.',
  decline: 'Pledge declined. The contractor has been told.',
  deliver: 'Marked as delivered. The organisation has been asked to confirm it.',
  confirm: 'Receipt confirmed. Thank you: the contractor has been told.',
  dispute: 'Delivery disputed. The contractor has been told what is wrong.',
  withdraw: 'Pledge withdrawn. The organisation has been told.',
};

const conflict = (message: string) => new Response(message, { status: 409, statusText: 'Conflict' });

/**
 * Who may open a pledge: the contractor whose organisation made it, a VCSE user
 * of the organisation whose item it is, or council staff (read-only). Anyone
 * else signed in is refused; another organisation's pledge is a 404 (scoped in the query).
 */
async function requirePledge(request: Request, pledgeId: string | undefined) {
  const user = await requireUser(request);
  if (!can(user.role, 'pledge:list') && !isPledgeStaff(user)) throw forbidden();
  const pledge = pledgeId ? await findPledgeForViewer(getDb(), pledgeId.slice(0, 100), user) : undefined;
  if (!pledge) throw notFound();
  return { user, pledge };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, pledge: p } = await requirePledge(request, params.pledgeId);
  const db = getDb();
  const side = sideOf(p, user);
  const [history, claim] = await Promise.all([pledgeHistory(db, p.id), p.status === 'confirmed' ? liveClaimFor(db, p.id) : undefined]);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  // The item's page for this viewer: the owner's page for its VCSE, the public page for anyone while it is public.
  const itemHref = side === 'recipient' ? `/organisation/wishlist/${p.item_id}` : PUBLIC_STATUSES.includes(p.itemStatus) || isPledgeStaff(user) ? `/wishlist/${p.item_id}` : null;
  return {
    pledge: {
      id: p.id, status: p.status, version: p.updated_at, description: p.description, value: formatPence(p.value_pence),
      expected: formatDate(p.expected_date), isStory: p.is_story === 1, deliveryNote: p.delivery_note,
      itemTitle: p.itemTitle, itemHref, itemEstimate: formatPence(p.itemEstimatePence), itemWard: p.itemWardName,
      recipientName: p.recipientName, supplierName: p.supplierName,
      contract: p.contractReference ? `${p.contractReference}: ${p.contractTitle}` : null,
      contractHref: p.contract_id && (side === 'supplier' || isPledgeStaff(user)) ? `/contracts/${p.contract_id}` : null,
    },
    side,
    staff: isPledgeStaff(user),
    // The steps this side may take now, less those the need's status stops (accepting an offer on a need that is not open).
    steps: stepsFor(p.status, side).filter((step) => itemAllows(step, p.itemStatus)),
    itemNotice: itemNotice(p.itemStatus, p.status, side),
    history: history.map((h) => ({ id: h.id, label: h.label, by: h.by, organisation: h.organisation, at: formatDateTime(h.at), text: h.text })),
    claim: p.status !== 'confirmed' || (side !== 'supplier' && !isPledgeStaff(user))
      ? null
      : claim ? { href: `/credits/claims/${claim.id}`, status: claim.status } : side === 'supplier' ? { href: `/credits/claims/new?pledgeId=${encodeURIComponent(p.id)}`, status: null } : null,
    done: Object.hasOwn(DONE, done) ? DONE[done]! : null,
  };
}

const PANELS: readonly StepPanel[] = ['respond', 'receipt', 'deliver', 'withdraw'];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, pledge } = await requirePledge(request, params.pledgeId);
  const form = await readForm(request);
  const side = sideOf(pledge, user);
  if (side === null) throw forbidden('Council staff can see pledges but not act on them.');
  // A step on a pledge that has moved on, or from a page loaded before the last change, is a 409 whatever the form says.
  const intent = form.get('intent');
  const refused = isPledgeStep(intent) ? refusal(pledge.status, intent, side) : null;
  if (refused === 'wrong-side') throw forbidden('Only the other organisation can take that step.');
  if (refused === 'wrong-status') throw conflict(movedOnMessage(pledge.status));
  const version = form.get('version');
  if (typeof version === 'string' && version && version !== pledge.updated_at) throw conflict(CHANGED);
  const sent = form.get('panel');
  const panel: StepPanel = isPledgeStep(intent) ? PANEL_OF[intent] : PANELS.includes(sent as StepPanel) ? (sent as StepPanel) : 'respond';
  const submission = parseWithZod(form, { schema: stepSchema });
  const refuse = (reply: ReturnType<typeof submission.reply>) => data<StepReply>({ ...reply, panel }, { status: 400 });
  if (submission.status !== 'success') return refuse(submission.reply());
  const { intent: step, reason, note } = submission.value;
  const result = await takeStep(getDb(), pledge.id, { step, reason, note, version: submission.value.version }, user, auditActor(user, context));
  if (!result.ok) {
    switch (result.reason) {
      case 'not-found':
        throw notFound();
      case 'forbidden':
        throw forbidden(result.message);
      case 'conflict':
        throw conflict(result.message);
      case 'invalid':
        return refuse(submission.reply({ fieldErrors: { [result.field]: [result.message] } }));
    }
  }
  return redirect(`/pledges/${pledge.id}?done=${step}`, 303);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

export default function PledgePage() {
  const { pledge: p, side, staff, steps, itemNotice: notice, history, claim, done } = useLoaderData<typeof loader>();
  const last = useActionData<typeof action>() as StepReply | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={stepErrors(last)} />
        {done ? <SuccessBanner heading={done} headingElement="p" /> : null}
        <Link className="govuk-back-link" to={staff ? (p.itemHref ?? '/') : '/pledges'}>{staff ? 'Back' : 'Back to pledges'}</Link>
        <span className="govuk-caption-l">{side === 'recipient' ? `Pledge from ${p.supplierName}` : `Pledge to ${p.recipientName}`}</span>
        <h1 className="govuk-heading-l">{p.itemTitle}</h1>
        <p className="govuk-body"><PledgeStatusTag status={p.status} /></p>
        {notice ? <div className="govuk-inset-text" data-testid="pledge-item-notice">{notice}</div> : null}
        {staff ? <div className="govuk-inset-text">Council staff can see pledges but not act on them: only the contractor and the organisation take its steps.</div> : null}
        <dl className="govuk-summary-list">
          <Row label="Need">{p.itemHref ? <Link className="govuk-link" to={p.itemHref}>{p.itemTitle}</Link> : p.itemTitle}<span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">Estimated at {p.itemEstimate}{p.itemWard ? `, in ${p.itemWard}` : ''}</span></Row>
          <Row label="Organisation">{p.recipientName}</Row>
          <Row label="Contractor">{p.supplierName}</Row>
          <Row label="What they will give"><span className="app-pre">{p.description}</span></Row>
          <Row label="Value">{p.value}</Row>
          <Row label="Expected by">{p.expected}</Row>
          {p.contract ? <Row label="Contract">{p.contractHref ? <Link className="govuk-link" to={p.contractHref}>{p.contract}</Link> : p.contract}</Row> : null}
          <Row label="Could be a story">{p.isStory ? 'Yes' : 'No'}</Row>
        </dl>
        {claim ? (
          claim.status ? (
            <div className="govuk-inset-text" data-testid="pledge-claim">
              Credits claimed{claim.status === 'requested' ? ' (waiting for the council’s decision)' : ''}. <Link className="govuk-link" to={claim.href}>See the credit claim</Link>
            </div>
          ) : (
            <p className="govuk-body" data-testid="pledge-claim">
              <Link className="govuk-button" role="button" draggable={false} data-module="govuk-button" to={claim.href}>Claim credits for this pledge</Link>
            </p>
          )
        ) : null}
        <NextSteps steps={steps} version={p.version} last={last} />
        <h2 className="govuk-heading-m" id="history">What has happened</h2>
        {history.length === 0 ? (
          <p className="govuk-body">No steps recorded yet.</p>
        ) : (
          <ol className="govuk-list app-history" data-testid="pledge-history">
            {history.map((h) => (
              <li key={h.id} className="govuk-!-margin-bottom-4">
                <strong>{h.label}</strong>
                <span className="govuk-!-display-block govuk-hint govuk-!-margin-bottom-0">{[h.by, h.organisation].filter(Boolean).join(', ') || 'The portal'} · {h.at}</span>
                {h.text ? <span className="govuk-!-display-block app-pre">{h.text}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
