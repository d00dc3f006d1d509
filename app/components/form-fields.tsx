import type { FieldMetadata, FormMetadata } from '@conform-to/react';
import type { ReactNode } from 'react';
import { ErrorSummary, type SummaryError } from './error-summary';

// GOV.UK form patterns over conform's field metadata. Validation runs on the
// server (forms work without JavaScript); these render its messages.

type Field = FieldMetadata<string | undefined | null> | FieldMetadata<unknown>;

function firstError(field: Field): string | undefined {
  return field.errors?.[0];
}

function describedBy(field: Field, hintId?: string): string | undefined {
  const ids = [hintId, firstError(field) ? field.errorId : undefined].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function initial(field: Field): string | undefined {
  const value = field.initialValue;
  return typeof value === 'string' ? value : undefined;
}

function ErrorMessage({ field }: { field: Field }) {
  const message = firstError(field);
  if (!message) return null;
  return (
    <p id={field.errorId} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}

function Group({ field, children }: { field: Field; children: ReactNode }) {
  return <div className={`govuk-form-group${firstError(field) ? ' govuk-form-group--error' : ''}`}>{children}</div>;
}

interface TextFieldProps {
  field: Field;
  label: string;
  hint?: ReactNode;
  type?: 'text' | 'email' | 'password' | 'tel' | 'url' | 'number' | 'date';
  autoComplete?: string;
  width?: 'full' | 'two-thirds' | 'one-half' | '20' | '10' | '5';
  spellCheck?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'text';
  defaultValue?: string;
}

export function TextField({ field, label, hint, type = 'text', autoComplete, width, spellCheck, inputMode, defaultValue }: TextFieldProps) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const widthClass = width ? (/^\d+$/.test(width) ? ` govuk-input--width-${width}` : ` govuk-!-width-${width}`) : '';
  return (
    <Group field={field}>
      <label className="govuk-label" htmlFor={field.id}>{label}</label>
      {hint ? <div id={hintId} className="govuk-hint">{hint}</div> : null}
      <ErrorMessage field={field} />
      <input
        className={`govuk-input${widthClass}${firstError(field) ? ' govuk-input--error' : ''}`}
        id={field.id}
        name={field.name}
        type={type}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        defaultValue={type === 'password' ? undefined : (initial(field) ?? defaultValue)}
        aria-describedby={describedBy(field, hintId)}
        aria-invalid={firstError(field) ? true : undefined}
      />
    </Group>
  );
}

export function TextareaField({ field, label, hint, rows = 5, defaultValue }: { field: Field; label: string; hint?: ReactNode; rows?: number; defaultValue?: string }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  return (
    <Group field={field}>
      <label className="govuk-label" htmlFor={field.id}>{label}</label>
      {hint ? <div id={hintId} className="govuk-hint">{hint}</div> : null}
      <ErrorMessage field={field} />
      <textarea
        className={`govuk-textarea${firstError(field) ? ' govuk-textarea--error' : ''}`}
        id={field.id}
        name={field.name}
        rows={rows}
        defaultValue={initial(field) ?? defaultValue}
        aria-describedby={describedBy(field, hintId)}
        aria-invalid={firstError(field) ? true : undefined}
      />
    </Group>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({ field, label, hint, options, placeholder, defaultValue }: { field: Field; label: string; hint?: ReactNode; options: Option[]; placeholder?: string; defaultValue?: string }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  return (
    <Group field={field}>
      <label className="govuk-label" htmlFor={field.id}>{label}</label>
      {hint ? <div id={hintId} className="govuk-hint">{hint}</div> : null}
      <ErrorMessage field={field} />
      <select
        className={`govuk-select${firstError(field) ? ' govuk-select--error' : ''}`}
        id={field.id}
        name={field.name}
        defaultValue={initial(field) ?? defaultValue ?? ''}
        aria-describedby={describedBy(field, hintId)}
        aria-invalid={firstError(field) ? true : undefined}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Group>
  );
}

export function RadiosField({ field, legend, hint, options, defaultValue, inline }: { field: Field; legend: string; hint?: ReactNode; options: Option[]; defaultValue?: string; inline?: boolean }) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const value = initial(field) ?? defaultValue;
  return (
    <Group field={field}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(field, hintId)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? <div id={hintId} className="govuk-hint">{hint}</div> : null}
        <ErrorMessage field={field} />
        <div className={`govuk-radios${inline ? ' govuk-radios--inline' : ''}`}>
          {options.map((o, i) => (
            <div className="govuk-radios__item" key={o.value}>
              <input className="govuk-radios__input" id={i === 0 ? field.id : `${field.id}-${o.value}`} name={field.name} type="radio" value={o.value} defaultChecked={value === o.value} />
              <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? field.id : `${field.id}-${o.value}`}>{o.label}</label>
            </div>
          ))}
        </div>
      </fieldset>
    </Group>
  );
}

/** A field people never see; bots fill it in. Paired with isHoneypotFilled() on the server. */
export function Honeypot() {
  return (
    <div className="app-honeypot" aria-hidden="true">
      <label htmlFor="website_url">Leave this field empty</label>
      <input id="website_url" name="website_url" type="text" tabIndex={-1} autoComplete="off" />
    </div>
  );
}

/** The error summary for a conform form: field errors in field order, then form errors. */
export function FormErrorSummary({ form, fields }: { form: Pick<FormMetadata, 'id' | 'errors'>; fields: Record<string, Field> }) {
  const errors: SummaryError[] = [];
  const firstFieldId = Object.values(fields)[0]?.id ?? form.id;
  for (const message of form.errors ?? []) errors.push({ fieldId: firstFieldId, message });
  for (const field of Object.values(fields)) {
    const message = firstError(field);
    if (message) errors.push({ fieldId: field.id, message });
  }
  return <ErrorSummary errors={errors} />;
}
