// Card numbers a shopper writes are masked here, before the message leaves the browser. The
// server applies the same rules to every writer (signaling/redaction.py, which explains them);
// both are held to tests/fixtures/card_numbers.json.

// (No lookbehind: Safari before 16.4 would refuse the whole script.)
const RUN = /(^|[^0-9])([0-9](?:[ \t\n\u00a0./-]{0,3}[0-9]){12,})(?![0-9])/g;
const MASK = "•";

// [lowest prefix, highest prefix (same number of digits), card lengths]
const SCHEMES: ReadonlyArray<readonly [number, number, readonly number[]]> = (() => {
  const from = (a: number, b: number): number[] =>
    Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const any = from(16, 19);
  return [
    [4, 4, [13, 16, 19]],                      // Visa
    [51, 55, [16]], [2221, 2720, [16]],        // Mastercard
    [34, 34, [15]], [37, 37, [15]],            // American Express
    [6011, 6011, any], [644, 649, any], [65, 65, any],  // Discover
    [3528, 3589, any],                         // JCB
    [300, 305, from(14, 19)], [36, 36, from(14, 19)], [38, 39, from(14, 19)],  // Diners
    [62, 62, any],                             // UnionPay
    [50, 50, from(13, 19)], [56, 58, from(13, 19)], [63, 63, from(13, 19)],
    [67, 67, from(13, 19)],                    // Maestro
  ] as const;
})();

function luhn(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2) d = d > 4 ? d * 2 - 9 : d * 2;
    total += d;
  }
  return total % 10 === 0;
}

export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const fits = SCHEMES.some(([lo, hi, lengths]) => {
    const prefix = Number(digits.slice(0, String(lo).length));
    return lengths.includes(digits.length) && prefix >= lo && prefix <= hi;
  });
  return fits && luhn(digits);
}

/** Where in the run's digits a card number lies: from a group's start to a group's end, or
 * within one long group. */
function findCard(groups: string[]): [number, number] | null {
  const digits = groups.join("");
  const starts: Array<[number, number]> = [];
  const ends = new Set<number>();
  let at = 0;
  for (const g of groups) {
    starts.push([at, g.length]);
    at += g.length;
    ends.add(at);
  }
  for (const [start, firstLength] of starts) {
    for (let length = 19; length >= 13; length--) {
      const end = start + length;
      if (end > digits.length || (!ends.has(end) && length > firstLength)) continue;
      if (isCardNumber(digits.slice(start, end))) return [start, end];
    }
  }
  return null;
}

function maskRun(run: string): string {
  const groups = run.match(/[0-9]+/g) ?? [];
  const found = findCard(groups);
  if (!found) return run;
  const [start, end] = found;
  const last4 = groups.join("").slice(end - 4, end);
  let out = "";
  let seen = 0;  // digits of the run written so far
  for (const ch of run) {
    if (ch < "0" || ch > "9") {
      if (seen <= start || seen >= end) out += ch;
      continue;
    }
    if (seen < start) out += ch;
    else if (seen === start) out += `${MASK.repeat(4)} ${last4}`;
    else if (seen >= end) out += MASK;
    seen++;
  }
  return out;
}

/** The run with the digits of its card number, and those after it, as `*` (its layout kept). */
function starRun(run: string): string {
  const found = findCard(run.match(/[0-9]+/g) ?? []);
  if (!found) return run;
  let seen = 0;
  return run.replace(/[0-9]/g, (d) => (seen++ >= found[0] ? "*" : d));
}

/** Co-browsing: text a page shows with a card number in it (a store echoing what the shopper
 * typed) keeps its layout, the number's digits masked. */
export function maskCardDigits(text: string): string {
  return text.length < 13 ? text
    : text.replace(RUN, (_, before: string, run: string) => before + starRun(run));
}

/** `text` with every card number in it masked as `•••• 1234`. */
export function redactCardNumbers(text: string): string {
  return text.length < 13 ? text
    : text.replace(RUN, (_, before: string, run: string) => before + maskRun(run));
}
