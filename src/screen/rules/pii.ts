import { bsnValid, ibanValid, luhnValid, spanishIdValid, ssnValid } from './checksums.js';
import { matchAll, withoutOverlaps, type RuleHit } from './rule-hit.js';

const pii = (rule: string, placeholder: string) => ({ rule: `pii.${rule}`, category: 'pii' as const, placeholder });
const digitsOf = (s: string) => s.replace(/\D/g, '');

// Anchored at the start of a run and bounded (RFC 5321 lengths): linear even on a 1 MB "word".
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
/** International (+CC …) or North American ((555) 123-4567) phone numbers; 8–15 digits. */
const PHONE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){2,4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4})\b/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
const SSN = /\b(\d{3})-(\d{2})-(\d{4})\b/g;
const SPANISH_ID = /\b(?:\d{8}|[XYZ]\d{7})[A-Za-z]\b/g;
const BSN = /\b(?:BSN|burgerservicenummer)[:\s#]*(\d{9})\b/gi;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g;
const IPV6 = /(?<![:\w])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![:\w])|(?<![:\w])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}(?![:\w])/gi;
/** US-style street addresses: a number, one to four words, a street type. */
const STREET = /\b\d{1,6}\s+(?:[A-Z][a-z]+\.?\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Way|Square|Sq)\b\.?/g;

/**
 * Personal data a prompt should not carry off the device: e-mail, phone numbers, payment cards
 * (Luhn), IBANs (mod-97), US SSNs (issued ranges), Spanish DNI/NIE (check letter), Dutch BSNs
 * (11-proof, when labelled), IP addresses, US-style street addresses. Spans are in `text`.
 */
export function findPii(text: string): RuleHit[] {
  // Listed most specific first: a card number is not also reported as a phone number.
  return withoutOverlaps([
    ...matchAll(text, EMAIL, pii('email', '[EMAIL]')),
    ...matchAll(text, CARD, pii('payment-card', '[CARD]'), (m) => {
      const d = digitsOf(m[0]);
      return d.length >= 13 && d.length <= 19 && luhnValid(d) && !/^(\d)\1+$/.test(d);
    }),
    ...matchAll(text, IBAN, pii('iban', '[IBAN]'), (m) => ibanValid(m[0].replace(/ /g, ''))),
    ...matchAll(text, SSN, pii('us-ssn', '[SSN]'), (m) => ssnValid(digitsOf(m[0]))),
    ...matchAll(text, SPANISH_ID, pii('es-dni', '[NATIONAL_ID]'), (m) => spanishIdValid(m[0])),
    ...matchAll(text, BSN, pii('nl-bsn', '[NATIONAL_ID]'), (m) => bsnValid(m[1]!), 1),
    ...matchAll(text, PHONE, pii('phone', '[PHONE]'), (m) => {
      const d = digitsOf(m[0]);
      return d.length >= 8 && d.length <= 15;
    }),
    ...matchAll(text, IPV4, pii('ip-address', '[IP_ADDRESS]')),
    ...matchAll(text, IPV6, pii('ip-address', '[IP_ADDRESS]')),
    ...matchAll(text, STREET, pii('street-address', '[ADDRESS]')),
  ]);
}
