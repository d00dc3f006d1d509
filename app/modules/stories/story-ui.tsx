import type { FieldMetadata } from '@conform-to/react';
import type { StoryStatus } from '#db/schema';
import { TextareaField, TextField } from '~/components/form-fields';
import { DateField } from '~/modules/contracts/contract-ui';
import { STORY_LIMITS, STORY_STATUS_LABELS, STORY_STATUS_TAGS } from './stories.schema';

// UI pieces for the story pages. No server imports.

export function StoryStatusTag({ status }: { status: StoryStatus }) {
  return <strong className={`govuk-tag ${STORY_STATUS_TAGS[status]}`}>{STORY_STATUS_LABELS[status]}</strong>;
}

type Field = FieldMetadata<unknown>;

/** Title, text and consent: the fields shared by the new and edit forms. */
export function StoryFields({ fields }: { fields: { title: Field; body: Field; consentNote: Field; consentDate: Field } }) {
  return (
    <>
      <TextField field={fields.title} label="Title" hint={`${STORY_LIMITS.title} characters or fewer.`} />
      <TextareaField field={fields.body} label="Story" hint="Written for residents and contractors. Leave a blank line between paragraphs. Do not name anyone who has not agreed to be named." rows={12} />
      <h2 className="govuk-heading-m">Consent</h2>
      <p className="govuk-body">A story is only published with the agreement of the people and organisations in it.</p>
      <TextareaField field={fields.consentNote} label="Who gave consent and how" hint="For example, “Named apprentice agreed by email; Brightwater’s communications manager approved the text”." rows={3} />
      <DateField field={fields.consentDate} legend="Date consent was given" hint="For example, 3 11 2026" />
    </>
  );
}

/** A story's text as paragraphs (blank lines separate them). */
export function StoryBody({ body }: { body: string }) {
  return (
    <>
      {body.split(/\n\s*\n/).map((p, i) => <p className="govuk-body app-pre" key={i}>{p.trim()}</p>)}
    </>
  );
}
