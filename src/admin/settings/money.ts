// Amounts as staff type them ("15.00", "1,200", "$8") and as the database keeps them: whole
// numbers of the currency's minor unit (cents; yen have none). Pure.

/** Decimal places of a currency's minor unit: 2 for USD and EUR, 0 for JPY. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Whether a three-letter code is a currency this runtime knows. */
export function isKnownCurrency(code: string): boolean {
  return /^[a-z]{3}$/i.test(code) && Intl.supportedValuesOf('currency').includes(code.toUpperCase());
}

const MAX_MAJOR = 1_000_000;

/**
 * "15.00" → 1500 (USD). Accepts thousands commas and a leading currency symbol; refuses
 * negative amounts, more decimals than the currency has, and more than a million.
 */
export function parseMoney(input: string, currency: string, opts: { allowZero?: boolean } = {}): { minor: number } | { error: string } {
  const digits = minorDigits(currency);
  const v = input.trim().replace(/^[A-Za-z]{0,3}\s?[$€£¥]\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (v === '') return { error: 'enter an amount, such as 15.00' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(v);
  if (!m) return { error: `enter an amount as digits, such as ${digits ? '15.00' : '1500'}` };
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return { error: digits === 0 ? `${currency.toUpperCase()} amounts have no decimals` : `use at most ${digits} decimal places` };
  const major = Number(m[1]);
  if (major > MAX_MAJOR) return { error: 'that amount is too large' };
  const minor = major * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (minor === 0 && !opts.allowZero) return { error: 'the amount must be more than zero' };
  return { minor };
}

/** 1500 → "15.00" (what the form field shows). */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** 1500, "usd" → "$15.00"; for lists and sentences. */
export function displayMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: minor % 10 ** digits === 0 ? 0 : digits }).format(minor / 10 ** digits);
}
