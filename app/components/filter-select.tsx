import type { Option } from './form-fields';

/**
 * A labelled `<select>` for a GET filter form: its id is `filter-<name>`, and
 * `all` (when given) is a first, empty option meaning "no filter".
 */
export function FilterSelect({ name, label, options, all, value }: { name: string; label: string; options: Option[]; all?: string; value?: string | number }) {
  return (
    <div className="govuk-form-group">
      <label className="govuk-label govuk-label--s" htmlFor={`filter-${name}`}>{label}</label>
      <select className="govuk-select govuk-!-width-full" id={`filter-${name}`} name={name} defaultValue={value ?? ''}>
        {all ? <option value="">{all}</option> : null}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}
