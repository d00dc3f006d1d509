import type { CommitmentPeriodFigures, Dimension } from './breakdowns';
import { DIMENSIONS, NO_WARD, totalsOf, type Totals } from './breakdowns';

// The records behind a dashboard figure: the commitments a breakdown row (or
// the headline totals) adds up, each with the same period figures, so the
// rows on the drill-down page sum to the figure that linked to it. Pure.

export const DRILL_DOWN_PATH = '/officer/dashboard/commitments';
export const DRILL_DOWN_PAGE_SIZE = 50;

export interface DrillDownFilter {
  dimension: Dimension;
  /** The breakdown row's key; '' is the ward breakdown's "no ward" row. */
  key: string;
}

/** The filter from the URL; null (all commitments) when there is none or it is not a breakdown. */
export function parseDrillDown(params: URLSearchParams): DrillDownFilter | null {
  const dimension = params.get('dimension');
  const key = params.get('key');
  if (!dimension || key === null || !(DIMENSIONS as readonly string[]).includes(dimension)) return null;
  return { dimension: dimension as Dimension, key: key.slice(0, 200) };
}

export function keyOfDimension(r: CommitmentPeriodFigures, dimension: Dimension): string {
  switch (dimension) {
    case 'theme': return r.theme;
    case 'measure': return r.measureId;
    case 'ward': return r.wardId ?? '';
    case 'supplier': return r.supplierId;
    case 'contract': return r.contractId;
  }
}

/** The drill-down page's address for a row of a breakdown (or for all commitments), for one period. */
export function drillDownHref(periodQuery: string, filter: DrillDownFilter | null): string {
  const params = new URLSearchParams(periodQuery);
  if (filter) {
    params.set('dimension', filter.dimension);
    params.set('key', filter.key);
  }
  return `${DRILL_DOWN_PATH}?${params.toString()}`;
}

export interface DrillDown {
  rows: CommitmentPeriodFigures[];
  totals: Totals;
  /** The label of the filtered group (e.g. the theme's name), or null for all commitments. */
  label: string | null;
}

/** The commitments behind a figure, largest committed value first; totals over all of them (not one page). */
export function drillDown(all: readonly CommitmentPeriodFigures[], filter: DrillDownFilter | null): DrillDown {
  const rows = filter ? all.filter((r) => keyOfDimension(r, filter.dimension) === filter.key) : [...all];
  rows.sort((a, b) => b.committedPence - a.committedPence || a.contractReference.localeCompare(b.contractReference) || a.commitmentId.localeCompare(b.commitmentId));
  const first = rows[0];
  let label: string | null = null;
  if (filter && first) {
    switch (filter.dimension) {
      case 'theme': label = first.theme; break;
      case 'measure': label = `${first.measureCode}: ${first.measureTitle}`; break;
      case 'ward': label = first.wardName ?? NO_WARD; break;
      case 'supplier': label = first.supplierName; break;
      case 'contract': label = `${first.contractReference}: ${first.contractTitle}`; break;
    }
  }
  return { rows, totals: totalsOf(rows), label };
}

/** Points each row's link at the commitments behind it for this period (the contract breakdown keeps its contract page). */
export function withDrillDown<R extends { key: string; href: string | null }>(dimension: Dimension, rows: readonly R[], periodQuery: string): R[] {
  return rows.map((r) => ({ ...r, href: dimension === 'contract' ? r.href : drillDownHref(periodQuery, { dimension, key: r.key }) }));
}
