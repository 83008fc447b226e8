import { describe, expect, it } from 'vitest';
import { modelSourceOf } from '../../src/components/model-attribute.js';
import { DEFAULT_MODEL } from '../../src/shipped-models.js';

describe('the elements\' model attribute', () => {
  it('takes what createGuard takes: the default, a shipped name, a hub id, a folder URL', () => {
    expect(modelSourceOf(null)).toEqual({ name: DEFAULT_MODEL });
    expect(modelSourceOf('  ')).toEqual({ name: DEFAULT_MODEL });
    expect(modelSourceOf('guard-use-lite')).toEqual({ name: 'guard-use-lite' });
    expect(modelSourceOf('hub:acme/guard-small')).toEqual({ hub: 'acme/guard-small' });
    expect(modelSourceOf('hub:acme/guard-small@v2')).toEqual({ hub: 'acme/guard-small', revision: 'v2' });
    expect(modelSourceOf('/models/mine/')).toEqual({ url: '/models/mine/' });
    expect(modelSourceOf('./mine')).toEqual({ url: './mine' });
    expect(modelSourceOf('https://cdn.example/m/')).toEqual({ url: 'https://cdn.example/m/' });
  });
});
