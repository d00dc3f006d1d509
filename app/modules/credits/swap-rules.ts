import { formatPence, formatQuantity, valueOfQuantity } from '~/modules/contracts/figures';
import type { CreditPolicy } from './policy';

// The credit policy's rules for a swap (docs/swaps.md), pure: the service checks
// a request and an approval with them, and the swap form runs the same
// functions in the browser as the contractor types. No server imports.

/** The largest value one swap may carry on either side (£10 million): a typo guard, far above any real commitment. */
export const MAX_SWAP_VALUE_PENCE = 1_000_000_000;

export type SwapMethod = 'credits' | 'measure';
export type SwapField = 'commitmentId' | 'method' | 'quantity' | 'toMeasureId' | 'toCommitmentId' | 'toQuantity' | 'toDueDate' | 'reason';

export interface SwapProblem {
  field: SwapField;
  message: string;
}

/** The commitment being met another way, as the rules need it. */
export interface SwapFrom {
  id: string;
  /** The commitment's measure: a measure swap must take on another one. */
  measureId: string;
  targetMilli: number;
  deliveredMilli: number;
  substitutedMilli: number;
  proxyValuePence: number;
  unit: string;
  theme: string;
}

export interface SwapMeasure {
  id: string;
  code?: string;
  title?: string;
  theme: string;
  unit: string;
  proxyValuePence: number;
  active: boolean;
}

/** Another commitment of the same contract that a measure swap may enlarge. */
export interface SwapTarget {
  id: string;
  measureId: string;
  proxyValuePence: number;
}

export interface SwapFacts {
  policy: CreditPolicy;
  from: SwapFrom;
  /** Quantity of the commitment's other requests still waiting for a decision. */
  pendingMilli: number;
  /** The contract's credit balance, in pence. */
  balancePence: number;
  /** Value of the contract's other credit swaps still waiting for a decision. */
  pendingCreditsPence: number;
  measures: SwapMeasure[];
  commitments: SwapTarget[];
}

export interface SwapRequestShape {
  method: SwapMethod;
  quantityMilli: number | null;
  toMeasureId?: string | null;
  toCommitmentId?: string | null;
  toQuantityMilli?: number | null;
}

export interface SwapEvaluation {
  /** Value of the quantity given up, at the commitment's proxy; null until a quantity is entered. */
  valuePence: number | null;
  /** Value taken on (measure method), at the proxy of the commitment enlarged, else of the measure; null when not known yet. */
  toValuePence: number | null;
  toProxyValuePence: number | null;
  problems: SwapProblem[];
}

/** Remaining target: target less delivered less substituted (never below 0). */
export function remainingMilli(from: Pick<SwapFrom, 'targetMilli' | 'deliveredMilli' | 'substitutedMilli'>): number {
  return Math.max(0, from.targetMilli - from.deliveredMilli - from.substitutedMilli);
}

/** The most of the target the policy lets swaps substitute, in thousandths (rounded down). */
export function shareCapMilli(targetMilli: number, maxPercent: number): number {
  return Math.floor((targetMilli * maxPercent) / 100);
}

const quantityOk = (milli: number | null | undefined): milli is number => typeof milli === 'number' && Number.isSafeInteger(milli) && milli > 0;

export const SWAP_MESSAGES = {
  quantity: 'Enter the quantity you cannot deliver, more than 0, with up to 3 decimal places',
  toQuantity: 'Enter the quantity of the other measure you will deliver instead, more than 0, with up to 3 decimal places',
  toMeasure: 'Select an active measure from the list',
  toCommitment: 'Select a commitment of this contract for the measure you chose, or a new commitment',
  sameCommitment: 'A swap must be to a different commitment: you cannot meet a commitment by enlarging itself',
  sameMeasure: 'Select a different measure: a swap meets this commitment with another measure, not with more of the same one',
  crossTheme: (theme: string) => `Your council’s credit policy only allows swaps within the same theme: choose a measure in the ${theme} theme`,
  noValue: 'This quantity has no value at the commitment’s proxy value: enter a larger quantity',
  tooLarge: `A swap can be worth at most ${formatPence(MAX_SWAP_VALUE_PENCE)}`,
} as const;

/**
 * Checks a swap against the commitment, the pending requests, the balance and
 * the policy; returns both values and every rule the request breaks, each by
 * its field. Used for a new request (with the other pending requests) and for
 * an approval (with none).
 */
export function evaluateSwap(facts: SwapFacts, input: SwapRequestShape): SwapEvaluation {
  const { from, policy } = facts;
  const problems: SwapProblem[] = [];
  const add = (field: SwapField, message: string) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, message });
  };
  let valuePence: number | null = null;
  const q = input.quantityMilli;
  if (q !== null && q !== undefined) {
    if (!quantityOk(q)) add('quantity', SWAP_MESSAGES.quantity);
    else {
      valuePence = valueOfQuantity(q, from.proxyValuePence);
      const left = remainingMilli(from) - facts.pendingMilli;
      const cap = shareCapMilli(from.targetMilli, policy.maxSubstitutedPercent);
      const capLeft = cap - from.substitutedMilli - facts.pendingMilli;
      if (q > left) {
        const pending = facts.pendingMilli > 0 ? `, after ${formatQuantity(facts.pendingMilli, from.unit)} in other requests waiting for a decision` : '';
        add('quantity', left > 0
          ? `Quantity must be no more than the ${formatQuantity(left, from.unit)} still to deliver on this commitment${pending}`
          : `Nothing is left to deliver on this commitment${pending}, so there is nothing to swap`);
      } else if (q > capLeft) {
        add('quantity', `Your council allows swaps to meet at most ${policy.maxSubstitutedPercent}% of a commitment (${formatQuantity(cap, from.unit)} of ${formatQuantity(from.targetMilli, from.unit)}); `
          + (capLeft > 0 ? `at most ${formatQuantity(capLeft, from.unit)} more can be swapped` : 'no more can be swapped')
          + (facts.pendingMilli > 0 ? ` while ${formatQuantity(facts.pendingMilli, from.unit)} waits for a decision` : ''));
      } else if (valuePence <= 0) {
        add('quantity', SWAP_MESSAGES.noValue);
      } else if (valuePence > MAX_SWAP_VALUE_PENCE) {
        add('quantity', SWAP_MESSAGES.tooLarge);
      }
    }
  }

  let toValuePence: number | null = null;
  let toProxyValuePence: number | null = null;
  if (input.method === 'credits') {
    const available = facts.balancePence - facts.pendingCreditsPence;
    if (valuePence !== null && valuePence > 0 && valuePence > available) {
      const pending = facts.pendingCreditsPence > 0 ? ` (${formatPence(facts.balancePence)} less ${formatPence(facts.pendingCreditsPence)} in other credit swaps waiting for a decision)` : '';
      add('quantity', `This needs ${formatPence(valuePence)} of credits; the contract has ${formatPence(Math.max(0, available))} available${pending}`);
    }
    return { valuePence, toValuePence, toProxyValuePence, problems };
  }

  const measure = input.toMeasureId ? facts.measures.find((m) => m.id === input.toMeasureId) : undefined;
  if (input.toMeasureId !== undefined && input.toMeasureId !== null) {
    if (!measure || !measure.active) add('toMeasureId', SWAP_MESSAGES.toMeasure);
    else if (measure.id === from.measureId) add('toMeasureId', SWAP_MESSAGES.sameMeasure);
    else if (!policy.allowCrossTheme && measure.theme !== from.theme) add('toMeasureId', SWAP_MESSAGES.crossTheme(from.theme));
  }
  let proxy = measure?.proxyValuePence ?? null;
  if (input.toCommitmentId) {
    if (input.toCommitmentId === from.id) add('toCommitmentId', SWAP_MESSAGES.sameCommitment);
    else {
      const target = facts.commitments.find((c) => c.id === input.toCommitmentId);
      if (!target || (measure && target.measureId !== measure.id)) add('toCommitmentId', SWAP_MESSAGES.toCommitment);
      else proxy = target.proxyValuePence;
    }
  }
  toProxyValuePence = proxy;
  const tq = input.toQuantityMilli;
  if (tq !== null && tq !== undefined) {
    if (!quantityOk(tq)) add('toQuantity', SWAP_MESSAGES.toQuantity);
    else if (proxy !== null) {
      toValuePence = valueOfQuantity(tq, proxy);
      if (toValuePence > MAX_SWAP_VALUE_PENCE) add('toQuantity', SWAP_MESSAGES.tooLarge);
      else if (valuePence !== null && valuePence > 0 && toValuePence < valuePence) {
        const unit = measure?.unit;
        const needed = proxy > 0 ? Math.ceil((valuePence * 1000) / proxy) : null;
        add('toQuantity', `What you take on must be worth at least the ${formatPence(valuePence)} you give up; ${formatQuantity(tq, unit)} is worth ${formatPence(toValuePence)}`
          + (needed !== null ? `. Enter at least ${formatQuantity(needed, unit)}` : ''));
      }
    }
  }
  return { valuePence, toValuePence, toProxyValuePence, problems };
}
