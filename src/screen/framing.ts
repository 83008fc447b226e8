/**
 * Role-play, fiction and hypothetical framing wrapped around a request ("write a story in which
 * a chemist explains how to …", "hypothetically, how would someone …"). The framing dilutes a
 * classifier's view of the request, so the pipeline also screens the request with the frame
 * taken off: the core is what a model would act on.
 */
const FRAMES: RegExp[] = [
  /\b(?:write|tell|create|compose)\s+(?:me\s+)?(?:a|an)\s+(?:short\s+)?(?:story|scene|script|screenplay|dialogue|poem|novel\s+chapter|fiction)\b[^.:]*?\b(?:where|in\s+which|about|that)\s+/gi,
  /\b(?:imagine|pretend|suppose|let'?s\s+say)\s+(?:that\s+)?(?:you\s+are|you're|a\s+world\s+where|we\s+are|there\s+is)\b[^,.]*[,.]?\s*/gi,
  /\b(?:hypothetically|theoretically|in\s+theory|purely\s+for\s+(?:research|educational|academic)\s+purposes|for\s+(?:a|my)\s+(?:novel|book|story|screenplay|research\s+paper|class))\b[,:]?\s*/gi,
  /\b(?:you\s+are|act\s+as|play\s+the\s+role\s+of|role-?play\s+as)\s+(?:a|an|my)\s+[\w\s-]{1,40}?(?:who|that)\s+(?:explains|describes|tells|teaches|knows)\s+/gi,
  /\b(?:in\s+character|stay\s+in\s+character|as\s+the\s+character)\b[,:]?\s*/gi,
];

/** The text with its framing removed, or null when no framing was found. */
export function stripFraming(text: string): string | null {
  // Spaces are tidied the same way in the text and its core, and line breaks stay: the core must
  // differ from the text by a frame, not by white space (a document flattened onto one line
  // reads differently to a model, and was screened as if it were a framed request's core).
  const tidy = (t: string) => t.replace(/[^\S\n]{2,}/g, ' ').replace(/^[^\S\n]+|[^\S\n]+$/gm, '').trim();
  let core = text;
  for (const frame of FRAMES) core = core.replace(frame, ' ');
  core = tidy(core);
  return core !== tidy(text) && core.length >= 8 ? core : null;
}
