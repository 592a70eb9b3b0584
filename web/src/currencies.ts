/** Decimals of an amount in minor units as Stripe counts them, as
 * ``libs/runtime/src/ticketing_runtime/currencies.py`` does (a test holds the two alike). Not
 * the browser's own currency data: it shows 5000 IDR as Rp 5,000 where Stripe charges Rp 50.00. */
export const ZERO_DECIMAL: ReadonlySet<string> = new Set([
  "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
  "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
]);
export const THREE_DECIMAL: ReadonlySet<string> = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  return THREE_DECIMAL.has(code) ? 3 : 2;
}
