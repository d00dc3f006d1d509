import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { notFound } from '~/auth/guards.server';
import { findPublishedStory } from '~/modules/stories/story-queries.server';
import { StoryBody } from '~/modules/stories/story-ui';
import { formatDate } from '~/utils/time';

export const handle = { title: (d: unknown) => (d as { story?: { title: string } } | undefined)?.story?.title ?? 'Story' };

// Public: a published story; drafts and unpublished stories are not found, for everyone.
export async function loader({ params }: LoaderFunctionArgs) {
  // Public: published stories are for anyone; the query only finds published ones.
  const s = params.storyId ? await findPublishedStory(getDb(), params.storyId.slice(0, 100)) : undefined;
  if (!s) throw notFound();
  return {
    story: {
      id: s.id, title: s.title, body: s.body, published: s.publishedAt ? formatDate(s.publishedAt) : '', organisationName: s.organisationName,
      photo: s.photoSha256 ? { src: `/stories/${s.id}/photo?v=${s.photoSha256.slice(0, 16)}`, alt: s.photoAlt ?? '' } : null,
    },
  };
}

export default function Story() {
  const { story } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link className="govuk-back-link" to="/stories">All stories</Link>
        <span className="govuk-caption-l">Story of impact</span>
        <h1 className="govuk-heading-l">{story.title}</h1>
        <p className="govuk-body-s">{[story.organisationName, `published ${story.published}`].filter(Boolean).join(', ')}</p>
        {story.photo ? <img className="app-story-photo" src={story.photo.src} alt={story.photo.alt} /> : null}
        <StoryBody body={story.body} />
      </div>
    </div>
  );
}
