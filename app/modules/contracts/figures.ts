// Money is integer pence and quantities integer thousandths of a unit: no
// floating point in stored figures. Pure helpers, shared by server and UI.

const poundsFormat = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const quantityFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });

/** 123456 → "£1,234.56" */
export function formatPence(pence: number): string {
  return poundsFormat.format(pence / 100);
}

/** 1500 → "1.5"; with a unit: "1.5 FTE" */
export function formatQuantity(milli: number, unit?: string): string {
  const text = quantityFormat.format(milli / 1000);
  return unit ? `${text} ${unit}` : text;
}

/** Committed value in pence of a quantity at a proxy value, rounded half up, exact in integers. */
export function valueOfQuantity(quantityMilli: number, proxyPence: number): number {
  const product = BigInt(quantityMilli) * BigInt(proxyPence);
  const sign = product < 0n ? -1n : 1n;
  const rounded = ((product * sign + 500n) / 1000n) * sign;
  return Number(rounded);
}

const MONEY = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
const QUANTITY = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,3}))?$/;

/** "£1,234.5" → 123450; null if it is not an amount of money (negative amounts are refused). */
export function parsePounds(input: string): number | null {
  const match = MONEY.exec(input.trim());
  if (!match) return null;
  const whole = Number(match[1]!.replace(/,/g, ''));
  const pence = Number((match[2] ?? '').padEnd(2, '0'));
  const total = whole * 100 + pence;
  return Number.isSafeInteger(total) ? total : null;
}

/** "1.5" → 1500; null if it is not a non-negative quantity with at most 3 decimal places. */
export function parseQuantity(input: string): number | null {
  const match = QUANTITY.exec(input.trim());
  if (!match) return null;
  const whole = Number(match[1]!.replace(/,/g, ''));
  const milli = Number((match[2] ?? '').padEnd(3, '0'));
  const total = whole * 1000 + milli;
  return Number.isSafeInteger(total) ? total : null;
}

/** 123450 → "1234.50", for putting a stored amount back into a form field. */
export function penceToInput(pence: number): string {
  return (pence / 100).toFixed(2);
}

/** 1500 → "1.5" */
export function milliToInput(milli: number): string {
  return String(milli / 1000);
}
