/**
 * Registers a custom element unless the tag is already taken (two copies of the package on
 * one page, or a hot reload), so importing twice never throws.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
