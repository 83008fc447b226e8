/** Bytes as a short human figure: `812 kB`, `5.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * Every text `<guard-status>` shows. Set `status.strings = { prefetch: 'Jetzt laden', … }` to
 * translate or reword any of them; the ones left out keep these defaults.
 */
export interface GuardStatusStrings {
  /** Accessible name of the progress bar. */
  progressLabel: string;
  /** The model is not loaded on this page yet. */
  idle: string;
  /** Loading; `percent` is null until the size is known. `fromCache`: read from this device, not downloaded. */
  loading: (percent: number | null, loaded: number, total: number, fromCache: boolean) => string;
  /** Loaded; `fromCache` / `fromNetwork` count the files by where they came from. */
  ready: (fromCache: number, fromNetwork: number) => string;
  /** The load failed; `code` is the `GuardError` code. */
  failed: (code: string | undefined, message: string) => string;
  /** The backend in use, e.g. "wasm: no WebGPU adapter". */
  backend: (summary: string) => string;
  /** No backend yet: it is chosen when the model loads. */
  backendUnknown: string;
  /** This model's files stored on this device. */
  cached: (files: number, bytes: number) => string;
  /** Nothing of this model stored on this device yet. */
  notCached: string;
  /** The cache cannot be used (private mode, quota); the model still runs from the network. */
  storageProblem: (message: string) => string;
  /** The button that loads the model ahead of first use. */
  prefetch: string;
  /** The language-id model could not load: the guard screens without it (`message` says why). */
  languageUnavailable: (message: string) => string;
  /** A classifier second review's model (`model`: its name) is loading. */
  reviewLoading: (model: string) => string;
  /** A classifier second review's model is ready. */
  reviewReady: (model: string) => string;
  /** A classifier second review's model could not load: the first model decides (`message` says why). */
  reviewUnavailable: (model: string, message: string) => string;
  /** The multilingual reader (`model`: its name) is loading. */
  readerLoading: (model: string) => string;
  /** The multilingual reader is ready. */
  readerReady: (model: string) => string;
  /** The multilingual reader could not load: texts in its languages are handled as not covered (`message` says why). */
  readerUnavailable: (model: string, message: string) => string;
}

/** The English defaults. */
export const DEFAULT_GUARD_STATUS_STRINGS: Readonly<GuardStatusStrings> = Object.freeze({
  progressLabel: 'Safety model download',
  idle: 'The safety model is not loaded yet.',
  loading: (percent: number | null, loaded: number, total: number, fromCache: boolean) =>
    `${fromCache ? 'Reading the safety model from this device' : 'Downloading the safety model'}…${percent === null ? '' : ` ${percent}% (${formatBytes(loaded)} of ${formatBytes(total)})`}`,
  ready: (fromCache: number, fromNetwork: number) =>
    `The safety model is ready (${fromNetwork === 0 ? 'from this device' : fromCache === 0 ? 'downloaded' : `${fromCache} files from this device, ${fromNetwork} downloaded`}).`,
  failed: (code: string | undefined, message: string) => `The safety model did not load${code ? ` (${code})` : ''}: ${message}`,
  backend: (summary: string) => `Backend: ${summary}`,
  backendUnknown: 'Backend: chosen when the model loads',
  cached: (files: number, bytes: number) => `Stored on this device: ${files} files, ${formatBytes(bytes)}`,
  notCached: 'Not stored on this device yet',
  storageProblem: (message: string) => `Not stored on this device: ${message}`,
  prefetch: 'Load the safety model now',
  languageUnavailable: (message: string) => `Languages are not checked: the language-id model is unavailable (${message}). Texts are screened as if in a covered language.`,
  reviewLoading: (model: string) => `Loading the second model (${model})…`,
  reviewReady: (model: string) => `The second model (${model}) is ready.`,
  reviewUnavailable: (model: string, message: string) => `The second model (${model}) is unavailable (${message}). The safety model decides alone.`,
  readerLoading: (model: string) => `Loading the multilingual model (${model})…`,
  readerReady: (model: string) => `The multilingual model (${model}) is ready.`,
  readerUnavailable: (model: string, message: string) => `The multilingual model (${model}) is unavailable (${message}). Texts in its languages are handled as not covered.`,
});
