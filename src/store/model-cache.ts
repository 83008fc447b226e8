import { ModelStore, type StoredModelSummary } from './model-store.js';

/** Every model revision stored on this device, with its files and bytes. */
export async function listCachedModels(): Promise<StoredModelSummary[]> {
  const store = await ModelStore.open();
  try {
    return await store.list();
  } finally {
    store.close();
  }
}

/** Removes one model (one revision, or all of its revisions) from this device. */
export async function evictCachedModel(model: string, revision?: string): Promise<void> {
  const store = await ModelStore.open();
  try {
    await store.evict(model, revision);
  } finally {
    store.close();
  }
}

/** Removes every stored model from this device. */
export async function clearModelCache(): Promise<void> {
  const store = await ModelStore.open();
  try {
    await store.clear();
  } finally {
    store.close();
  }
}

/** Asks the browser to keep stored models under storage pressure; resolves whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await globalThis.navigator?.storage?.persist?.()) ?? false;
}
