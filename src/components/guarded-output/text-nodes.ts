import type { TextEdit } from './reply-masks.js';

/** The text nodes under `root` in document order: what `root.textContent` concatenates. */
function textNodes(root: Node): Text[] {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  return nodes;
}

/**
 * Replaces [start, end) of `root`'s text (as `textContent` counts it) with `edit.text`, by
 * editing text nodes only: the page's markup around the span stays, and nothing is ever
 * parsed as HTML. A span across several nodes puts the replacement in the first and removes
 * the rest of the span from the others.
 */
export function replaceTextRange(root: Node, edit: TextEdit): void {
  let at = 0;
  let placed = false; // masks are never empty spans, so some node always takes the replacement
  for (const node of textNodes(root)) {
    const from = at;
    const to = at + node.data.length;
    at = to;
    if (to <= edit.start) continue;
    if (from >= edit.end) break;
    const cutFrom = Math.max(edit.start, from) - from;
    const cutTo = Math.min(edit.end, to) - from;
    node.replaceData(cutFrom, Math.max(0, cutTo - cutFrom), placed ? '' : edit.text);
    placed = true;
  }
}

/** Replaces all of `root`'s text with `text`, keeping its elements (emptied of text). */
export function replaceAllText(root: Node, text: string): void {
  const nodes = textNodes(root);
  if (nodes.length === 0) return;
  nodes[0]!.data = text;
  for (const node of nodes.slice(1)) node.data = '';
}
