// The authority's credit policy (an admin setting, audited). Pure.

export interface CreditPolicy {
  /** The largest share of a commitment's target that swaps may substitute, in whole percent (0 to 100). */
  maxSubstitutedPercent: number;
  /** Whether a swap may substitute a measure from another theme. */
  allowCrossTheme: boolean;
  /** Extra value, in whole percent, for claims backed by a pledge to a need in a priority ward. */
  priorityWardUpliftPercent: number;
  /** Whether a contract's unspent credits expire when the contract closes or ends. */
  creditsExpireWithContract: boolean;
}

export const DEFAULT_CREDIT_POLICY: CreditPolicy = {
  maxSubstitutedPercent: 50,
  allowCrossTheme: false,
  priorityWardUpliftPercent: 0,
  creditsExpireWithContract: true,
};

/** Value with the priority-ward uplift applied, rounded down to the penny. */
export function withUplift(valuePence: number, upliftPercent: number): number {
  return Math.floor((valuePence * (100 + upliftPercent)) / 100);
}
