import { Link } from '@remix-run/react';

// Published stories on the page of the contract or wishlist item they came
// from (loaded with storiesFor in app/modules/stories/story-queries.server.ts).

export interface StoryListItem {
  id: string;
  title: string;
  excerpt: string;
  published: string;
}

export function StoryList({ stories, heading = 'Stories of impact' }: { stories: readonly StoryListItem[]; heading?: string }) {
  if (stories.length === 0) return null;
  return (
    <section aria-labelledby="story-list-heading" data-testid="story-list">
      <h2 className="govuk-heading-m" id="story-list-heading">{heading}</h2>
      <ul className="govuk-list">
        {stories.map((s) => (
          <li key={s.id} className="govuk-!-margin-bottom-4">
            <h3 className="govuk-heading-s govuk-!-margin-bottom-1"><Link className="govuk-link" to={`/stories/${s.id}`}>{s.title}</Link></h3>
            <p className="govuk-body-s govuk-!-margin-bottom-1">Published {s.published}</p>
            <p className="govuk-body">{s.excerpt}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
