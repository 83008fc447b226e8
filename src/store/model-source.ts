import { GuardError } from '../errors.js';
import type { ModelSource } from '../types.js';

/** A model source reduced to plain data the worker can use: where files are and how they are keyed. */
export interface ResolvedModelSource {
  /** Cache key: the folder URL, `hub:<host>/<id>` or `shipped:<name>`. */
  id: string;
  revision: string;
  /** Absolute URL of the folder, ending with `/`. */
  baseUrl: string;
  /** Pinned hashes from the caller, if any. */
  sha256: Record<string, string>;
  /** Files whose URL is not `baseUrl` + path: a shipped model's files, wherever the page's bundler put them. */
  files?: Record<string, string>;
}

/** The models a build carries: per name, each file's URL (see `src/shipped-model-files.ts`). */
export type ShippedModelFiles = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const DEFAULT_HUB_HOST = 'https://huggingface.co';
const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Resolves any model source against the page (`pageUrl`) and the models this build ships. */
export function resolveModelSource(source: ModelSource, pageUrl: string, shipped: ShippedModelFiles): ResolvedModelSource {
  const revision = source.revision ?? 'main';
  const sha256 = Object.fromEntries(Object.entries(source.sha256 ?? {}).map(([f, h]) => [f, h.toLowerCase()]));
  if ('hub' in source) {
    if (!HUB_ID.test(source.hub)) {
      throw new GuardError('invalid-input', `hub model ids look like "org/name"; got ${JSON.stringify(source.hub)}`);
    }
    const host = withSlash(new URL(source.host ?? DEFAULT_HUB_HOST, pageUrl).href);
    return {
      id: `hub:${host}${source.hub}`,
      revision,
      baseUrl: `${host}${source.hub}/resolve/${encodeURIComponent(revision)}/`,
      sha256,
    };
  }
  if ('name' in source) {
    if (!/^[\w.-]+$/.test(source.name)) throw new GuardError('invalid-input', `not a shipped model name: ${JSON.stringify(source.name)}`);
    const id = `shipped:${source.name}`;
    if (source.baseUrl !== undefined) {
      return { id, revision, baseUrl: `${withSlash(new URL(source.baseUrl, pageUrl).href)}${source.name}/`, sha256 };
    }
    const files = shipped[source.name];
    if (!files?.['manifest.json']) {
      throw new GuardError('invalid-input', `no model named ${JSON.stringify(source.name)} ships with this package `
        + `(it has: ${Object.keys(shipped).join(', ')}); serve the model's folder and pass { url }, or { name, baseUrl }`);
    }
    const absolute = Object.fromEntries(Object.entries(files).map(([file, url]) => [file, new URL(url, pageUrl).href]));
    return { id, revision, baseUrl: new URL('./', absolute['manifest.json']).href, sha256, files: absolute };
  }
  if ('url' in source && typeof source.url === 'string' && source.url) {
    const baseUrl = withSlash(new URL(source.url, pageUrl).href);
    return { id: baseUrl, revision, baseUrl, sha256 };
  }
  throw new GuardError('invalid-input', 'a model source needs one of: url, hub, name');
}

/** A model id's folder or hub name (`guard-minilm` for `https://host/models/guard-minilm/` or `hub:org/guard-minilm@rev`): shorter in messages. */
export function modelDisplayName(id: string): string {
  return id.replace(/\/+$/, '').split(/[/:]/).pop()!.replace(/@.*$/, '');
}
