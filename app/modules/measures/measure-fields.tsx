import type { FieldMetadata } from '@conform-to/react';
import { TextField } from '~/components/form-fields';

// The add and edit pages share these fields (names = the CSV columns).
// Kept beside the measures module because only these two pages use it.

type Field = FieldMetadata<string | undefined | null> | FieldMetadata<unknown>;

export interface MeasureFieldSet {
  code: Field;
  theme: Field;
  outcome: Field;
  title: Field;
  unit: Field;
  proxy_value: Field;
  framework_year: Field;
}

/** A text input offering the themes already in use (a datalist: works without JavaScript). */
function ThemeField({ field, themes }: { field: Field; themes: string[] }) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const listId = `${field.id}-themes`;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label" htmlFor={field.id}>Theme</label>
      <div id={hintId} className="govuk-hint">
        Start typing to choose a theme already in use{themes.length ? ` (${themes.join(', ')})` : ''}, or type a new one.
      </div>
      {error ? (
        <p id={field.errorId} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p>
      ) : null}
      <input
        className={`govuk-input govuk-!-width-two-thirds${error ? ' govuk-input--error' : ''}`}
        id={field.id}
        name={field.name}
        type="text"
        list={listId}
        autoComplete="off"
        defaultValue={typeof field.initialValue === 'string' ? field.initialValue : undefined}
        aria-describedby={error ? `${hintId} ${field.errorId}` : hintId}
        aria-invalid={error ? true : undefined}
      />
      <datalist id={listId}>
        {themes.map((t) => <option key={t} value={t} />)}
      </datalist>
    </div>
  );
}

export function MeasureFields({ fields, themes }: { fields: MeasureFieldSet; themes: string[] }) {
  return (
    <>
      <TextField field={fields.code} label="Code" width="10" spellCheck={false} autoComplete="off" hint="A short unique reference, like JOB-01. Letters, digits, full stops, hyphens and slashes." />
      <ThemeField field={fields.theme} themes={themes} />
      <TextField field={fields.outcome} label="Outcome" hint="What the measure contributes to, like “More local people in good work”." />
      <TextField field={fields.title} label="Title" hint="What exactly is counted, like “Local residents employed to deliver the contract”." />
      <TextField field={fields.unit} label="Unit" width="20" hint="What one unit is, like FTE, hours, weeks, £ spend or tonnes CO2e." />
      <TextField
        field={fields.proxy_value}
        label="Proxy value per unit, in pounds"
        width="10"
        inputMode="decimal"
        hint="The £ of social value one unit is worth, like 1234.56 or £1,234.56. Commitments already made keep the value they copied."
      />
      <TextField field={fields.framework_year} label="Framework year" width="5" inputMode="numeric" hint="The year of the framework this value comes from, like 2026." />
    </>
  );
}

/** The fields in error-summary order. */
export function measureSummaryFields(fields: MeasureFieldSet): Record<string, Field> {
  return {
    code: fields.code, theme: fields.theme, outcome: fields.outcome, title: fields.title,
    unit: fields.unit, proxy_value: fields.proxy_value, framework_year: fields.framework_year,
  };
}
