import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { ErrorSummary, type SummaryError } from '~/components/error-summary';
import { SubmitButton } from '~/components/submit-button';
import { readCsvUpload } from '~/utils/csv-upload.server';
import { importMeasuresCsv } from '~/modules/measures/measures-csv.server';
import { MAX_FRAMEWORK_YEAR, MIN_FRAMEWORK_YEAR, type ImportProblem } from '~/modules/measures/measures.schema';
import { MAX_CSV_BYTES, MAX_CSV_ROWS } from '~/utils/csv';

export const handle = { title: 'Import measures from CSV' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'measure:manage');
  const upload = await readCsvUpload(request, 'file');
  if (!upload.ok) {
    return data({ status: 'error' as const, fileName: null, problems: [{ line: null, column: null, message: upload.message }], totalProblems: 1 }, { status: 400 });
  }
  const result = await importMeasuresCsv(getDb(), upload.bytes, auditActor(user, context));
  if (!result.ok) {
    return data({ status: 'error' as const, fileName: upload.fileName, problems: result.problems, totalProblems: result.totalProblems }, { status: 400 });
  }
  const counts = new URLSearchParams({ imported: '1', created: String(result.created), updated: String(result.updated), unchanged: String(result.unchanged) });
  return redirect(`/admin/measures?${counts}`, 303);
}

const SUMMARY_LIMIT = 10;
const MB = MAX_CSV_BYTES / 1024 / 1024;

const problemId = (i: number) => `problem-${i}`;
const where = (p: ImportProblem) => [p.line !== null ? `Line ${p.line}` : null, p.column ? `column ${p.column}` : null].filter(Boolean).join(', ');

const COLUMNS: Array<[string, string, string]> = [
  ['code', 'Yes', 'Unique reference, like JOB-01. Letters, digits, full stops, hyphens and slashes. Capitals do not count: job-01 and JOB-01 are the same code.'],
  ['theme', 'Yes', 'Like Jobs or Environment. A theme already in use keeps its spelling.'],
  ['outcome', 'Yes', 'What the measure contributes to.'],
  ['title', 'Yes', 'What exactly is counted.'],
  ['unit', 'Yes', 'Like FTE, hours, weeks, £ spend or tonnes CO2e.'],
  ['proxy_value', 'Yes', '£ of social value per unit, like 1234.56 or £1,234.56 (no minus sign).'],
  ['framework_year', 'Yes', `A year from ${MIN_FRAMEWORK_YEAR} to ${MAX_FRAMEWORK_YEAR}, like 2026.`],
  ['active', 'No', 'yes or no (true/false and 1/0 also work). Blank or left out means yes; no retires the measure.'],
];

export default function ImportMeasures() {
  const result = useActionData<typeof action>();
  const problems = result?.problems ?? [];
  const fileProblems = problems.filter((p) => p.line === null);
  const summary: SummaryError[] = problems.slice(0, SUMMARY_LIMIT).map((p, i) => ({
    fieldId: p.line === null ? 'file' : problemId(i),
    message: p.line === null ? p.message : `${where(p)}: ${p.message}`,
  }));
  if (result && result.totalProblems > SUMMARY_LIMIT) {
    summary.push({ fieldId: 'problems', message: `${result.totalProblems - SUMMARY_LIMIT} more problems: see the full list below` });
  }
  const fileError = fileProblems[0]?.message ?? (problems.length ? 'Fix the problems listed below, then upload the file again. Nothing has been imported' : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <ErrorSummary errors={summary} />
        <Link className="govuk-back-link" to="/admin/measures">Back to measures</Link>
        <h1 className="govuk-heading-l">Import measures from CSV</h1>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <p className="govuk-body">Upload the authority’s measures framework as a CSV file, for example from a national framework’s yearly release.</p>
            <ul className="govuk-list govuk-list--bullet">
              <li>Every row is checked first. If any row has a problem, nothing is imported and each problem is listed by line and column.</li>
              <li>A row whose code is already in the framework <strong>updates that measure</strong>. Other rows add new measures. Measures not in the file are left as they are.</li>
              <li>Each code may appear only once in a file.</li>
              <li>Cells that start with =, +, - or @ are refused: a spreadsheet would run them as formulas, so the portal does not store them.</li>
              <li>The file must be smaller than {MB} MB, with at most {MAX_CSV_ROWS.toLocaleString('en-GB')} rows, saved as “CSV UTF-8”.</li>
            </ul>
            <p className="govuk-body">
              <a className="govuk-link" href="/admin/measures/template.csv" download>Download a template (CSV)</a>, or{' '}
              <a className="govuk-link" href="/admin/measures.csv" download>download the current framework</a> to edit and import back.
            </p>
          </div>
        </div>

        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Columns</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Column</th>
              <th scope="col" className="govuk-table__header">Required</th>
              <th scope="col" className="govuk-table__header">What to put in it</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {COLUMNS.map(([name, required, text]) => (
              <tr className="govuk-table__row" key={name}>
                <th scope="row" className="govuk-table__header"><code>{name}</code></th>
                <td className="govuk-table__cell">{required}</td>
                <td className="govuk-table__cell">{text}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="govuk-body">The first row names the columns, in any order. Capitals in column names do not matter.</p>

        <Form method="post" encType="multipart/form-data" noValidate>
          <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
            <label className="govuk-label govuk-label--m" htmlFor="file">Upload a CSV file</label>
            <div id="file-hint" className="govuk-hint">{result?.fileName ? `Last file: ${result.fileName}. Select it again after fixing it.` : `Smaller than ${MB} MB.`}</div>
            {fileError ? <p id="file-error" className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {fileError}</p> : null}
            <input
              className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
              id="file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
            />
          </div>
          <SubmitButton>Import measures</SubmitButton>
        </Form>

        {problems.some((p) => p.line !== null) ? <ProblemTable problems={problems} total={result?.totalProblems ?? problems.length} /> : null}
      </div>
    </div>
  );
}

function ProblemTable({ problems, total }: { problems: ImportProblem[]; total: number }) {
  return (
    <>
      <h2 className="govuk-heading-m" id="problems" tabIndex={-1}>Problems in the file</h2>
      <p className="govuk-body">
        {total === 1 ? 'There is 1 problem.' : `There are ${total.toLocaleString('en-GB')} problems.`}
        {total > problems.length ? ` The first ${problems.length} are listed.` : ''} Nothing has been imported.
      </p>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Problems by line and column</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">Line</th>
            <th scope="col" className="govuk-table__header">Column</th>
            <th scope="col" className="govuk-table__header">Problem</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {problems.map((p, i) => (
            <tr className="govuk-table__row" key={problemId(i)} id={problemId(i)}>
              <td className="govuk-table__cell govuk-table__cell--numeric">{p.line ?? '–'}</td>
              <td className="govuk-table__cell">{p.column ? <code>{p.column}</code> : 'Whole row'}</td>
              <td className="govuk-table__cell">{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
