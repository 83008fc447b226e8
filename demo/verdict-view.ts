import type { RuleHit, Verdict } from '../src/index.js';
import { el } from './element.js';

/** Where a verdict came from, for its card's heading. */
export interface VerdictSource {
  /** e.g. `chat` or `screen box`. */
  origin: string;
  /** The text that was screened (spans point into it). */
  text: string;
}

const MAX_CARDS = 12;
const MAX_TEXT = 280;

/** The screened text (cut to MAX_TEXT) with each rule hit's span in it marked; spans index the original text. */
function markedText(text: string, hits: readonly RuleHit[]): HTMLElement {
  const cut = text.length > MAX_TEXT ? MAX_TEXT : text.length;
  const shown = el('p', { class: 'screened-text' });
  const spans = hits.filter((h) => h.source === 'original' && h.span[1] <= cut).sort((a, b) => a.span[0] - b.span[0]);
  let at = 0;
  for (const hit of spans) {
    if (hit.span[0] < at) continue; // overlaps a span already marked
    shown.append(text.slice(at, hit.span[0]), el('mark', { title: hit.rule }, text.slice(hit.span[0], hit.span[1])));
    at = hit.span[1];
  }
  shown.append(text.slice(at, cut), cut < text.length ? '…' : '');
  return shown;
}

/** A bar for a score with a tick at its threshold: plain elements sized through CSSOM. */
function scoreBar(score: number, threshold: number | undefined, fired: boolean): HTMLElement {
  const fill = el('span', { class: `fill${fired ? ' fired' : ''}` });
  fill.style.width = `${Math.min(100, 100 * score)}%`;
  const bar = el('span', { class: 'score-bar', 'aria-hidden': 'true' }, fill);
  if (threshold !== undefined) {
    const tick = el('span', { class: 'tick' });
    tick.style.left = `${Math.min(100, 100 * threshold)}%`;
    bar.append(tick);
  }
  return bar;
}

/** What the second review's guard LLM answered, or why it did not decide; which labels a cascade re-scored. */
function reviewLine(verdict: Verdict): HTMLParagraphElement | null {
  const review = verdict.secondReview;
  if (review?.labels) {
    return el('p', { class: 'review' },
      el('span', { class: 'label' }, `second review (${review.model}): `),
      review.labels.length ? `re-scored ${review.labels.join(', ')}` : 'nothing re-scored');
  }
  if (review?.failed && !review.judge && !review.note) {
    return el('p', { class: 'review' }, el('span', { class: 'label' }, `second review (${review.model}): `), `failed: ${review.failed}`);
  }
  if (!review?.judge && !review?.note) return null;
  const answer = review.judge ? `${review.judge.verdict}${review.judge.categories.length ? ` (${review.judge.categories.map((c) => `${c.label} → ${c.category}`).join(', ')})` : ''}` : '';
  return el('p', { class: 'review', 'data-note': review.note },
    el('span', { class: 'label' }, `second review (${review.model}): `),
    answer,
    review.note ? `${answer ? ' · ' : ''}${review.note}${review.failed ? `: ${review.failed}` : ''}` : '');
}

function card(verdict: Verdict, source: VerdictSource): HTMLLIElement {
  const direction = verdict.direction === 'input' ? 'prompt' : 'reply';
  const t = verdict.timings;
  const rows = verdict.categories.map((c) =>
    el('tr', { 'data-category': c.category, class: c.fired ? 'fired' : undefined },
      el('th', { scope: 'row' }, c.category),
      el('td', { class: 'num' }, c.score.toFixed(2)),
      el('td', { class: 'num' }, c.threshold === undefined ? '–' : c.threshold.toFixed(2)),
      el('td', {}, scoreBar(c.score, c.threshold, c.fired)),
      el('td', {}, c.fired ? c.action : '–'),
      el('td', { title: c.view ? `highest on the ${c.view} view of the text` : undefined }, c.layer),
    ));
  // The head and the reason always show; the details fold (the newest card opens).
  return el('li', { class: `verdict action-${verdict.action}`, 'data-action': verdict.action, 'data-direction': verdict.direction },
    el('details', {},
      el('summary', {},
        el('span', { class: 'verdict-head' },
          el('span', { class: 'badge' }, verdict.action),
          el('span', {}, `${direction} · ${source.origin}`),
          el('span', { class: 'meta' }, `${verdict.backend} · ${t.totalMs.toFixed(1)} ms`)),
        el('span', { class: 'reason' }, verdict.reason)),
      markedText(source.text, verdict.hits),
      verdict.redactedText !== undefined ? el('p', { class: 'redacted' }, el('span', { class: 'label' }, verdict.direction === 'input' ? 'sent as: ' : 'shown as: '), verdict.redactedText) : null,
      rows.length
        ? el('div', { class: 'table-scroll' }, el('table', { class: 'categories' },
          el('caption', { class: 'visually-hidden' }, `Scores for this ${direction}`),
          el('thead', {}, el('tr', {}, ...['category', 'score', 'threshold', 'vs threshold', 'action', 'layer'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...rows)))
        : null,
      verdict.hits.length
        ? el('ul', { class: 'hits', 'aria-label': 'Rule hits' }, ...verdict.hits.map((h) =>
          el('li', {}, el('code', {}, h.rule), ` [${h.span[0]}, ${h.span[1]}) in the ${h.source} text → ${h.placeholder}`)))
        : null,
      verdict.failure ? el('p', { class: 'failure' }, `Guard failure: ${verdict.failure.code}: ${verdict.failure.message}`) : null,
      reviewLine(verdict),
      el('p', { class: 'timings' },
        `normalize ${t.normalizeMs.toFixed(1)} ms · rules ${t.rulesMs.toFixed(1)} ms · classifier ${t.classifierMs.toFixed(1)} ms${t.reviewMs === undefined ? '' : ` · second review ${t.reviewMs.toFixed(1)} ms`} · total ${t.totalMs.toFixed(1)} ms`,
        verdict.normalization.flags.length ? ` · normalization: ${verdict.normalization.flags.join(', ')}` : '',
        verdict.conversation ? ` · turn ${verdict.conversation.turns}, escalation ${verdict.conversation.escalation.toFixed(2)}` : '')));
}

/**
 * The live list of verdicts, newest first. A source that updates as the user types (the
 * screen box) replaces its own newest card instead of flooding the list.
 */
export class VerdictView {
  private lastKey: string | undefined;

  constructor(private readonly list: HTMLOListElement) {}

  add(verdict: Verdict, source: VerdictSource, replaceKey?: string): void {
    const next = card(verdict, source);
    const newest = this.list.firstElementChild;
    const replacing = replaceKey !== undefined && replaceKey === this.lastKey && newest;
    // The newest card shows its details; the one it displaces folds (a click opens it again).
    next.querySelector('details')!.open = replacing ? (newest.querySelector('details')?.open ?? true) : true;
    if (replacing) newest.replaceWith(next);
    else {
      newest?.querySelector('details')?.removeAttribute('open');
      this.list.prepend(next);
    }
    this.lastKey = replaceKey;
    while (this.list.children.length > MAX_CARDS) this.list.lastElementChild!.remove();
  }
}
