import type { Page } from 'playwright-core';

/** How a test damages a cached model file: as a bad disk would, or as an interrupted write would leave it. */
export type CachedFileDamage = 'flip-byte' | 'truncate';

/**
 * Damages one file of a model cached in the page's IndexedDB (`guarded-chat-models`, store
 * `blobs`, key `[modelId, revision, file]`), behind the library's back. Returns the stored
 * length afterwards, so a test can check there was a file to damage.
 */
export function damageCachedFile(page: Page, modelId: string, file: string, damage: CachedFileDamage, revision = 'main'): Promise<number> {
  return page.evaluate(async ({ modelId, file, damage, revision }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('guarded-chat-models');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const key = [modelId, revision, file];
    const store = db.transaction('blobs', 'readwrite').objectStore('blobs');
    const bytes = await new Promise<ArrayBuffer>((resolve) => { store.get(key).onsuccess = (e) => resolve((e.target as IDBRequest).result); });
    let damaged = bytes;
    if (damage === 'truncate') {
      damaged = bytes.slice(0, bytes.byteLength >> 1);
    } else {
      const view = new Uint8Array(bytes);
      const middle = view.length >> 1;
      view[middle] = view[middle]! ^ 0xff; // same length, different content
    }
    await new Promise((resolve) => { store.put(damaged, key).onsuccess = resolve; });
    db.close();
    return damaged.byteLength;
  }, { modelId, file, damage, revision });
}
