// Card field rules for the checkout: formatting as typed, the Luhn check, expiry dates.

export const MAX_CARD_DIGITS = 19;

export function digitsOf(text: string): string {
  return text.replace(/\D+/g, "");
}

/** "4242424242424242" → "4242 4242 4242 4242". */
export function formatCardNumber(text: string): string {
  const digits = digitsOf(text).slice(0, MAX_CARD_DIGITS);
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** Digits typed so far as "MM / YY"; a leading 2–9 means a one-digit month ("4" → "04"). */
export function formatExpiry(text: string): string {
  let digits = digitsOf(text);
  if (digits.length === 1 && digits > "1") digits = `0${digits}`;
  digits = digits.slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)} / ${digits.slice(2)}` : digits;
}

export function formatCvc(text: string): string {
  return digitsOf(text).slice(0, 4);
}

export function passesLuhn(number: string): boolean {
  const digits = digitsOf(number);
  if (digits.length < 12 || digits.length > MAX_CARD_DIGITS) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Why an "MM / YY" expiry is unusable, or null when it is fine. */
export function expiryProblem(text: string, now: Date = new Date()): string | null {
  const digits = digitsOf(text);
  if (digits.length !== 4) return "Enter the expiry date as MM / YY.";
  const month = Number(digits.slice(0, 2));
  const year = 2000 + Number(digits.slice(2));
  if (month < 1 || month > 12) return "The month must be from 01 to 12.";
  const endOfMonth = new Date(year, month, 1); // first day of the following month
  if (endOfMonth <= now) return "This card has expired.";
  return null;
}

/**
 * Rewrites a controlled input's value to its formatted form and keeps the caret after the same
 * number of digits, so typing in the middle of "4242 4242" does not jump to the end.
 */
export function applyFormatted(input: HTMLInputElement, formatted: string): void {
  if (input.value === formatted) return;
  const caret = input.selectionStart ?? input.value.length;
  const digitsBefore = digitsOf(input.value.slice(0, caret)).length;
  input.value = formatted;
  let pos = 0;
  for (let seen = 0; pos < formatted.length && seen < digitsBefore; pos++) {
    if (/\d/.test(formatted[pos]!)) seen++;
  }
  if (document.activeElement === input) input.setSelectionRange(pos, pos);
}
