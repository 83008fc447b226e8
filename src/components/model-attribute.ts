import { DEFAULT_MODEL } from '../shipped-models.js';
import type { ModelSource } from '../types.js';

/**
 * The elements' `model` attribute as the model source `createGuard` takes: empty for the
 * default model, `hub:org/name` (optionally `@revision`) for a hub model, a bare name such as
 * `guard-use-lite` for a model shipped with the package, and anything with a `/` or a `:` for
 * a folder URL (absolute, or relative to the page).
 */
export function modelSourceOf(attribute: string | null | undefined): ModelSource {
  const value = (attribute ?? '').trim();
  if (!value) return { name: DEFAULT_MODEL };
  const hub = /^hub:([^@\s]+)(?:@(\S+))?$/.exec(value);
  if (hub) return hub[2] ? { hub: hub[1]!, revision: hub[2] } : { hub: hub[1]! };
  if (!/[/:]/.test(value)) return { name: value };
  return { url: value };
}
