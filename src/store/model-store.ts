import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { GuardError } from '../errors.js';

/** One stored file's metadata; its bytes live in a separate object store. */
export interface StoredFileInfo {
  model: string;
  revision: string;
  file: string;
  size: number;
  sha256: string;
  storedAt: number;
}

/** A file with its bytes, as read back from the store. */
export interface StoredFile extends StoredFileInfo {
  bytes: ArrayBuffer;
}

/** What the store holds for one model revision. */
export interface StoredModelSummary {
  model: string;
  revision: string;
  files: string[];
  bytes: number;
}

type FileKey = [model: string, revision: string, file: string];

interface ModelStoreSchema extends DBSchema {
  /** Metadata only, so listing sizes never reads the weights. */
  entries: { key: FileKey; value: StoredFileInfo; indexes: { byModel: [string, string] } };
  blobs: { key: FileKey; value: ArrayBuffer };
}

/** The IndexedDB database the guard keeps model files in. */
export const MODEL_DB_NAME = 'guarded-chat-models';
const MODEL_DB_VERSION = 1;
/** How long opening the database may take before the guard gives up on the cache for this load. */
const OPEN_TIMEOUT_MS = 5_000;

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}

/**
 * Model weights and tokenizer files in IndexedDB, keyed by model id + revision + file.
 * It stores bytes and their SHA-256; verifying them against a manifest is the loader's job.
 * Another tab upgrading the schema closes this connection (`blocking`); the browser killing
 * it (`terminated`) makes the next call reopen it.
 */
export class ModelStore {
  private db: IDBPDatabase<ModelStoreSchema> | null;

  private constructor(db: IDBPDatabase<ModelStoreSchema>, private readonly name: string) {
    this.db = db;
  }

  /**
   * For a load: the store when `cache` is on and it opens, else null, with why it could not be
   * used (a load then runs from the network and its cache report says so).
   */
  static async openForLoad(cache: boolean): Promise<{ store: ModelStore | null; problem?: { code: string; message: string } }> {
    if (!cache) return { store: null };
    try {
      return { store: await ModelStore.open() };
    } catch (error) {
      const { code = 'storage-unavailable', message } = error as { code?: string; message: string };
      return { store: null, problem: { code, message } };
    }
  }

  /** Opens (or creates) the store. Rejects with `storage-unavailable` where IndexedDB cannot be used. */
  static async open(name: string = MODEL_DB_NAME): Promise<ModelStore> {
    const store = new ModelStore(await ModelStore.connect(name, () => store.dropConnection()), name);
    return store;
  }

  private static async connect(name: string, onLost: () => void): Promise<IDBPDatabase<ModelStoreSchema>> {
    if (typeof indexedDB === 'undefined') {
      throw new GuardError('storage-unavailable', 'IndexedDB is not available here; models will load from the network each time');
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gaveUp = false;
    const opening = openDB<ModelStoreSchema>(name, MODEL_DB_VERSION, {
      upgrade(db) {
        const entries = db.createObjectStore('entries', { keyPath: ['model', 'revision', 'file'] });
        entries.createIndex('byModel', ['model', 'revision']);
        db.createObjectStore('blobs');
      },
      // Another tab holds an older version open: we wait; it closes itself (see `blocking`).
      blocked() {},
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
        onLost();
      },
      terminated: onLost,
      });
    // An open waits behind any other tab's pending upgrade, and that one waits for every tab
    // holding the database to close it: a tab that never does would hang the load. Give up
    // after a while and run from the network; a connection that comes later is closed.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new GuardError('storage-unavailable', `IndexedDB did not open within ${OPEN_TIMEOUT_MS} ms (another tab may be holding up an upgrade of the model cache); models load from the network this time`));
      }, OPEN_TIMEOUT_MS);
    });
    opening.then((db) => {
      if (gaveUp) db.close();
    }, () => undefined);
    try {
      return await Promise.race([opening, timedOut]);
    } catch (cause) {
      if (cause instanceof GuardError) throw cause;
      if ((cause as { name?: string })?.name === 'VersionError') {
        // Another tab (a newer build of the page) moved the schema on: leave its data alone.
        throw new GuardError('storage-unavailable', `the model cache was upgraded to a newer version by another tab; this page loads models from the network until it is reloaded with the new version`, { cause });
      }
      throw new GuardError('storage-unavailable', 'IndexedDB could not be opened; models will load from the network each time', { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  private dropConnection(): void {
    this.db = null;
  }

  private async database(): Promise<IDBPDatabase<ModelStoreSchema>> {
    if (!this.db) this.db = await ModelStore.connect(this.name, () => this.dropConnection());
    return this.db;
  }

  /** The file's bytes and recorded hash, or undefined when it is not stored. */
  async get(model: string, revision: string, file: string): Promise<StoredFile | undefined> {
    const db = await this.database();
    const tx = db.transaction(['entries', 'blobs'], 'readonly');
    const key: FileKey = [model, revision, file];
    const [info, bytes] = await Promise.all([tx.objectStore('entries').get(key), tx.objectStore('blobs').get(key)]);
    await tx.done;
    if (!info || !bytes) return undefined;
    return { ...info, bytes };
  }

  /** Stores a file. Rejects with `storage-quota` when the browser's quota is exceeded. */
  async put(file: StoredFile): Promise<void> {
    const db = await this.database();
    const { bytes, ...info } = file;
    const key: FileKey = [file.model, file.revision, file.file];
    try {
      const tx = db.transaction(['entries', 'blobs'], 'readwrite');
      await Promise.all([tx.objectStore('blobs').put(bytes, key), tx.objectStore('entries').put(info), tx.done]);
    } catch (cause) {
      if (isQuotaError(cause) || isQuotaError((cause as { target?: { error?: unknown } })?.target?.error)) {
        throw new GuardError('storage-quota', `storing ${file.file} (${file.size} bytes) exceeded the storage quota; the model runs from the network copy`, { cause });
      }
      throw new GuardError('storage-unavailable', `storing ${file.file} failed`, { cause });
    }
  }

  /** Removes one file (a corrupted or superseded entry). */
  async delete(model: string, revision: string, file: string): Promise<void> {
    const db = await this.database();
    const tx = db.transaction(['entries', 'blobs'], 'readwrite');
    const key: FileKey = [model, revision, file];
    await Promise.all([tx.objectStore('entries').delete(key), tx.objectStore('blobs').delete(key), tx.done]);
  }

  /** Every stored model revision with its files and total bytes. */
  async list(): Promise<StoredModelSummary[]> {
    const db = await this.database();
    const byModel = new Map<string, StoredModelSummary>();
    for (const info of await db.getAll('entries')) {
      const id = JSON.stringify([info.model, info.revision]);
      const summary = byModel.get(id) ?? { model: info.model, revision: info.revision, files: [], bytes: 0 };
      summary.files.push(info.file);
      summary.bytes += info.size;
      byModel.set(id, summary);
    }
    return [...byModel.values()];
  }

  /** Total bytes of model files stored. */
  async size(): Promise<number> {
    return (await this.list()).reduce((sum, m) => sum + m.bytes, 0);
  }

  /** Removes a model: one revision, or every revision when `revision` is omitted. */
  async evict(model: string, revision?: string): Promise<void> {
    const db = await this.database();
    const tx = db.transaction(['entries', 'blobs'], 'readwrite');
    const entries = tx.objectStore('entries');
    const range = revision === undefined
      ? IDBKeyRange.bound([model, '', ''], [model, '\uffff', '\uffff'])
      : IDBKeyRange.bound([model, revision, ''], [model, revision, '\uffff']);
    const keys = await entries.getAllKeys(range);
    await Promise.all([...keys.flatMap((k) => [entries.delete(k), tx.objectStore('blobs').delete(k)]), tx.done]);
  }

  /** Removes every stored model. */
  async clear(): Promise<void> {
    const db = await this.database();
    const tx = db.transaction(['entries', 'blobs'], 'readwrite');
    await Promise.all([tx.objectStore('entries').clear(), tx.objectStore('blobs').clear(), tx.done]);
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}
