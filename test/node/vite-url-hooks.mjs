/**
 * Node module hooks that give `import x from 'pkg/file?url'` (a Vite asset import) its meaning
 * outside Vite: the default export is the file's `file://` URL. Registered by `node-guard.ts` so
 * that the library's own `src/inference/ort-runtime.ts` runs unchanged in Node.
 */
const QUERY = /\?url(&no-inline)?$/;

export async function resolve(specifier, context, next) {
  if (!QUERY.test(specifier)) return next(specifier, context);
  const resolved = await next(specifier.replace(QUERY, ''), context);
  return { url: `${resolved.url}?vite-url`, shortCircuit: true, format: 'module' };
}

export async function load(url, context, next) {
  if (!url.endsWith('?vite-url')) return next(url, context);
  const fileUrl = url.slice(0, -'?vite-url'.length);
  return { format: 'module', shortCircuit: true, source: `export default ${JSON.stringify(fileUrl)};` };
}
