// The status of a commitment, from time elapsed and delivery. Written up in
// docs/commitment-status.md; keep the two in step.
export type CommitmentStatus = 'met' | 'overdue' | 'on_track' | 'at_risk' | 'behind';

export const STATUS_LABELS: Record<CommitmentStatus, string> = {
  met: 'Met',
  overdue: 'Overdue',
  on_track: 'On track',
  at_risk: 'At risk',
  behind: 'Behind',
};

export interface StatusInput {
  /** Target in thousandths of a unit. */
  targetMilli: number;
  /** Delivered plus substituted, in thousandths of a unit. */
  achievedMilli: number;
  /** The contract's start date, YYYY-MM-DD. */
  startDate: string;
  /** The commitment's due date, YYYY-MM-DD. */
  dueDate: string;
  /** Today, YYYY-MM-DD (Europe/London). */
  today: string;
}

/** Progress may trail the time elapsed by this share of the target and still be on track. */
export const ON_TRACK_TOLERANCE = 0.1;
/** …and by this share before it is behind rather than at risk. */
export const AT_RISK_TOLERANCE = 0.25;

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

export function commitmentStatus({ targetMilli, achievedMilli, startDate, dueDate, today }: StatusInput): CommitmentStatus {
  if (achievedMilli >= targetMilli) return 'met';
  const now = dayNumber(today);
  const due = dayNumber(dueDate);
  if (now > due) return 'overdue';
  const start = dayNumber(startDate);
  const span = Math.max(1, due - start);
  const expected = Math.min(1, Math.max(0, (now - start) / span));
  const progress = targetMilli > 0 ? achievedMilli / targetMilli : 1;
  const shortfall = expected - progress;
  if (shortfall <= ON_TRACK_TOLERANCE) return 'on_track';
  if (shortfall <= AT_RISK_TOLERANCE) return 'at_risk';
  return 'behind';
}
