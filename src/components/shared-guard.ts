import { createGuard, type Guard } from '../guard.js';
import type { GuardOptions } from '../types.js';

const guards = new Map<string, Promise<Guard>>();

/**
 * One Guard (one worker, one copy of the model) per set of options, shared by every component
 * on the page that asks for the same model and backend. A failed load is forgotten so a
 * later attempt can retry.
 */
export function sharedGuard(options: GuardOptions): Promise<Guard> {
  const key = JSON.stringify([options.model, options.backend ?? 'auto', options.cache ?? true, options.policy ?? 'balanced']);
  let guard = guards.get(key);
  if (!guard) {
    guard = createGuard(options);
    guards.set(key, guard);
    guard.catch(() => guards.delete(key));
  }
  return guard;
}
