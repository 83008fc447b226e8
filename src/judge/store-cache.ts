import { GuardError } from '../errors.js';
import type { ModelFileLoader } from '../store/model-file-loader.js';
import type { ResolvedModelSource } from '../store/model-source.js';

/** The two hooks transformers.js gives for files: a cache (`env.customCache`) and `env.fetch`. */
export interface FileHooks {
  cache: {
    match(key: string): Promise<Response | undefined>;
    put(key: string, response: Response): Promise<void>;
  };
  fetch(url: string | URL): Promise<Response>;
  /** Drops the bytes kept for a second ask: once the model is loaded, nothing asks again. */
  forget(): void;
}

/**
 * Routes every file transformers.js asks for through our verified store: `match` answers from
 * the model file loader (IndexedDB when stored and intact, else a verified download with retry,
 * resume and progress, stored as it completes), so transformers.js never downloads anything
 * itself. `fetch` is only reached for what the loader did not deliver: a file the folder does not
 * have stays a 404 (transformers.js treats optional files so), a failed download rethrows the
 * loader's typed error, and any URL outside the model's folder is refused: the judge's worker
 * sends nothing anywhere else.
 */
export function storeBackedFiles(source: ResolvedModelSource, loader: ModelFileLoader): FileHooks {
  const failures = new Map<string, unknown>();
  // transformers.js asks for some files twice (the tokenizer and the model both read
  // tokenizer_config.json): read and verify each once.
  const loaded = new Map<string, Promise<Uint8Array | null>>();
  const load = (file: string) => {
    let bytes = loaded.get(file);
    if (!bytes) loaded.set(file, (bytes = loader.loadOptionalFile(file)));
    return bytes;
  };
  const fileOf = (url: string): string | null => (url.startsWith(source.baseUrl) ? decodeURIComponent(url.slice(source.baseUrl.length)) : null);
  return {
    cache: {
      async match(key) {
        const file = fileOf(key);
        if (file === null) return undefined;
        try {
          const bytes = await load(file);
          return bytes ? new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } }) : undefined;
        } catch (error) {
          failures.set(key, error);
          return undefined;
        }
      },
      // The loader stored the file when it delivered it.
      async put() {},
    },
    async fetch(input) {
      const url = String(input);
      const failure = failures.get(url);
      if (failure) throw failure;
      if (fileOf(url) !== null) return new Response(null, { status: 404, statusText: 'not in the model folder' });
      throw new GuardError('model-load-failed', `the judge fetches only its model's files; refused ${url}`);
    },
    forget() {
      loaded.clear();
      failures.clear();
    },
  };
}
