type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Builds an element: attributes as given (boolean true → present, false/undefined → absent),
 * children appended as nodes or as text. Text is always text: nothing here parses HTML.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  node.append(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The same for SVG elements (charts). */
export function svg(tag: string, attributes: Attributes = {}, ...children: Child[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  setAttributes(node, attributes);
  node.append(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  return node;
}

function setAttributes(node: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

/** A number as a percentage with one decimal, or a dash when there was nothing to count. */
export const percent = (rate: number): string => (Number.isNaN(rate) ? '–' : `${(100 * rate).toFixed(1)}%`);
