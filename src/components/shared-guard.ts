import { createGuard, type Guard } from '../guard.js';
import type { GuardOptions } from '../guard-options.js';
import type { LoadProgress } from '../types.js';

const guards = new Map<string, Promise<Guard>>();

/** Who wants to hear how a shared guard's load goes (any number per guard, before or after it starts). */
export interface SharedGuardWatcher {
  progress?(progress: LoadProgress): void;
  ready?(guard: Guard): void;
  error?(error: unknown): void;
}

const watchers = new Map<string, Set<SharedGuardWatcher>>();
/** The last progress of each load in flight, so a watcher arriving mid-download sees where it is. */
const lastProgress = new Map<string, LoadProgress>();
/** Guards whose load has finished, for watchers that arrive afterwards. */
const loaded = new Map<string, Guard>();

const keyOf = (options: GuardOptions) => JSON.stringify([options.model, options.backend ?? 'auto', options.cache ?? true, options.policy ?? 'balanced', Boolean(options.judge)]);

const notify = (key: string, call: (w: SharedGuardWatcher) => void) => {
  for (const watcher of watchers.get(key) ?? []) {
    // One watcher's failure must not keep the others uninformed.
    try { call(watcher); } catch (error) { queueMicrotask(() => { throw error; }); }
  }
};

/**
 * One Guard (one worker, one copy of the model) per set of options, shared by every component
 * on the page that asks for the same model and backend. A failed load is forgotten so a
 * later attempt can retry.
 */
export function sharedGuard(options: GuardOptions): Promise<Guard> {
  const key = keyOf(options);
  let guard = guards.get(key);
  if (!guard) {
    guard = createGuard({
      ...options,
      onProgress: (progress) => {
        options.onProgress?.(progress);
        lastProgress.set(key, progress);
        notify(key, (w) => w.progress?.(progress));
      },
    });
    guards.set(key, guard);
    guard.then(
      (ready) => { lastProgress.delete(key); loaded.set(key, ready); notify(key, (w) => w.ready?.(ready)); },
      (error) => { guards.delete(key); lastProgress.delete(key); notify(key, (w) => w.error?.(error)); },
    );
  }
  return guard;
}

/**
 * Follows the shared guard for these options: its download progress, then ready or error.
 * Works before the load starts (a `<guard-status>` placed before the chat that loads the
 * model) and after it ended (`ready` is called at once). Returns the function that stops it.
 */
export function watchSharedGuard(options: GuardOptions, watcher: SharedGuardWatcher): () => void {
  const key = keyOf(options);
  let set = watchers.get(key);
  if (!set) watchers.set(key, (set = new Set()));
  set.add(watcher);
  const progress = lastProgress.get(key);
  const ready = loaded.get(key);
  if (progress) watcher.progress?.(progress);
  // Already loaded: say so (a load in flight reports through notify when it ends).
  if (ready) queueMicrotask(() => { if (set.has(watcher)) watcher.ready?.(ready); });
  return () => {
    set.delete(watcher);
  };
}
