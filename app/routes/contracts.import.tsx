import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { ErrorSummary, type SummaryError } from '~/components/error-summary';
import { SubmitButton } from '~/components/submit-button';
import { IMPORT_COLUMNS, MAX_REPORTED_PROBLEMS, type ImportProblem } from '~/modules/contracts/contracts-import.schema';
import { importContracts } from '~/modules/contracts/contracts-import.server';
import { FILE_TOO_BIG } from '~/utils/csv';
import { readCsvUpload } from '~/utils/csv-upload.server';
import { MAX_CSV_BYTES, MAX_CSV_ROWS } from '~/utils/csv';

export const handle = { title: 'Import contracts' };

const FILE_FIELD = 'file';
const PROBLEMS_ID = 'import-problems';

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'contract:manage');
  return null;
}

interface Failure {
  /** "error" gives the page title its "Error:" prefix (see usePageTitle). */
  status: 'error';
  fileName: string | null;
  problems: ImportProblem[];
  totalProblems: number;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'contract:manage');
  // Reads at most the 2 MB limit (plus the form's framing): a bigger upload is refused
  // from its Content-Length, or as soon as more than that has arrived.
  const upload = await readCsvUpload(request, FILE_FIELD);
  if (!upload.ok) {
    const failure: Failure = { status: 'error', fileName: null, problems: [{ line: null, column: null, message: upload.message }], totalProblems: 1 };
    return data(failure, { status: upload.message === FILE_TOO_BIG ? 413 : 400 });
  }
  const result = await importContracts(getDb(), { name: upload.fileName, bytes: upload.bytes }, auditActor(user, context));
  if (!result.ok) {
    const failure: Failure = { status: 'error', fileName: upload.fileName, problems: result.problems, totalProblems: result.totalProblems };
    return data(failure, { status: 400 });
  }
  // The list shows "Imported N contracts with M commitments" from the import's audit event (findContractsImport).
  return redirect(`/contracts?imported=${encodeURIComponent(result.importId)}`, 303);
}

/** A problem about the file as a whole (not on a row) belongs next to the file field. */
const isFileProblem = (p: ImportProblem) => p.line === null && p.column === null;

function summaryErrors(failure: Failure | undefined): SummaryError[] {
  if (!failure) return [];
  if (failure.problems.every(isFileProblem)) return failure.problems.map((p) => ({ fieldId: FILE_FIELD, message: p.message }));
  const count = failure.totalProblems === 1 ? '1 problem' : `${failure.totalProblems.toLocaleString('en-GB')} problems`;
  return [{ fieldId: PROBLEMS_ID, message: `${failure.fileName ?? 'The file'} has ${count}. Nothing has been imported: fix ${failure.totalProblems === 1 ? 'it' : 'each one'} and upload the file again` }];
}

export default function ImportContracts() {
  const failure = useActionData<typeof action>();
  const fileError = failure?.problems.every(isFileProblem) ? failure.problems[0]?.message : undefined;
  return (
    <>
      <ErrorSummary errors={summaryErrors(failure)} />
      <span className="govuk-caption-l">Contracts</span>
      <h1 className="govuk-heading-l">Import contracts from a spreadsheet</h1>
      {failure && !fileError ? <ProblemsTable failure={failure} /> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <p className="govuk-body">
            Add many contracts with their social value commitments at once from a CSV file: one row for each commitment, with
            the contract’s details repeated on each of its rows.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/contracts/import-template.csv" download>Download the template (CSV)</a>
            {' '}and replace its example rows with your own. In Excel, save the file as “CSV UTF-8 (comma delimited)”.
          </p>
          <div className="govuk-inset-text">
            Every row is checked before anything is saved. If any row has a problem, nothing is imported and each problem is
            listed with its row and column. The import only creates new contracts: to change a contract that is already in
            the portal, open it from the <Link className="govuk-link" to="/contracts">contracts list</Link>.
          </div>
          <UploadForm fileError={fileError} />
        </div>
      </div>
      <ColumnsGuide />
    </>
  );
}

function UploadForm({ fileError }: { fileError?: string }) {
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-label--m" htmlFor={FILE_FIELD}>Upload a CSV file</label>
        <div id={`${FILE_FIELD}-hint`} className="govuk-hint">
          A CSV file saved as UTF-8, up to {MAX_CSV_BYTES / 1024 / 1024} MB and {MAX_CSV_ROWS.toLocaleString('en-GB')} rows
        </div>
        {fileError ? (
          <p id={`${FILE_FIELD}-error`} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {fileError}</p>
        ) : null}
        <input
          className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
          id={FILE_FIELD}
          name={FILE_FIELD}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`${FILE_FIELD}-hint${fileError ? ` ${FILE_FIELD}-error` : ''}`}
        />
      </div>
      <SubmitButton>Import contracts</SubmitButton>
    </Form>
  );
}

function ProblemsTable({ failure }: { failure: Failure }) {
  const shown = failure.problems.length;
  return (
    <div id={PROBLEMS_ID} tabIndex={-1}>
      <h2 className="govuk-heading-m">Problems in {failure.fileName ?? 'the file'}</h2>
      <p className="govuk-body">
        Nothing has been imported. Fix these in your spreadsheet, save it as CSV UTF-8 and upload it again. Row numbers
        are the line numbers in the file: the column names are on row 1.
        {failure.totalProblems > shown ? ` Showing the first ${MAX_REPORTED_PROBLEMS} of ${failure.totalProblems.toLocaleString('en-GB')} problems.` : ''}
      </p>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Problems found, by row and column</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Row</th>
            <th scope="col" className="govuk-table__header">Column</th>
            <th scope="col" className="govuk-table__header">Problem</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {failure.problems.map((p, i) => (
            <tr className="govuk-table__row" key={`${p.line}-${p.column}-${i}`}>
              <td className="govuk-table__cell">{p.line ?? '–'}</td>
              <td className="govuk-table__cell">{p.column ? <code>{p.column}</code> : '–'}</td>
              <td className="govuk-table__cell">{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ColumnsGuide() {
  return (
    <>
      <h2 className="govuk-heading-m">Columns</h2>
      <p className="govuk-body">
        The first row names the columns, in any order. Rows with the same contract reference make one contract, so its
        contract columns (marked “contract”) must be the same on each of its rows.
      </p>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">The columns of the import file</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Column</th>
            <th scope="col" className="govuk-table__header">Required</th>
            <th scope="col" className="govuk-table__header">What to put</th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {IMPORT_COLUMNS.map((c) => (
            <tr className="govuk-table__row" key={c.name}>
              <th scope="row" className="govuk-table__header"><code>{c.name}</code></th>
              <td className="govuk-table__cell">{c.required ? 'Yes' : 'No'}{c.contract ? ' (contract)' : ''}</td>
              <td className="govuk-table__cell">{c.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
