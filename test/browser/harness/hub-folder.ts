import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStaticServer, type StaticServer } from './static-server.js';

/** A local stand-in for a model hub: `<url>/<org>/<name>/resolve/<revision>/<file>`. */
export interface LocalHub extends StaticServer {
  /** Hub-style URLs asked for, as paths. */
  readonly requests: string[];
}

/**
 * Serves model folders the way the Hugging Face hub lays them out, from a temporary root whose
 * `<id>/resolve/<revision>` entries link to the folders given. CORS is on: the page is on
 * another origin, as it would be with the real hub.
 */
export async function startLocalHub(models: Record<string, string>, revision = 'main'): Promise<LocalHub & { dispose(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'local-hub-'));
  for (const [id, folder] of Object.entries(models)) {
    mkdirSync(join(root, id, 'resolve'), { recursive: true });
    symlinkSync(resolve(folder), join(root, id, 'resolve', revision));
  }
  const server = await startStaticServer(root, { cors: true });
  return {
    ...server,
    async dispose() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
