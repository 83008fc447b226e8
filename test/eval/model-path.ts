import { existsSync } from 'node:fs';

/**
 * The URL path (served from the project root) of the model a script should run: `--model NAME`
 * is a shipped model, `--model /path/` or `./path/` a folder; by default the shipped model, or
 * the test fixture where no shipped model is present.
 */
export function modelPathFor(given: string | undefined, root: string): string {
  if (given?.startsWith('/') || given?.startsWith('./')) return `/${given.replace(/^\.?\//, '').replace(/\/?$/, '/')}`;
  if (given) return `/models/${given}/`;
  const shipped = ['guard-use-lite', 'guard-bert-mini'].find((name) => existsSync(`${root}models/${name}/manifest.json`));
  return shipped ? `/models/${shipped}/` : '/test/fixtures/models/tiny-guard/';
}
