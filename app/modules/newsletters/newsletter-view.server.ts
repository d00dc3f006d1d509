import type { DbOrTx } from '#db/client';
import { excerpt } from '~/modules/stories/stories.schema';
import { figureLines } from './newsletter-text';
import { newsletterContent } from './newsletter-send.server';
import { parseFigures } from './newsletters.schema';
import type { NewsletterRow } from './newsletters.server';
import type { NewsletterView } from './newsletter-ui';

/** What the web page shows: a sent newsletter's snapshot figures, a draft's figures as they are now; published stories only. */
export async function newsletterView(db: DbOrTx, n: NewsletterRow) {
  const content = await newsletterContent(db, n, parseFigures(n.figuresJson) ?? undefined);
  const view: NewsletterView = {
    title: n.title, introduction: n.introduction, periodLabel: content.periodLabel, figures: figureLines(content.figures),
    stories: content.stories.map((s) => ({ id: s.id, title: s.title, excerpt: excerpt(s.body, 400), organisationName: s.organisationName })),
  };
  return { view, content };
}
