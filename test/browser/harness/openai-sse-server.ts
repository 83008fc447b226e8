import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completions request the server received (preflights are not counted). */
export interface ReceivedChatRequest {
  headers: IncomingHttpHeaders;
  /** The parsed JSON body: `{ model, messages, stream }`. */
  body: { model?: string; messages: { role: string; content: string }[]; stream?: boolean };
  /** The body exactly as it came over the wire. */
  raw: string;
}

/** What the server streams back to the next requests. */
export interface ChatReplyScript {
  /** Reply pieces, one SSE event each. */
  pieces: string[];
  /** Pause between pieces, in ms (default 10). */
  delayMs?: number;
  /** Break the connection after this many pieces (no `[DONE]`): a failure mid-stream. */
  failAfter?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead of a stream. */
  status?: number;
}

/** A local endpoint speaking the OpenAI chat-completions wire format (SSE), for browser tests. */
export interface OpenAiSseServer {
  /** The API base, e.g. `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  /** Every request to `/v1/chat/completions`, in order. */
  received: ReceivedChatRequest[];
  /** What to answer; change it between tests. */
  script: ChatReplyScript;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'POST, OPTIONS',
};

/**
 * Starts the endpoint on a free port. It answers CORS preflights (a page on another origin
 * sends `Authorization` and JSON), records each request body, and streams `script.pieces` as
 * `chat.completion.chunk` events ending in `[DONE]`, or breaks off as `script` says.
 */
export async function startOpenAiSseServer(): Promise<OpenAiSseServer> {
  const received: ReceivedChatRequest[] = [];
  const state: { script: ChatReplyScript } = { script: { pieces: ['Hello ', 'from ', 'the ', 'endpoint.'] } };
  const server: Server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (req.method !== 'POST' || !new URL(req.url ?? '/', 'http://x').pathname.endsWith('/chat/completions')) {
      res.writeHead(404, CORS).end();
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { raw += chunk; });
    req.on('end', async () => {
      received.push({ headers: req.headers, body: JSON.parse(raw), raw });
      const { pieces, delayMs = 10, failAfter, status } = state.script;
      if (status) {
        res.writeHead(status, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted failure ${status}`, type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { ...CORS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model: 'test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const [i, piece] of pieces.entries()) {
        if (failAfter !== undefined && i === failAfter) {
          // Let the pieces already written reach the page, then drop the connection.
          await new Promise((r) => setTimeout(r, delayMs + 50));
          res.socket?.destroy();
          return;
        }
        await new Promise((r) => setTimeout(r, delayMs));
        res.write(chunk({ content: piece }));
      }
      res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    get script() { return state.script; },
    set script(next) { state.script = next; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
