// Pure aggregation of per-commitment figures into totals and breakdowns.
// Each commitment's £ figures are computed (and rounded) once, in SQL, exactly
// as the contract page does; a total is the plain integer sum of those figures.
// Definitions: docs/reporting.md.

export interface CommitmentPeriodFigures {
  commitmentId: string;
  contractId: string;
  contractReference: string;
  contractTitle: string;
  supplierId: string;
  supplierName: string;
  measureId: string;
  measureCode: string;
  measureTitle: string;
  unit: string;
  theme: string;
  wardId: string | null;
  wardName: string | null;
  targetMilli: number;
  /** Approved returns whose period ends inside the chosen period. */
  deliveredMilli: number;
  /** Quantity of approved swaps decided inside the chosen period. */
  substitutedMilli: number;
  /** Target less everything delivered and substituted up to the period's end (not below 0). */
  remainingMilli: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
}

export interface Totals {
  commitments: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
}

export interface BreakdownRow extends Totals {
  key: string;
  label: string;
  /** Where the records behind the row are listed (staff pages); null when there is no such list. */
  href: string | null;
  /** Measure breakdown only: quantities in the measure's unit. */
  unit?: string;
  targetMilli?: number;
  deliveredMilli?: number;
  substitutedMilli?: number;
  remainingMilli?: number;
  /** Suppliers whose commitments make up the row (for the public disclosure rule). */
  supplierIds: Set<string>;
  /** Each supplier's committed value in the row, in pence. */
  supplierCommitted: Map<string, number>;
  /** Each supplier's delivered plus substituted value in the row, in pence. */
  supplierDelivered: Map<string, number>;
}

export const DIMENSIONS = ['theme', 'measure', 'ward', 'supplier', 'contract'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, { singular: string; plural: string }> = {
  theme: { singular: 'Theme', plural: 'themes' },
  measure: { singular: 'Measure', plural: 'measures' },
  ward: { singular: 'Ward', plural: 'wards' },
  supplier: { singular: 'Supplier', plural: 'suppliers' },
  contract: { singular: 'Contract', plural: 'contracts' },
};

export const NO_WARD = 'Authority-wide (no ward)';

export const ZERO: Totals = { commitments: 0, committedPence: 0, deliveredPence: 0, substitutedPence: 0, remainingPence: 0 };

export function totalsOf(rows: readonly CommitmentPeriodFigures[]): Totals {
  const t = { ...ZERO };
  for (const r of rows) {
    t.commitments += 1;
    t.committedPence += r.committedPence;
    t.deliveredPence += r.deliveredPence;
    t.substitutedPence += r.substitutedPence;
    t.remainingPence += r.remainingPence;
  }
  return t;
}

function keyOf(r: CommitmentPeriodFigures, dimension: Dimension): { key: string; label: string; href: string | null } {
  switch (dimension) {
    case 'theme': return { key: r.theme, label: r.theme, href: `/contracts?theme=${encodeURIComponent(r.theme)}` };
    case 'measure': return { key: r.measureId, label: `${r.measureCode}: ${r.measureTitle}`, href: null };
    case 'ward': return r.wardId
      ? { key: r.wardId, label: r.wardName ?? r.wardId, href: `/contracts?ward=${encodeURIComponent(r.wardId)}` }
      : { key: '', label: NO_WARD, href: null };
    case 'supplier': return { key: r.supplierId, label: r.supplierName, href: `/contracts?supplier=${encodeURIComponent(r.supplierId)}` };
    case 'contract': return { key: r.contractId, label: `${r.contractReference}: ${r.contractTitle}`, href: `/contracts/${r.contractId}` };
  }
}

/** A breakdown's order: largest committed value first, then by label and key. */
export function largestFirst(a: Pick<BreakdownRow, 'committedPence' | 'label' | 'key'>, b: Pick<BreakdownRow, 'committedPence' | 'label' | 'key'>): number {
  return b.committedPence - a.committedPence || a.label.localeCompare(b.label) || a.key.localeCompare(b.key);
}

/** Rows of one breakdown, largest committed value first (then by label). */
export function breakdown(rows: readonly CommitmentPeriodFigures[], dimension: Dimension): BreakdownRow[] {
  const groups = new Map<string, BreakdownRow>();
  for (const r of rows) {
    const { key, label, href } = keyOf(r, dimension);
    let g = groups.get(key);
    if (!g) {
      g = { key, label, href, ...ZERO, supplierIds: new Set(), supplierCommitted: new Map(), supplierDelivered: new Map() };
      if (dimension === 'measure') Object.assign(g, { unit: r.unit, targetMilli: 0, deliveredMilli: 0, substitutedMilli: 0, remainingMilli: 0 });
      groups.set(key, g);
    }
    g.commitments += 1;
    g.committedPence += r.committedPence;
    g.deliveredPence += r.deliveredPence;
    g.substitutedPence += r.substitutedPence;
    g.remainingPence += r.remainingPence;
    g.supplierIds.add(r.supplierId);
    g.supplierCommitted.set(r.supplierId, (g.supplierCommitted.get(r.supplierId) ?? 0) + r.committedPence);
    g.supplierDelivered.set(r.supplierId, (g.supplierDelivered.get(r.supplierId) ?? 0) + r.deliveredPence + r.substitutedPence);
    if (dimension === 'measure') {
      g.targetMilli! += r.targetMilli;
      g.deliveredMilli! += r.deliveredMilli;
      g.substitutedMilli! += r.substitutedMilli;
      g.remainingMilli! += r.remainingMilli;
    }
  }
  return [...groups.values()].sort(largestFirst);
}

/** A breakdown row without its working sets (what pages and CSVs receive). */
export type PlainBreakdownRow = Omit<BreakdownRow, 'supplierIds' | 'supplierCommitted' | 'supplierDelivered'>;

export function plain(rows: readonly BreakdownRow[]): PlainBreakdownRow[] {
  return rows.map(({ supplierIds: _ids, supplierCommitted: _committed, supplierDelivered: _delivered, ...row }) => row);
}
