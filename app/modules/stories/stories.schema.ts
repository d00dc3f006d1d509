import { z } from 'zod';
import type { StoryStatus } from '#db/schema';
import { dateInput, type DateParts } from '~/modules/contracts/contracts.schema';
import { requiredText } from '~/utils/schema';

// Stories of impact: the form's rules and the vocabulary shared by server and
// UI. No server imports.

export const STORY_LIMITS = { title: 150, body: 10_000, consentNote: 500, photoAlt: 250 } as const;

export const STORY_STATUS_LABELS: Record<StoryStatus, string> = { draft: 'Draft', published: 'Published', unpublished: 'Unpublished' };
export const STORY_STATUS_TAGS: Record<StoryStatus, string> = { draft: 'govuk-tag--grey', published: 'govuk-tag--green', unpublished: 'govuk-tag--yellow' };

export type StorySourceType = 'progress_return' | 'pledge';
export interface StorySource {
  type: StorySourceType;
  id: string;
}

const SOURCE = /^(progress_return|pledge):([0-9a-f-]{36})$/i;

/** "progress_return:<uuid>" or "pledge:<uuid>" → the source; anything else null. */
export function parseSource(value: string | null | undefined): StorySource | null {
  const match = SOURCE.exec((value ?? '').trim());
  return match ? { type: match[1]!.toLowerCase() as StorySourceType, id: match[2]!.toLowerCase() } : null;
}

export const sourceParam = (source: StorySource) => `${source.type}:${source.id}`;

/** The story form (create and edit). Consent is always required: who agreed, how, and when. */
export const storySchema = z.object({
  title: requiredText('title', STORY_LIMITS.title, 'Enter a title for the story'),
  body: requiredText('story', STORY_LIMITS.body, 'Enter the story'),
  consentNote: requiredText('consent note', STORY_LIMITS.consentNote, 'Say who gave consent to publish this story and how, for example “Named apprentice agreed by email”'),
  consentDate: dateInput('date consent was given'),
  version: z.string().max(40).optional(),
});

export type StoryInput = z.output<typeof storySchema>;
export type StoryForm = Omit<z.input<typeof storySchema>, 'consentDate'> & { consentDate?: DateParts };

/** Whether the consent date is acceptable: not in the future (a date in the UK, YYYY-MM-DD). */
export function consentDateProblem(consentDate: string, today: string): string | null {
  return consentDate > today ? 'The date consent was given must be today or in the past' : null;
}

/** The photo form: alt text is required with a photo. */
export const photoAltSchema = z.object({
  photoAlt: requiredText('description of the photo', STORY_LIMITS.photoAlt, 'Describe the photo for people who cannot see it'),
});


/** The first sentence or so of a story, for lists. */
export function excerpt(body: string, max = 220): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).trimEnd()}…`;
}
