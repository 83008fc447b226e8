/** Checksums that tell real identifiers from look-alike digit strings. */

/** Luhn (payment cards). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20, LU: 20, LV: 21,
  MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};

/** IBAN: country length and the ISO 7064 mod-97 check. `iban` without spaces. */
export function ibanValid(iban: string): boolean {
  const upper = iban.toUpperCase();
  if (IBAN_LENGTH[upper.slice(0, 2)] !== upper.length) return false;
  const rearranged = upper.slice(4) + upper.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const value = c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** US Social Security number: the ranges the SSA never issues are not SSNs. `ssn` as 9 digits. */
export function ssnValid(ssn: string): boolean {
  const area = Number(ssn.slice(0, 3));
  const group = Number(ssn.slice(3, 5));
  const serial = Number(ssn.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the mod-23 letter. */
export function spanishIdValid(id: string): boolean {
  const upper = id.toUpperCase();
  const numeric = upper.replace(/^[XYZ]/, (c) => String('XYZ'.indexOf(c)));
  const number = Number(numeric.slice(0, 8));
  return /^\d{8}[A-Z]$/.test(numeric) && 'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23] === upper.at(-1);
}

/** Dutch BSN: the "11-proof" (weights 9…2, last digit −1). */
export function bsnValid(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(bsn[i]) * (9 - i);
  sum -= Number(bsn[8]);
  return sum % 11 === 0 && sum !== 0;
}
