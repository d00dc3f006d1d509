import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getDb } from '#db/client';
import { getUser, notFound } from '~/auth/guards.server';
import { formatPence } from '~/modules/contracts/figures';
import { findItemForPage } from '~/modules/wishlist/item-page.server';
import { WishlistStatusTag } from '~/modules/wishlist/search.ui';
import { CATEGORY_LABELS, PLEDGEABLE_STATUSES, STATUS_LABELS } from '~/modules/wishlist/wishlist';
import { formatDate } from '~/utils/time';
import { StoryList } from '~/components/story-list';
import { excerpt } from '~/modules/stories/stories.schema';
import { storiesFor } from '~/modules/stories/story-queries.server';

// /wishlist/$itemId: one need, as the public sees it. (Named `._index` so that
// /wishlist/$itemId/pledge and /wishlist/$itemId/photo are not nested inside it.)

export const handle = {
  title: (data: unknown) => (data as { item?: { title: string } } | undefined)?.item?.title ?? 'Wishlist item',
};

const isWebAddress = (value: string | null): value is string => value !== null && /^https?:\/\/[^\s]+$/i.test(value);

// Public: a published, pledged or fulfilled item is for everyone; any other is 404 except to its own organisation and staff (preview).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const item = await findItemForPage(getDb(), params.itemId ?? '', user);
  if (!item) throw notFound();
  const { estimatedValuePence: estimate, progress } = item;
  const stories = await storiesFor(getDb(), { itemId: item.id });
  const percent = estimate > 0 ? Math.min(100, Math.floor((progress.pledgedPence * 100) / estimate)) : null;
  return {
    viewer: user ? { role: user.role } : null,
    item: {
      id: item.id, title: item.title, description: item.description, status: item.status, statusLabel: STATUS_LABELS[item.status],
      category: CATEGORY_LABELS[item.category], theme: item.theme, ward: item.wardName, quantityDetail: item.quantityDetail,
      neededBy: item.neededBy ? formatDate(item.neededBy) : null, published: item.publishedAt ? formatDate(item.publishedAt) : null,
      photo: item.photo, isPublic: item.isPublic, pledgeable: PLEDGEABLE_STATUSES.includes(item.status),
    },
    progress: {
      estimate: formatPence(estimate), pledged: formatPence(progress.pledgedPence), confirmed: formatPence(progress.confirmedPence),
      remaining: formatPence(Math.max(0, estimate - progress.pledgedPence)), pledgeCount: progress.pledgeCount, percent,
      hasConfirmed: progress.confirmedPence > 0,
    },
    organisation: {
      name: item.organisation.name, description: item.organisation.description, ward: item.organisation.wardName,
      website: isWebAddress(item.organisation.website) ? item.organisation.website : null, contactEmail: item.organisation.contactEmail,
    },
    stories: stories.map((s) => ({ id: s.id, title: s.title, excerpt: excerpt(s.body), published: s.publishedAt ? formatDate(s.publishedAt) : '' })),
  };
}

export default function WishlistItem() {
  const { viewer, item, progress, organisation, stories } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to="/wishlist">Back to the wishlist</Link>
        {item.isPublic ? null : <PreviewBanner statusLabel={item.statusLabel} />}
        <span className="govuk-caption-l">{organisation.name}</span>
        <h1 className="govuk-heading-l">{item.title}</h1>
        <p className="govuk-body"><WishlistStatusTag status={item.status} /></p>
        {item.photo ? <img className="govuk-!-width-full govuk-!-margin-bottom-6" src={`/wishlist/${item.id}/photo`} alt={item.photo.alt} /> : null}
        <h2 className="govuk-heading-m">The need</h2>
        {item.description.split(/\n{2,}/).map((paragraph, i) => <p key={i} className="govuk-body">{paragraph}</p>)}
        <dl className="govuk-summary-list">
          <SummaryRow label="Category">{item.category}</SummaryRow>
          <SummaryRow label="Theme">{item.theme}</SummaryRow>
          <SummaryRow label="Ward">{item.ward ?? 'Not given'}</SummaryRow>
          <SummaryRow label="Quantity or detail">{item.quantityDetail || 'Not given'}</SummaryRow>
          <SummaryRow label="Needed by">{item.neededBy ?? 'No date given'}</SummaryRow>
          {item.published ? <SummaryRow label="Posted">{item.published}</SummaryRow> : null}
        </dl>

        <h2 className="govuk-heading-m" id="progress-heading">Progress</h2>
        <dl className="govuk-summary-list" aria-labelledby="progress-heading" data-testid="pledge-progress">
          <SummaryRow label="Estimated value">{progress.estimate}</SummaryRow>
          <SummaryRow label="Pledged so far">
            {progress.pledged}
            {progress.percent !== null ? ` (${progress.percent}% of the estimate)` : ''}
            {progress.pledgeCount > 0 ? `, from ${progress.pledgeCount} ${progress.pledgeCount === 1 ? 'pledge' : 'pledges'}` : ''}
          </SummaryRow>
          {progress.hasConfirmed ? <SummaryRow label="Received so far">{progress.confirmed}</SummaryRow> : null}
          <SummaryRow label="Still needed">{progress.remaining}</SummaryRow>
        </dl>

        <h2 className="govuk-heading-m">How to help</h2>
        <CallToAction itemId={item.id} pledgeable={item.pledgeable} viewerRole={viewer?.role ?? null} />
        <p className="govuk-body">
          Anyone can offer to help {organisation.name}
          {organisation.contactEmail ? <>: email <a className="govuk-link" href={`mailto:${organisation.contactEmail}`}>{organisation.contactEmail}</a></> : null}
          {organisation.website ? <>{organisation.contactEmail ? ' or visit ' : ': visit '}<a className="govuk-link" href={organisation.website} rel="noopener noreferrer">their website<span className="govuk-visually-hidden"> ({organisation.website})</span></a></> : null}
          .
        </p>

        <h2 className="govuk-heading-m">About {organisation.name}</h2>
        {organisation.description ? <p className="govuk-body">{organisation.description}</p> : null}
        <dl className="govuk-summary-list">
          <SummaryRow label="Ward">{organisation.ward ?? 'Not given'}</SummaryRow>
          <SummaryRow label="Website">{organisation.website ? <a className="govuk-link" href={organisation.website} rel="noopener noreferrer">{organisation.website}</a> : 'Not given'}</SummaryRow>
        </dl>

        <StoryList stories={stories} />
      </div>
    </div>
  );
}

function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  );
}

function PreviewBanner({ statusLabel }: { statusLabel: string }) {
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="preview-banner-title" data-module="govuk-notification-banner" data-testid="preview-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="preview-banner-title">Important</h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">This need is not public ({statusLabel}). Only its organisation and council staff can see this page.</p>
      </div>
    </div>
  );
}

function CallToAction({ itemId, pledgeable, viewerRole }: { itemId: string; pledgeable: boolean; viewerRole: string | null }) {
  if (!pledgeable) return <p className="govuk-body">This need is no longer taking pledges.</p>;
  if (viewerRole === 'contractor') {
    return (
      <Link className="govuk-button" data-module="govuk-button" to={`/wishlist/${itemId}/pledge`}>Pledge to meet this need</Link>
    );
  }
  if (viewerRole === null) {
    return (
      <p className="govuk-body">
        Contractors working for the council can pledge to meet this need.{' '}
        <Link className="govuk-link" to={`/sign-in?redirectTo=${encodeURIComponent(`/wishlist/${itemId}`)}`}>Sign in to pledge</Link>.
      </p>
    );
  }
  return <p className="govuk-body">Contractors working for the council can pledge to meet this need.</p>;
}
