/**
 * The bytes of a `data:` URL, decoded here rather than fetched: a page's bundler inlines a
 * model's small files (config, tokenizer config) as `data:` URLs, and a CSP whose
 * `connect-src` is `'self'` blocks fetching those. Null for any other URL.
 */
export function dataUrlBytes(url: string): Uint8Array | null {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) return null;
  const [, meta, payload] = match as unknown as [string, string, string];
  if (/;base64$/i.test(meta)) {
    const binary = atob(payload);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  return new TextEncoder().encode(decodeURIComponent(payload));
}
