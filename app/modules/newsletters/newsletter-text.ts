import { formatPence } from '~/modules/contracts/figures';
import { excerpt } from '~/modules/stories/stories.schema';
import type { NewsletterFigures } from './newsletters.schema';

// The newsletter as plain text: what each recipient's email says (the outbox
// adds the link to the web page after it). Pure: the preview shows exactly this.

export interface NewsletterText {
  title: string;
  introduction: string;
  periodLabel: string;
  figures: NewsletterFigures;
  stories: ReadonlyArray<{ id: string; title: string; body: string }>;
  /** The portal's address, e.g. https://socialvalue.example.gov.uk */
  origin: string;
}

export type RecipientReason = 'contractor' | 'opted-in';

/** Said instead of a £ figure the disclosure rule withholds (ADR 0019). */
export const WITHHELD = 'not shown: fewer than 3 contractors contributed to it, or one contributed most of it, and we never publish one company’s figures';

const money = (pence: number | null, what: string) => (pence === null ? `${what.charAt(0).toUpperCase()}${what.slice(1)}: ${WITHHELD}` : `${formatPence(pence)} of ${what}`);

export function figureLines(figures: NewsletterFigures): string[] {
  return [
    money(figures.deliveredPence, 'social value delivered'),
    money(figures.creditsEarnedPence, 'credits earned by delivering beyond commitments'),
    money(figures.creditsClaimedPence, 'credits claimed for other social value'),
    `${figures.needsMet} ${figures.needsMet === 1 ? 'community need' : 'community needs'} on the wishlist met`,
  ];
}

const REASONS: Record<RecipientReason, string> = {
  contractor: 'You receive this newsletter because you are a contractor user of the social value portal.',
  'opted-in': 'You receive this newsletter because you asked for it. To stop, untick “Send me the quarterly newsletter” in your account',
};

export function newsletterText(n: NewsletterText, reason: RecipientReason): string {
  const parts: string[] = [n.title, '='.repeat(Math.min(n.title.length, 70))];
  if (n.introduction.trim()) parts.push(n.introduction.trim());
  parts.push(`In ${n.periodLabel}:\n${figureLines(n.figures).map((line) => `- ${line}`).join('\n')}`);
  if (n.stories.length) {
    parts.push('Stories of impact');
    n.stories.forEach((s, i) => parts.push(`${i + 1}. ${s.title}\n\n${excerpt(s.body, 600)}\n\nRead the story: ${n.origin}/stories/${s.id}`));
  }
  parts.push(reason === 'opted-in' ? `${REASONS[reason]}: ${n.origin}/account` : REASONS[reason]);
  parts.push('Read this newsletter on the web:');
  return parts.join('\n\n');
}
