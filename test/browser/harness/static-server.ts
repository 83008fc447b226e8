import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running static server and the requests it answered. */
export interface StaticServer {
  url: string;
  /** Every path requested, in order (for tests that count model downloads). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves a folder as plain files, the way a page's own web server would serve the built
 * package: no dev-server transforms. `isolated` adds COOP/COEP (cross-origin isolation);
 * `headers` are added to every file response (e.g. a Content-Security-Policy).
 */
export async function startStaticServer(root: string, options: { isolated?: boolean; cors?: boolean; headers?: Record<string, string>; cacheControl?: string } = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const headers: Record<string, string | number> = {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': options.cacheControl ?? 'no-store',
      };
      if (options.cors) headers['access-control-allow-origin'] = '*';
      if (options.isolated) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      Object.assign(headers, options.headers);
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', ...(options.cors ? { 'access-control-allow-origin': '*' } : {}) }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Open keep-alive or half-read connections would hold close() for up to a minute.
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
