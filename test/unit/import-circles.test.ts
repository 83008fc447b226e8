import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every import circle under `dir`, type-only imports included (they couple modules as much). */
async function importCircles(dir: string): Promise<string[][]> {
  const graph = await madge(root + dir, {
    fileExtensions: ['ts'],
    tsConfig: root + 'tsconfig.json',
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  return graph.circular();
}

describe('import circles', () => {
  it('src/ has none: shared types flow down, each module owns its types', async () => {
    expect(await importCircles('src')).toEqual([]);
  }, 60_000);

  it('the check finds a type-only circle', async () => {
    expect(await importCircles('test/fixtures/import-circle')).toEqual([['a.ts', 'b.ts']]);
  }, 60_000);
});
