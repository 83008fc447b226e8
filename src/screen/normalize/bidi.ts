/**
 * Bidirectional controls. A RIGHT-TO-LEFT OVERRIDE (U+202E) shows the characters after it in
 * reverse order until a POP DIRECTIONAL FORMATTING (U+202C) or the end of the line, so text stored
 * backwards reads forwards on screen: the run is reversed back to what a reader sees. Every other
 * bidi control only moves text around on screen and is dropped.
 */

const OVERRIDE_RUN = /\u202E([^\u202C\n]*)\u202C?/g;
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;

/**
 * The text in the order a reader sees it (`display`) and in the order a model reads it
 * (`stored`, the characters as sent), both without bidi controls; null when it has none.
 */
export function resolveBidi(text: string): { display: string; stored: string } | null {
  const stored = text.replace(BIDI, '');
  if (stored === text) return null;
  return { display: text.replace(OVERRIDE_RUN, (_, run: string) => Array.from(run).reverse().join('')).replace(BIDI, ''), stored };
}
