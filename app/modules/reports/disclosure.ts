import type { BreakdownRow, Totals } from './breakdowns';

// The public impact page's disclosure rule (ADR 0019, docs/reporting.md).
// Pure: takes breakdown rows with their per-supplier figures, returns what may
// be published.
//
// 1. Nothing is ever broken down by supplier, contract or measure in public,
//    and no supplier, contract or person is named.
// 2. A theme or ward row is published only if at least MIN_SUPPLIERS suppliers
//    have commitments in it AND no one supplier holds more than DOMINANCE of
//    its committed value, nor more than DOMINANCE of its delivered plus
//    substituted value.
// 3. Rows that fail are merged into one "Other" row. If that row fails too,
//    the smallest published rows join it until it passes, so a hidden figure
//    can never be worked out by subtracting the published rows from the total.
// 4. If even the whole (the total) fails, no figures are published at all.

export const MIN_SUPPLIERS = 3;
/** The largest share of a row one supplier may hold: 80%. */
export const DOMINANCE = 0.8;

export interface PublicRow extends Totals {
  key: string;
  label: string;
  /** How many rows were merged into it ("Other" only). */
  merged: number;
}

interface Cell {
  committed: Map<string, number>;
  delivered: Map<string, number>;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const maxOf = (m: Map<string, number>) => Math.max(0, ...m.values());

/** Does a cell (a row, or rows merged) pass the rule? */
export function passes(cell: Cell): boolean {
  const suppliers = new Set([...cell.committed.keys(), ...cell.delivered.keys()]);
  if (suppliers.size < MIN_SUPPLIERS) return false;
  const dominated = (m: Map<string, number>) => sum(m) > 0 && maxOf(m) > DOMINANCE * sum(m);
  return !dominated(cell.committed) && !dominated(cell.delivered);
}

function mergeMaps(target: Map<string, number>, source: Map<string, number>) {
  for (const [k, v] of source) target.set(k, (target.get(k) ?? 0) + v);
}

function add(a: Totals, b: Totals): Totals {
  return {
    commitments: a.commitments + b.commitments, committedPence: a.committedPence + b.committedPence, deliveredPence: a.deliveredPence + b.deliveredPence,
    substitutedPence: a.substitutedPence + b.substitutedPence, remainingPence: a.remainingPence + b.remainingPence,
  };
}

const totalsOfRow = (r: BreakdownRow): Totals => ({
  commitments: r.commitments, committedPence: r.committedPence, deliveredPence: r.deliveredPence, substitutedPence: r.substitutedPence, remainingPence: r.remainingPence,
});

export interface Disclosed {
  /** False when the whole fails the rule: nothing is published. */
  publishable: boolean;
  rows: PublicRow[];
  totals: Totals | null;
}

export function disclose(rows: readonly BreakdownRow[], otherLabel: string): Disclosed {
  const whole: Cell = { committed: new Map(), delivered: new Map() };
  let totals: Totals = { commitments: 0, committedPence: 0, deliveredPence: 0, substitutedPence: 0, remainingPence: 0 };
  for (const r of rows) {
    mergeMaps(whole.committed, r.supplierCommitted);
    mergeMaps(whole.delivered, r.supplierDelivered);
    totals = add(totals, totalsOfRow(r));
  }
  if (!passes(whole)) return { publishable: false, rows: [], totals: null };

  // Published rows, largest committed first; failures go to "Other".
  const shown = rows.filter((r) => passes({ committed: r.supplierCommitted, delivered: r.supplierDelivered }));
  const hidden = rows.filter((r) => !shown.includes(r));
  const other: Cell = { committed: new Map(), delivered: new Map() };
  for (const r of hidden) { mergeMaps(other.committed, r.supplierCommitted); mergeMaps(other.delivered, r.supplierDelivered); }
  // Rule 3: grow "Other" with the smallest published rows until it passes (the whole passes, so this ends).
  const byCommitted = [...shown].sort((a, b) => a.committedPence - b.committedPence || a.label.localeCompare(b.label));
  while (hidden.length > 0 && !passes(other)) {
    const smallest = byCommitted.shift()!;
    shown.splice(shown.indexOf(smallest), 1);
    hidden.push(smallest);
    mergeMaps(other.committed, smallest.supplierCommitted);
    mergeMaps(other.delivered, smallest.supplierDelivered);
  }
  const out: PublicRow[] = shown.map((r) => ({ key: r.key, label: r.label, merged: 1, ...totalsOfRow(r) }));
  if (hidden.length > 0) {
    const t = hidden.map(totalsOfRow).reduce(add);
    out.push({ key: 'other', label: otherLabel, merged: hidden.length, ...t });
  }
  return { publishable: true, rows: out, totals };
}
