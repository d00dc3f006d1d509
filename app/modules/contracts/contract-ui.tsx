import type { FieldMetadata } from '@conform-to/react';
import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { SelectField, TextareaField, TextField, type Option } from '~/components/form-fields';
import type { CommitmentStatus } from './commitment-status';
import { CONTRACT_STATUS_LABELS } from './contracts.schema';
import { CONTRACT_TAG_CLASSES, STATUS_TAG_CLASSES, type PresentedCommitment, type PresentedTotals } from './present';

// UI pieces shared by the contract pages and the contractor's home page.
// No server imports: these reach the browser.

type Field = FieldMetadata<unknown>;

/** The GOV.UK date input: day, month and year fields named `<name>.day` etc.; one message for the whole date. */
export function DateField({ field, legend, hint }: { field: Field; legend: string; hint?: ReactNode }) {
  const error = field.errors?.[0];
  const initial = (field.initialValue && typeof field.initialValue === 'object' ? field.initialValue : {}) as Record<string, unknown>;
  const hintId = hint ? `${field.id}-hint` : undefined;
  const describedBy = [hintId, error ? field.errorId : undefined].filter(Boolean).join(' ') || undefined;
  const parts = [
    { key: 'day', label: 'Day', width: 2, id: field.id },
    { key: 'month', label: 'Month', width: 2, id: `${field.id}-month` },
    { key: 'year', label: 'Year', width: 4, id: `${field.id}-year` },
  ] as const;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? <div id={hintId} className="govuk-hint">{hint}</div> : null}
        {error ? (
          <p id={field.errorId} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className="govuk-date-input">
          {parts.map((p) => (
            <div className="govuk-date-input__item" key={p.key}>
              <div className="govuk-form-group">
                <label className="govuk-label govuk-date-input__label" htmlFor={p.id}>{p.label}</label>
                <input
                  className={`govuk-input govuk-date-input__input govuk-input--width-${p.width}${error ? ' govuk-input--error' : ''}`}
                  id={p.id}
                  name={`${field.name}.${p.key}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={typeof initial[p.key] === 'string' ? (initial[p.key] as string) : undefined}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function StatusTag({ status, label }: { status: CommitmentStatus; label: string }) {
  return <strong className={`govuk-tag ${STATUS_TAG_CLASSES[status]}`}>{label}</strong>;
}

export function ContractStatusTag({ status }: { status: keyof typeof CONTRACT_TAG_CLASSES }) {
  return <strong className={`govuk-tag ${CONTRACT_TAG_CLASSES[status]}`}>{CONTRACT_STATUS_LABELS[status]}</strong>;
}

const num = 'govuk-table__cell govuk-table__cell--numeric';
const numHead = 'govuk-table__header govuk-table__header--numeric';

/** A contract's commitments with their figures and a totals row. */
export function CommitmentsTable({ contractId, commitments, totals, canEdit }: { contractId: string; commitments: PresentedCommitment[]; totals: PresentedTotals; canEdit: boolean }) {
  return (
    <table className="govuk-table govuk-!-font-size-16" data-testid="commitments-table">
      <caption className="govuk-table__caption govuk-table__caption--m">Commitments</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header govuk-!-width-one-third">Measure and what will be done</th>
          <th scope="col" className="govuk-table__header">Due</th>
          <th scope="col" className={numHead}>Target</th>
          <th scope="col" className={numHead}>Committed</th>
          <th scope="col" className={numHead}>Delivered</th>
          <th scope="col" className={numHead}>Substituted</th>
          <th scope="col" className={numHead}>Remaining</th>
          <th scope="col" className="govuk-table__header">Status</th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {commitments.map((c) => (
          <tr className="govuk-table__row" key={c.id}>
            <th scope="row" className="govuk-table__header govuk-!-font-weight-regular">
              <strong>{c.measureCode}</strong> {c.measureTitle}
              <span className="govuk-!-display-block govuk-!-margin-top-1">{c.description}</span>
              <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">Ward: {c.ward ?? 'any'}</span>
              {canEdit ? (
                <Link className="govuk-link" to={`/contracts/${contractId}/commitments/${c.id}/edit`}>
                  Edit<span className="govuk-visually-hidden"> commitment {c.measure}, due {c.due}</span>
                </Link>
              ) : null}
            </th>
            <td className="govuk-table__cell">{c.due}</td>
            <td className={num}>{c.target}</td>
            <td className={num}>{c.committedValue}</td>
            <td className={num}>{c.deliveredValue}<span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{c.delivered}</span></td>
            <td className={num}>{c.substitutedValue}<span className="govuk-!-display-block govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{c.substituted}</span></td>
            <td className={num}>{c.remainingValue}</td>
            <td className="govuk-table__cell"><StatusTag status={c.status} label={c.statusLabel} /></td>
          </tr>
        ))}
        <tr className="govuk-table__row">
          <th scope="row" className="govuk-table__header" colSpan={3}>Total</th>
          <td className={`${num} govuk-!-font-weight-bold`}>{totals.committed}</td>
          <td className={`${num} govuk-!-font-weight-bold`}>{totals.delivered}</td>
          <td className={`${num} govuk-!-font-weight-bold`}>{totals.substituted}</td>
          <td className={`${num} govuk-!-font-weight-bold`}>{totals.remaining}</td>
          <td className="govuk-table__cell"></td>
        </tr>
      </tbody>
    </table>
  );
}

/** The contract form's fields, shared by "create" and "edit". */
export function ContractFields({ fields, suppliers, officers }: {
  fields: Record<'reference' | 'title' | 'description' | 'supplierId' | 'value' | 'startDate' | 'endDate' | 'officerId', Field>;
  suppliers: Option[];
  officers: Option[];
}) {
  return (
    <>
      <TextField field={fields.reference} label="Reference" hint="The council’s contract reference, for example HW/2026/014. It must be unique." width="20" spellCheck={false} autoComplete="off" />
      <TextField field={fields.title} label="Title" autoComplete="off" />
      <TextareaField field={fields.description} label="Description (optional)" hint="What the contract is for." rows={4} />
      <SelectField field={fields.supplierId} label="Supplier" hint="A verified supplier organisation." placeholder="Select a supplier" options={suppliers} />
      <TextField field={fields.value} label="Contract value" hint="In pounds, for example 1250000 or £1,250,000.00." width="10" inputMode="decimal" autoComplete="off" />
      <DateField field={fields.startDate} legend="Start date" hint="For example, 1 4 2026" />
      <DateField field={fields.endDate} legend="End date" hint="The same as or after the start date. For example, 31 3 2029" />
      <SelectField field={fields.officerId} label="Responsible officer" hint="The council officer who manages this contract." placeholder="Select an officer" options={officers} />
    </>
  );
}

/** The commitment form's fields, shared by "add" and "edit". */
export function CommitmentFields({ fields, measures, wards }: {
  fields: Record<'measureId' | 'target' | 'dueDate' | 'wardId' | 'description', Field>;
  measures: Option[];
  wards: Option[];
}) {
  return (
    <>
      <SelectField field={fields.measureId} label="Measure" hint="From the council’s measures framework. The measure’s proxy value is copied when you save, and later changes to the framework do not alter it." placeholder="Select a measure" options={measures} />
      <TextField field={fields.target} label="Target quantity" hint="In the measure’s unit, with up to 3 decimal places, for example 2.5." width="10" inputMode="decimal" autoComplete="off" />
      <DateField field={fields.dueDate} legend="Due date" hint="On or after the contract’s start date. For example, 31 3 2027" />
      <SelectField field={fields.wardId} label="Ward (optional)" hint="Where the benefit will be delivered, if it is for one ward." placeholder="Any ward" options={wards} />
      <TextareaField field={fields.description} label="Description" hint="What exactly will be done, for example “2 apprentices recruited from Eastfield, each for 12 months”." rows={4} />
    </>
  );
}
