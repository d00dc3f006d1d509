import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { excerpt } from '~/modules/stories/stories.schema';
import { listPublishedStories, PUBLIC_PAGE_SIZE } from '~/modules/stories/story-queries.server';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Stories of impact' };

// Public: published stories only, newest first.
export async function loader({ request }: LoaderFunctionArgs) {
  // Public: anyone may read published stories.
  const page = parsePage(new URL(request.url).searchParams.get('page'));
  const { total, stories } = await listPublishedStories(getDb(), page);
  return {
    page, total, pageSize: PUBLIC_PAGE_SIZE,
    stories: stories.map((s) => ({ id: s.id, title: s.title, excerpt: excerpt(s.body), published: s.publishedAt ? formatDate(s.publishedAt) : '', organisationName: s.organisationName })),
  };
}

export default function Stories() {
  const { page, total, pageSize, stories } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  return (
    <>
      <h1 className="govuk-heading-l">Stories of impact</h1>
      <p className="govuk-body">What social value in the council’s contracts has meant for local people and community groups. Read the <Link className="govuk-link" to="/newsletters">quarterly newsletters</Link> too.</p>
      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['story', 'stories']} />
      <ul className="govuk-list" data-testid="public-stories">
        {stories.map((s) => (
          <li key={s.id} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-m govuk-!-margin-bottom-1"><Link className="govuk-link" to={`/stories/${s.id}`}>{s.title}</Link></h2>
            <p className="govuk-body-s govuk-!-margin-bottom-1">{[s.organisationName, `published ${s.published}`].filter(Boolean).join(', ')}</p>
            <p className="govuk-body">{s.excerpt}</p>
          </li>
        ))}
      </ul>
      <Pagination page={page} pageCount={Math.ceil(total / pageSize)} hrefFor={hrefFor} />
    </>
  );
}
