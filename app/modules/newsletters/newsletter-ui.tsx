import { Link } from '@remix-run/react';

// The newsletter as a web page: the officer's preview and the public archive
// page render the same thing. No server imports.

export interface NewsletterView {
  title: string;
  introduction: string;
  periodLabel: string;
  figures: string[];
  stories: Array<{ id: string; title: string; excerpt: string; organisationName: string | null }>;
}

/** The newsletter's content under a heading of `level` (1 on its public page, 2 in a preview). */
export function NewsletterBody({ n, headingLevel = 1 }: { n: NewsletterView; headingLevel?: 1 | 2 }) {
  const Title = headingLevel === 1 ? 'h1' : 'h2';
  const Section = headingLevel === 1 ? 'h2' : 'h3';
  const Story = headingLevel === 1 ? 'h3' : 'h4';
  return (
    <article data-testid="newsletter">
      <span className="govuk-caption-l">{n.periodLabel}</span>
      <Title className={headingLevel === 1 ? 'govuk-heading-l' : 'govuk-heading-m'}>{n.title}</Title>
      {n.introduction.split(/\n\s*\n/).filter((p) => p.trim()).map((p, i) => <p className="govuk-body-l app-pre" key={i}>{p.trim()}</p>)}
      <Section className="govuk-heading-m">This quarter in figures</Section>
      <ul className="govuk-list govuk-list--bullet">
        {n.figures.map((f) => <li key={f}>{f}</li>)}
      </ul>
      <Section className="govuk-heading-m">Stories of impact</Section>
      {n.stories.length === 0 ? <p className="govuk-body">No stories.</p> : n.stories.map((s) => (
        <div key={s.id} className="govuk-!-margin-bottom-6">
          <Story className="govuk-heading-s govuk-!-margin-bottom-1"><Link className="govuk-link" to={`/stories/${s.id}`}>{s.title}</Link></Story>
          {s.organisationName ? <p className="govuk-body-s govuk-!-margin-bottom-1">{s.organisationName}</p> : null}
          <p className="govuk-body">{s.excerpt}</p>
        </div>
      ))}
    </article>
  );
}
