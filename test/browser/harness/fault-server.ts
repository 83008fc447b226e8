import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

/**
 * What the server does with one request for a file:
 * - `ok`: serves it (honouring `Range: bytes=N-` with a 206 unless `ranges` is off);
 * - `cut`: announces the full length, sends the first half, then closes the connection;
 * - `stall`: sends the first half, then nothing more (the connection stays open);
 * - `slow`: serves it in 16 KiB pieces, 20 ms apart;
 * - `tamper`: serves it with one byte flipped (same length);
 * - a number: answers with that HTTP status and no file.
 */
export type Fault = 'ok' | 'cut' | 'stall' | 'slow' | 'tamper' | number;

/** A model folder served over HTTP with faults injected per file, for tests of the download path. */
export interface FaultServer {
  /** The folder's URL, ending with `/`. */
  url: string;
  /** Faults for the next requests of a file (`onnx/model_quantized.onnx`), used in order; then `ok`. */
  plan(file: string, faults: Fault[]): void;
  /** Every request: the file and the Range header it carried. */
  requests: { file: string; range: string | null }[];
  /** Whether `Range` requests are honoured (default true). */
  ranges: boolean;
  reset(): void;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'content-length, content-range, accept-ranges, etag',
  'cache-control': 'no-store',
};

/** Serves `folder` (a model folder) with faults on demand; CORS open, so any page may fetch it. */
export async function startFaultServer(folder: string): Promise<FaultServer> {
  const plans = new Map<string, Fault[]>();
  const sockets = new Set<Socket>();
  const requests: FaultServer['requests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-headers': 'range, if-range' }).end();
      return;
    }
    const file = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/m\//, '');
    const range = req.headers.range ?? null;
    requests.push({ file, range });
    const fault = plans.get(file)?.shift() ?? 'ok';
    if (typeof fault === 'number') {
      res.writeHead(fault, { ...CORS, 'content-type': 'text/plain' }).end(`fault ${fault}`);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(folder, file));
    } catch {
      res.writeHead(404, { ...CORS, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const etag = `"${bytes.length}"`;
    let start = 0;
    const match = server.ranges && range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match && (!req.headers['if-range'] || req.headers['if-range'] === etag)) start = Number(match[1]);
    const body = bytes.subarray(start);
    const headers = { ...CORS, 'content-type': 'application/octet-stream', 'content-length': body.length, etag, ...(server.ranges ? { 'accept-ranges': 'bytes' } : {}) };
    if (start > 0) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    else res.writeHead(200, headers);
    const half = body.subarray(0, body.length >> 1);
    if (fault === 'cut') {
      res.write(half, () => setTimeout(() => res.socket?.destroy(), 50));
    } else if (fault === 'stall') {
      res.write(half);
    } else if (fault === 'slow') {
      for (let offset = 0; offset < body.length; offset += 16_384) {
        res.write(body.subarray(offset, offset + 16_384));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      res.end();
    } else if (fault === 'tamper') {
      const copy = Buffer.from(body);
      copy[copy.length >> 1]! ^= 0xff;
      res.end(copy);
    } else {
      res.end(body);
    }
  };

  const http = createServer((req, res) => void handle(req, res));
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const server: FaultServer = {
    url: `http://127.0.0.1:${port}/m/`,
    requests,
    ranges: true,
    plan: (file, faults) => void plans.set(file, [...faults]),
    reset() {
      plans.clear();
      requests.length = 0;
      server.ranges = true;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      http.close(() => resolve());
    }),
  };
  return server;
}
