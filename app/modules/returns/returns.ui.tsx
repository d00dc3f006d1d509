import type { FieldMetadata } from '@conform-to/react';
import type { ReturnStatus } from '#db/schema';
import { TextareaField, TextField } from '~/components/form-fields';
import { ACCEPTED_TYPES_TEXT, EVIDENCE_ACCEPT, formatBytes, MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, MAX_RETURN_EVIDENCE_BYTES } from './evidence-limits';
import { LINK_NUMBERS, RETURN_LIMITS, RETURN_STATUS_LABELS, RETURN_STATUS_TAG_CLASSES } from './returns.schema';

// UI pieces shared by the return pages. No server imports: these reach the browser.

type Field = FieldMetadata<unknown>;
type Fields = Record<string, Field>;

export function ReturnStatusTag({ status }: { status: ReturnStatus }) {
  return <strong className={`govuk-tag ${RETURN_STATUS_TAG_CLASSES[status]}`}>{RETURN_STATUS_LABELS[status]}</strong>;
}

function ErrorText({ field }: { field: Field }) {
  const error = field.errors?.[0];
  return error ? <p id={field.errorId} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p> : null;
}

/** "This is a story worth telling": a GOV.UK single checkbox. */
export function StoryCheckbox({ field }: { field: Field }) {
  // The form's defaultValue (or what was sent, after a refusal) says 'on' when ticked.
  const checked = field.initialValue === 'on';
  return (
    <div className="govuk-form-group">
      <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        <div className="govuk-checkboxes__item">
          <input className="govuk-checkboxes__input" id={field.id} name={field.name} type="checkbox" value="on" defaultChecked={checked} aria-describedby={`${field.id}-hint`} />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={field.id}>This is a story worth telling</label>
          <div id={`${field.id}-hint`} className="govuk-hint govuk-checkboxes__hint">The council may ask to use it as a case study in its newsletter or impact report.</div>
        </div>
      </div>
    </div>
  );
}

/** Quantity, narrative and story flag: the fields every return form has. */
export function ReturnFields({ fields, unit }: { fields: Fields; unit: string }) {
  return (
    <>
      <TextField
        field={fields.quantity!} label={`Quantity delivered in this period (${unit})`} inputMode="decimal" width="10"
        hint={`Only what was delivered in this period, in ${unit}. A whole number or up to 3 decimal places, like 2 or 1.5. Enter 0 if nothing was delivered.`}
      />
      <TextareaField
        field={fields.narrative!} label="What was delivered" rows={8}
        hint={`What was done, where, and who benefited. Needed to submit (you can save a draft without it). Up to ${RETURN_LIMITS.narrative.toLocaleString('en-GB')} characters.`}
      />
      <StoryCheckbox field={fields.isStory!} />
    </>
  );
}

/**
 * Evidence files (several) and up to three links. The form must be sent as multipart/form-data.
 * `noun` names what the files belong to in the hint (credit claims reuse these fields).
 */
export function EvidenceFields({ fields, noun = 'return' }: { fields: Fields; noun?: string }) {
  const evidence = fields.evidence!;
  const error = evidence.errors?.[0];
  return (
    <>
      <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-label--s" htmlFor={evidence.id}>Evidence files</label>
        <div id={`${evidence.id}-hint`} className="govuk-hint">
          Optional. Up to {MAX_FILES_PER_REQUEST} files at a time, {ACCEPTED_TYPES_TEXT}, each up to {formatBytes(MAX_FILE_BYTES)} ({formatBytes(MAX_RETURN_EVIDENCE_BYTES)} for all of a {noun}’s files). If the form shows a problem, select the files again.
        </div>
        <ErrorText field={evidence} />
        <input
          className={`govuk-file-upload${error ? ' govuk-file-upload--error' : ''}`}
          id={evidence.id} name="evidence" type="file" multiple
          accept={EVIDENCE_ACCEPT}
          aria-describedby={`${evidence.id}-hint${error ? ` ${evidence.errorId}` : ''}`}
        />
      </div>
      <fieldset className="govuk-fieldset govuk-!-margin-bottom-6">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Evidence links</legend>
        <div className="govuk-hint">Optional. Up to {RETURN_LIMITS.links} web addresses, for example a news story or a shared folder, each with a short title.</div>
        {LINK_NUMBERS.map((n) => (
          <div key={n} className="govuk-!-margin-bottom-4">
            <TextField field={fields[`linkUrl${n}`]!} label={`Link ${n}: web address`} type="url" spellCheck={false} autoComplete="off" />
            <TextField field={fields[`linkTitle${n}`]!} label={`Link ${n}: title`} width="two-thirds" />
          </div>
        ))}
      </fieldset>
    </>
  );
}

/** The fields in the order they appear, for the error summary. */
export function returnSummaryFields(fields: Fields, names: string[]): Record<string, Field> {
  const all = [...names, 'evidence', ...LINK_NUMBERS.flatMap((n) => [`linkUrl${n}`, `linkTitle${n}`])];
  return Object.fromEntries(all.map((name) => [name, fields[name]!]));
}
