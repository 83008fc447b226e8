/** What went wrong, as a stable string a page can branch on. */
export type GuardErrorCode =
  /** The text given to `screen()` is not a string. */
  | 'invalid-input'
  /** The requested backend cannot run in this browser (e.g. `'webgpu'` forced with no adapter). */
  | 'backend-unavailable'
  /** A model file or its tokenizer could not be fetched or parsed. */
  | 'model-load-failed'
  /** The model ran but failed (or produced output of the wrong shape). */
  | 'inference-failed'
  /** The worker could not be started, or crashed. */
  | 'worker-failed'
  /** The guard was disposed; create a new one. */
  | 'disposed'
  /** A model file's SHA-256 did not match its manifest, even after fetching it again. */
  | 'integrity-failed'
  /** IndexedDB cannot be used here (private mode, disabled storage); models load from the network. */
  | 'storage-unavailable'
  /** The browser's storage quota is too small for the model; it runs from the network copy. */
  | 'storage-quota'
  /** A load, or a screen, was cancelled through its AbortSignal. */
  | 'aborted'
  /** A screen passed its deadline (`GuardOptions.timeoutMs`); the worker is restarted. */
  | 'timeout'
  /** Too many screens are waiting (`GuardOptions.maxPendingScreens`); try again once some finish. */
  | 'overloaded';

/**
 * The one error type the guard throws. `code` survives the worker boundary (see
 * `installGuardErrorTransfer`), so a page can branch on it whichever side raised it.
 */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly code: GuardErrorCode;

  constructor(code: GuardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The plain-data form of an error, as it crosses the worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: GuardErrorCode;
  cause?: SerializedError;
}

const MAX_CAUSE_DEPTH = 4;

/** Flattens any thrown value into plain data, keeping `code` and a short `cause` chain. */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (value instanceof Error) {
    const out: SerializedError = { name: value.name, message: value.message, stack: value.stack };
    if (value instanceof GuardError) out.code = value.code;
    if (value.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
      out.cause = serializeError(value.cause, depth + 1);
    }
    return out;
  }
  return { name: 'Error', message: String(value) };
}

/** Rebuilds an error from `serializeError`'s output: a `GuardError` when it carried a code. */
export function deserializeError(data: SerializedError): Error {
  const cause = data.cause ? deserializeError(data.cause) : undefined;
  const options = cause ? { cause } : undefined;
  const error = data.code
    ? new GuardError(data.code, data.message, options)
    : Object.assign(new Error(data.message, options), { name: data.name });
  if (data.stack) error.stack = data.stack;
  return error;
}
