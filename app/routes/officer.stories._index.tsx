import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { listStoryCandidates } from '~/modules/stories/story-candidates.server';
import { listStoriesForStaff } from '~/modules/stories/story-queries.server';
import { StoryStatusTag } from '~/modules/stories/story-ui';
import { formatDate } from '~/utils/time';

export const handle = { title: 'Stories of impact' };

// Staff: returns and pledges flagged as a story with no story yet, then every
// story (drafts, published, unpublished), most recently changed first.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'story:manage');
  const db = getDb();
  const [candidates, stories] = await Promise.all([listStoryCandidates(db), listStoriesForStaff(db)]);
  return {
    candidates,
    stories: stories.map((s) => ({
      id: s.id, title: s.title, status: s.status, belongsTo: [s.contractReference, s.organisationName].filter(Boolean).join(', '),
      changed: formatDate(s.updatedAt), published: s.publishedAt ? formatDate(s.publishedAt) : '',
    })),
  };
}

export default function OfficerStories() {
  const { candidates, stories } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Stories of impact</h1>
      <p className="govuk-body">
        Contractors flag progress returns and pledges that are a story worth telling. Draft a story from one, record who agreed to it, then publish it on the{' '}
        <Link className="govuk-link" to="/stories">public stories page</Link>. Published stories go into the <Link className="govuk-link" to="/officer/newsletters">quarterly newsletter</Link>.
      </p>

      <h2 className="govuk-heading-m">Waiting for a story</h2>
      {candidates.length === 0 ? (
        <p className="govuk-body">No approved returns or delivered pledges are waiting for a story.</p>
      ) : (
        <table className="govuk-table" data-testid="story-candidates">
          <caption className="govuk-table__caption govuk-visually-hidden">Returns and pledges flagged as a story, oldest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Flagged</th>
              <th scope="col" className="govuk-table__header">Details</th>
              <th scope="col" className="govuk-table__header">Date</th>
              <th scope="col" className="govuk-table__header"><span className="govuk-visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {candidates.map((c) => (
              <tr className="govuk-table__row" key={c.source}>
                <td className="govuk-table__cell">{c.kind}: <Link className="govuk-link" to={c.link}>{c.title}</Link></td>
                <td className="govuk-table__cell">{c.detail}</td>
                <td className="govuk-table__cell">{c.date}</td>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/officer/stories/new?source=${encodeURIComponent(c.source)}`}>Draft a story<span className="govuk-visually-hidden"> from {c.title}</span></Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="govuk-heading-m">Stories</h2>
      {stories.length === 0 ? (
        <p className="govuk-body">No stories yet.</p>
      ) : (
        <table className="govuk-table" data-testid="stories-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Stories, most recently changed first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Title</th>
              <th scope="col" className="govuk-table__header">Belongs to</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Published</th>
              <th scope="col" className="govuk-table__header">Last changed</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {stories.map((s) => (
              <tr className="govuk-table__row" key={s.id}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/officer/stories/${s.id}`}>{s.title}</Link></td>
                <td className="govuk-table__cell">{s.belongsTo}</td>
                <td className="govuk-table__cell"><StoryStatusTag status={s.status} /></td>
                <td className="govuk-table__cell">{s.published}</td>
                <td className="govuk-table__cell">{s.changed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
