import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb } from '#db/client';
import { requirePermission } from '~/auth/guards.server';
import { SuccessBanner } from '~/components/notification-banner';
import { Pagination, ResultsCount, parsePage, usePageHref } from '~/components/pagination';
import { formatPence } from '~/modules/contracts/figures';
import { parseMeasureFilters } from '~/modules/measures/measures.schema';
import { findMeasure, listFrameworkYears, listMeasures, listThemes } from '~/modules/measures/measures.server';
import { FilterActions } from '~/components/filter-actions';

export const handle = { title: 'Measures framework' };

/** Confirmation banners after add, edit and import (the ids and counts come back in the query string). */
async function bannerFor(searchParams: URLSearchParams): Promise<string | null> {
  const db = getDb();
  for (const [key, text] of [['added', 'added'], ['saved', 'saved'], ['unchanged', 'not changed: nothing was different']] as const) {
    const id = searchParams.get(key);
    if (!id) continue;
    const measure = await findMeasure(db, id);
    if (measure) return `Measure ${measure.code} ${text}`;
  }
  if (searchParams.get('imported') === '1') {
    const n = (name: string) => Math.max(0, Number.parseInt(searchParams.get(name) ?? '0', 10) || 0);
    return `Import complete: ${n('created')} added, ${n('updated')} updated, ${n('unchanged')} unchanged`;
  }
  return null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'measure:manage');
  const url = new URL(request.url);
  const filters = parseMeasureFilters(url.searchParams);
  const db = getDb();
  const list = await listMeasures(db, filters, parsePage(url.searchParams.get('page')));
  return {
    filters,
    themes: await listThemes(db),
    years: await listFrameworkYears(db),
    banner: await bannerFor(url.searchParams),
    total: list.total, page: list.page, pageCount: list.pageCount, pageSize: list.pageSize,
    measures: list.rows.map((m) => ({
      id: m.id, code: m.code, theme: m.theme, outcome: m.outcome, title: m.title, unit: m.unit,
      proxyValue: formatPence(m.proxy_value_pence), frameworkYear: m.framework_year, active: m.active === 1, isDemo: m.is_demo === 1,
    })),
  };
}

export default function Measures() {
  const { filters, themes, years, banner, total, page, pageCount, pageSize, measures } = useLoaderData<typeof loader>();
  const hrefFor = usePageHref();
  const filtered = Boolean(filters.q || filters.theme || filters.status || filters.year);
  return (
    <>
      {banner ? (
        <SuccessBanner heading={banner} headingElement="p" />
      ) : null}
      <h1 className="govuk-heading-l">Measures framework</h1>
      <p className="govuk-body">
        Each measure turns a quantity delivered into £ of social value at its proxy value. Commitments copy the proxy value when they are made,
        so editing a measure never changes past figures. Measures are retired, never deleted.
      </p>
      <div className="govuk-button-group">
        <Link className="govuk-button" to="/admin/measures/new" role="button" data-module="govuk-button">Add a measure</Link>
        <Link className="govuk-button govuk-button--secondary" to="/admin/measures/import" role="button" data-module="govuk-button">Import from CSV</Link>
        <a className="govuk-link" href="/admin/measures.csv" download>Download all measures as CSV</a>
      </div>

      <Form method="get" className="app-filter" aria-label="Filter measures">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="q">Search</label>
              <div id="q-hint" className="govuk-hint">Code, title or outcome</div>
              <input className="govuk-input" id="q" name="q" type="text" defaultValue={filters.q ?? ''} aria-describedby="q-hint" />
            </div>
          </div>
          <div className="govuk-grid-column-one-half">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="theme">Theme</label>
              <select className="govuk-select" id="theme" name="theme" defaultValue={filters.theme ?? ''}>
                <option value="">Any theme</option>
                {themes.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </div>
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="status">Status</label>
              <select className="govuk-select" id="status" name="status" defaultValue={filters.status ?? ''}>
                <option value="">Active and retired</option>
                <option value="active">Active</option>
                <option value="retired">Retired</option>
              </select>
            </div>
          </div>
          <div className="govuk-grid-column-one-half">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="year">Framework year</label>
              <select className="govuk-select" id="year" name="year" defaultValue={filters.year ? String(filters.year) : ''}>
                <option value="">Any year</option>
                {years.map((y) => <option key={y} value={y}>{y}</option>)}
              </select>
            </div>
          </div>
        </div>
        <FilterActions clearTo="/admin/measures" showClear={filtered} compact />
      </Form>

      <ResultsCount page={page} pageSize={pageSize} total={total} noun={['measure', 'measures']} />
      {measures.length > 0 ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Measures, by code</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Code</th>
              <th scope="col" className="govuk-table__header">Measure</th>
              <th scope="col" className="govuk-table__header">Theme</th>
              <th scope="col" className="govuk-table__header">Unit</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Proxy value per unit</th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">Year</th>
              <th scope="col" className="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {measures.map((m) => (
              <tr className="govuk-table__row" key={m.id}>
                <td className="govuk-table__cell"><Link className="govuk-link" to={`/admin/measures/${m.id}`}>{m.code}<span className="govuk-visually-hidden">: edit</span></Link></td>
                <td className="govuk-table__cell">{m.title}<br /><span className="govuk-hint govuk-!-margin-bottom-0">{m.outcome}</span></td>
                <td className="govuk-table__cell">{m.theme}</td>
                <td className="govuk-table__cell">{m.unit}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{m.proxyValue}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{m.frameworkYear}</td>
                <td className="govuk-table__cell">
                  {m.active ? <strong className="govuk-tag govuk-tag--green">Active</strong> : <strong className="govuk-tag govuk-tag--grey">Retired</strong>}
                  {m.isDemo ? <><br /><strong className="govuk-tag govuk-tag--yellow govuk-!-margin-top-1">Demo figures</strong></> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination page={page} pageCount={pageCount} hrefFor={hrefFor} />
    </>
  );
}
