import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEndpointError, chatCompletionsUrl, openAiChatHandler, readChatChunk } from '../../src/components/guarded-chat/openai-chat-handler.js';

describe('readChatChunk', () => {
  it('reads the delta text, [DONE] and finish_reason', () => {
    expect(readChatChunk('{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}')).toEqual({ text: 'Hi', done: false, finished: false });
    expect(readChatChunk('{"choices":[{"delta":{"role":"assistant"}}]}')).toEqual({ text: '', done: false, finished: false });
    expect(readChatChunk('{"choices":[{"delta":{},"finish_reason":"stop"}]}')).toEqual({ text: '', done: false, finished: true });
    expect(readChatChunk('{"choices":[],"usage":{"total_tokens":3}}')).toEqual({ text: '', done: false, finished: false });
    expect(readChatChunk(' [DONE] ')).toEqual({ text: '', done: true, finished: true });
  });

  it('reads a whole (non-streamed) completion too', () => {
    expect(readChatChunk('{"choices":[{"message":{"role":"assistant","content":"All"},"finish_reason":"stop"}]}')).toEqual({ text: 'All', done: false, finished: true });
  });

  it('throws typed errors for an error event and for text that is not a JSON object', () => {
    const thrown = (data: string) => { try { readChatChunk(data); } catch (e) { return e; } return undefined; };
    expect(thrown('{"error":{"message":"overloaded","type":"server_error"}}')).toMatchObject({ name: 'ChatEndpointError', code: 'stream-error', message: expect.stringContaining('overloaded') });
    expect(thrown('not json')).toMatchObject({ code: 'invalid-response' });
    expect(thrown('[1,2]')).toMatchObject({ code: 'invalid-response' });
    expect(thrown('not json')).toBeInstanceOf(ChatEndpointError);
  });
});

describe('chatCompletionsUrl', () => {
  it('takes the full URL or the API base', () => {
    expect(chatCompletionsUrl('https://api.example.com/v1/chat/completions')).toBe('https://api.example.com/v1/chat/completions');
    expect(chatCompletionsUrl('https://api.example.com/v1')).toBe('https://api.example.com/v1/chat/completions');
    expect(chatCompletionsUrl('https://api.example.com/v1/')).toBe('https://api.example.com/v1/chat/completions');
    expect(chatCompletionsUrl('/llm/v1', 'http://page.test/app/')).toBe('http://page.test/llm/v1/chat/completions');
  });
});

/** What the local server answers next; each test sets it. */
let respond: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_q, res) => res.end();
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let base = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    respond(req, res, body);
  });
});

const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const delta = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text }, finish_reason: null }] })}\n\n`;

async function collect(iterable: AsyncIterable<string>): Promise<{ pieces: string[]; error?: unknown }> {
  const pieces: string[] = [];
  try {
    for await (const piece of iterable) pieces.push(piece);
  } catch (error) {
    return { pieces, error };
  }
  return { pieces };
}

describe('openAiChatHandler against a local HTTP server', () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the OpenAI request (model, messages, stream) with the key as a Bearer header, and streams the reply', async () => {
    respond = (_req, res) => {
      sse(res);
      // One write with an event split across writes, to exercise partial chunks over TCP.
      res.write(delta('Hello') + delta(', wor').slice(0, 10));
      setTimeout(() => res.end(delta(', wor').slice(10) + delta('ld.') + 'data: [DONE]\n\n'), 5);
    };
    received.length = 0;
    const handler = openAiChatHandler({ endpoint: base, model: 'test-model', apiKey: 'sk-unit-secret', body: { temperature: 0 } });
    const { pieces, error } = await collect(handler([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], new AbortController().signal));
    expect(error).toBeUndefined();
    expect(pieces.join('')).toBe('Hello, world.');
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toBe('Bearer sk-unit-secret');
    expect(JSON.parse(received[0]!.body)).toEqual({ temperature: 0, model: 'test-model', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], stream: true });
  });

  it('sends no Authorization header and no model field when neither is set', async () => {
    respond = (_req, res) => { sse(res); res.end(delta('ok') + 'data: [DONE]\n\n'); };
    received.length = 0;
    await collect(openAiChatHandler({ endpoint: `${base}/chat/completions` })([{ role: 'user', content: 'Hi' }], new AbortController().signal));
    expect(received[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(received[0]!.body)).not.toHaveProperty('model');
  });

  it('rejects an HTTP error with endpoint-rejected, the status and the server message, never the key', async () => {
    respond = (_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided"}}');
    const { pieces, error } = await collect(openAiChatHandler({ endpoint: base, apiKey: 'sk-unit-secret' })([{ role: 'user', content: 'Hi' }], new AbortController().signal));
    expect(pieces).toEqual([]);
    expect(error).toBeInstanceOf(ChatEndpointError);
    expect(error).toMatchObject({ code: 'endpoint-rejected', status: 401, message: 'the chat endpoint answered 401: Incorrect API key provided' });
    expect(String((error as Error).message)).not.toContain('sk-unit-secret');
  });

  it('yields what arrived, then throws stream-interrupted when the connection breaks mid-reply', async () => {
    respond = (_req, res) => {
      sse(res);
      res.write(delta('Partial '));
      res.write(delta('reply'));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const { pieces, error } = await collect(openAiChatHandler({ endpoint: base })([{ role: 'user', content: 'Hi' }], new AbortController().signal));
    expect(pieces.join('')).toBe('Partial reply');
    expect(error).toMatchObject({ name: 'ChatEndpointError', code: 'stream-interrupted' });
  });

  it('treats a stream that ends cleanly without [DONE] or finish_reason as interrupted, and one with finish_reason as complete', async () => {
    respond = (_req, res) => { sse(res); res.end(delta('cut')); };
    expect((await collect(openAiChatHandler({ endpoint: base })([], new AbortController().signal))).error).toMatchObject({ code: 'stream-interrupted' });
    respond = (_req, res) => { sse(res); res.end(delta('whole') + `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`); };
    expect(await collect(openAiChatHandler({ endpoint: base })([], new AbortController().signal))).toEqual({ pieces: ['whole'] });
  });

  it('reports an error event inside the stream as stream-error', async () => {
    respond = (_req, res) => { sse(res); res.end(delta('a') + 'data: {"error":{"message":"model overloaded"}}\n\n'); };
    const { pieces, error } = await collect(openAiChatHandler({ endpoint: base })([], new AbortController().signal));
    expect(pieces).toEqual(['a']);
    expect(error).toMatchObject({ code: 'stream-error', message: expect.stringContaining('model overloaded') });
  });

  it('accepts a whole JSON completion from a server that does not stream', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"role":"assistant","content":"Whole reply"},"finish_reason":"stop"}]}');
    expect(await collect(openAiChatHandler({ endpoint: base })([], new AbortController().signal))).toEqual({ pieces: ['Whole reply'] });
  });

  it('ends quietly when stopped through the signal mid-stream', async () => {
    respond = (_req, res) => { sse(res); res.write(delta('one ')); };
    const stop = new AbortController();
    const pieces: string[] = [];
    for await (const piece of openAiChatHandler({ endpoint: base })([], stop.signal)) {
      pieces.push(piece);
      stop.abort();
    }
    expect(pieces).toEqual(['one ']);
  });

  it('says endpoint-unreachable when nothing answers', async () => {
    const { error } = await collect(openAiChatHandler({ endpoint: 'http://127.0.0.1:9/v1' })([], new AbortController().signal));
    expect(error).toMatchObject({ code: 'endpoint-unreachable' });
  });
});
