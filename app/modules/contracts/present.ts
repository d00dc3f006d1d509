import { formatDate } from '~/utils/time';
import { STATUS_LABELS, type CommitmentStatus } from './commitment-status';
import { formatPence, formatQuantity } from './figures';

// Turns figures into the text every page shows (£1,234.56; 1.5 FTE; 24 Nov 2026).
// Pure, and used by the officer's contract page and the contractor's home page alike.

export interface CommitmentFigureFields {
  id: string;
  contractId: string;
  contractReference: string;
  contractTitle: string;
  measureCode: string;
  measureTitle: string;
  unit: string;
  theme: string;
  wardName: string | null;
  dueDate: string;
  description: string;
  targetMilli: number;
  deliveredMilli: number;
  substitutedMilli: number;
  committedPence: number;
  deliveredPence: number;
  substitutedPence: number;
  remainingPence: number;
  status: CommitmentStatus;
}

export function presentCommitment(row: CommitmentFigureFields) {
  return {
    id: row.id,
    contractId: row.contractId,
    contractReference: row.contractReference,
    contractTitle: row.contractTitle,
    measure: `${row.measureCode} ${row.measureTitle}`,
    measureCode: row.measureCode,
    measureTitle: row.measureTitle,
    theme: row.theme,
    ward: row.wardName,
    description: row.description,
    due: formatDate(row.dueDate),
    target: formatQuantity(row.targetMilli, row.unit),
    delivered: formatQuantity(row.deliveredMilli, row.unit),
    substituted: formatQuantity(row.substitutedMilli, row.unit),
    committedValue: formatPence(row.committedPence),
    deliveredValue: formatPence(row.deliveredPence),
    substitutedValue: formatPence(row.substitutedPence),
    remainingValue: formatPence(row.remainingPence),
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
  };
}

export type PresentedCommitment = ReturnType<typeof presentCommitment>;

export function presentTotals(t: { committedPence: number; deliveredPence: number; substitutedPence: number; remainingPence: number }) {
  return {
    committed: formatPence(t.committedPence),
    delivered: formatPence(t.deliveredPence),
    substituted: formatPence(t.substitutedPence),
    remaining: formatPence(t.remainingPence),
  };
}

export type PresentedTotals = ReturnType<typeof presentTotals>;

/** GOV.UK tag colours for a commitment's status. */
export const STATUS_TAG_CLASSES: Record<CommitmentStatus, string> = {
  met: 'govuk-tag--green',
  on_track: 'govuk-tag--blue',
  at_risk: 'govuk-tag--yellow',
  behind: 'govuk-tag--orange',
  overdue: 'govuk-tag--red',
};

export const CONTRACT_TAG_CLASSES = {
  active: 'govuk-tag--blue',
  completed: 'govuk-tag--green',
  terminated: 'govuk-tag--grey',
} as const;
