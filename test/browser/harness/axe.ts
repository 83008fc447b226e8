import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core's serious and critical violations inside `selector` (shadow DOM included), as
 * `id: target` lines. Throws when axe checked nothing there (a selector that matched nothing).
 */
export async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (c: unknown) => Promise<{ passes: unknown[]; violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const { passes, violations } = await axe.run({ include: [[selector]] });
    if (passes.length === 0) throw new Error(`axe checked nothing in ${selector}`);
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  }, selector);
}
