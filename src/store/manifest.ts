import { GuardError } from '../errors.js';

/** A file a manifest vouches for. */
export interface ManifestFile {
  sha256: string;
  size?: number;
}

/** The parts of a model folder's `manifest.json` the loader relies on. */
export interface ModelManifest {
  files: Record<string, ManifestFile>;
  /** Everything else the manifest says (labels, thresholds, eval summary), as written. */
  extra: Record<string, unknown>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Reads `manifest.json`. `files` may be a map `{ "onnx/model.onnx": { sha256, bytes } }` or a
 * list `[{ path, sha256, bytes }]`; sizes may be named `bytes` or `size`.
 */
export function parseManifest(json: unknown, where: string): ModelManifest {
  if (typeof json !== 'object' || json === null) throw new GuardError('model-load-failed', `${where} is not a JSON object`);
  const { files: rawFiles, ...extra } = json as { files?: unknown };
  const entries: [string, Record<string, unknown>][] = Array.isArray(rawFiles)
    ? rawFiles.map((f: Record<string, unknown>) => [String(f.path ?? f.name ?? f.file ?? ''), f])
    : Object.entries((rawFiles ?? {}) as Record<string, Record<string, unknown>>);
  const files: Record<string, ManifestFile> = {};
  for (const [path, entry] of entries) {
    const sha256 = String(entry?.sha256 ?? '').toLowerCase();
    if (!path || !SHA256_HEX.test(sha256)) {
      throw new GuardError('model-load-failed', `${where}: entry ${JSON.stringify(path)} has no valid sha256`);
    }
    const size = Number(entry.bytes ?? entry.size);
    files[path] = Number.isFinite(size) ? { sha256, size } : { sha256 };
  }
  return { files, extra: extra as Record<string, unknown> };
}
