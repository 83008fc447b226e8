import { describe, expect, it } from 'vitest';
import { dataUrlBytes } from '../../src/store/data-url.js';

const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

describe('dataUrlBytes', () => {
  it('decodes base64 and percent-encoded data URLs, as bundlers inline small files', () => {
    const json = '{"model_max_length":128}';
    expect(text(dataUrlBytes(`data:application/json;base64,${btoa(json)}`))).toBe(json);
    expect(text(dataUrlBytes(`data:application/json,${encodeURIComponent(json)}`))).toBe(json);
    expect(text(dataUrlBytes('data:,'))).toBe('');
  });

  it('leaves every other URL to fetch', () => {
    expect(dataUrlBytes('https://app.example/assets/config-a1.json')).toBeNull();
    expect(dataUrlBytes('/assets/data:x.json')).toBeNull();
  });
});
