import type { ChatHandler, ChatMessage } from './demo-responder.js';
import { SseDataParser } from './sse-parser.js';

/** What went wrong talking to a chat endpoint, as a stable string a page can branch on. */
export type ChatEndpointErrorCode =
  /** The request never got an answer: offline, DNS, refused, or blocked by CORS or CSP `connect-src`. */
  | 'endpoint-unreachable'
  /** The endpoint answered with an HTTP error (`status` says which; 401: check the API key). */
  | 'endpoint-rejected'
  /** The answer was not the OpenAI chat-completions format (not JSON, no choices, not a stream). */
  | 'invalid-response'
  /** The stream broke off before the reply was finished; what arrived is kept, marked incomplete. */
  | 'stream-interrupted'
  /** The endpoint sent an error object inside the stream. */
  | 'stream-error';

/**
 * An error from the chat endpoint (not from the guard). Its message never holds the API key
 * or the prompt: it may be shown to users and logged.
 */
export class ChatEndpointError extends Error {
  override readonly name = 'ChatEndpointError';
  readonly code: ChatEndpointErrorCode;
  /** The HTTP status, for `endpoint-rejected`. */
  readonly status: number | undefined;

  constructor(code: ChatEndpointErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options?.status;
  }
}

/** Settings of an OpenAI-compatible chat endpoint. */
export interface OpenAiChatOptions {
  /**
   * The endpoint: either the full `…/v1/chat/completions` URL or the API base (`…/v1`), to
   * which `/chat/completions` is added. Relative URLs resolve against the page.
   */
  endpoint: string;
  /** The `model` field of the request (e.g. `gpt-4o-mini`, `llama3.1`); left out when empty. */
  model?: string;
  /** Sent as `Authorization: Bearer <key>`; never put in a URL, a message or an event. */
  apiKey?: string;
  /** Extra request fields (`temperature`, `max_tokens`, …); `model`, `messages`, `stream` win. */
  body?: Record<string, unknown>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The full chat-completions URL for an endpoint given as the full URL or as the API base. */
export function chatCompletionsUrl(endpoint: string, base?: string): string {
  const url = new URL(endpoint, base ?? globalThis.document?.baseURI ?? globalThis.location?.href);
  if (!/\/chat\/completions\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url.href;
}

/** What one streamed chunk (`data:` payload) of a chat completion says. */
export interface ChatChunk {
  /** Reply text in this chunk (may be empty: role-only and usage chunks carry none). */
  text: string;
  /** `[DONE]`: the stream is over. */
  done: boolean;
  /** The model said why it stopped (`finish_reason`): the reply is complete even if `[DONE]` never comes. */
  finished: boolean;
}

/**
 * Reads one `data:` payload of a streamed chat completion: `[DONE]`, or a JSON chunk with
 * `choices[0].delta.content`. An `error` object in the stream becomes a `stream-error`.
 */
export function readChatChunk(data: string): ChatChunk {
  if (data.trim() === '[DONE]') return { text: '', done: true, finished: true };
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch (cause) {
    throw new ChatEndpointError('invalid-response', `a stream event was not JSON: ${clip(data)}`, { cause });
  }
  if (!isRecord(chunk)) throw new ChatEndpointError('invalid-response', `a stream event was not a JSON object: ${clip(data)}`);
  if (chunk.error !== undefined) throw new ChatEndpointError('stream-error', `the endpoint reported an error: ${errorMessage(chunk.error)}`);
  const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (!isRecord(choice)) return { text: '', done: false, finished: false };
  const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : {};
  const text = typeof delta.content === 'string' ? delta.content : '';
  return { text, done: false, finished: typeof choice.finish_reason === 'string' };
}

/**
 * A `ChatHandler` for any OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, Azure
 * OpenAI's compatible route, vLLM, llama.cpp's server, Ollama, LM Studio, …), streaming the
 * reply over server-sent events. Stopping (the signal) ends the reply quietly; any other
 * failure throws a `ChatEndpointError`, after the text that did arrive was yielded.
 */
export function openAiChatHandler(options: OpenAiChatOptions): ChatHandler {
  const { endpoint, model, apiKey, body } = options;
  return async function* openAiChat(messages: readonly ChatMessage[], signal: AbortSignal) {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const url = chatCompletionsUrl(endpoint);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const request = { ...body, ...(model ? { model } : {}), messages: messages.map(({ role, content }) => ({ role, content })), stream: true };
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(request), signal });
    } catch (cause) {
      if (signal.aborted) return;
      throw new ChatEndpointError('endpoint-unreachable', `could not reach the chat endpoint ${originOf(url)} (offline, CORS, or blocked by the page's connect-src)`, { cause });
    }
    if (!response.ok) {
      const detail = await response.text().then(errorBodyMessage, () => '');
      throw new ChatEndpointError('endpoint-rejected', `the chat endpoint answered ${response.status}${detail ? `: ${detail}` : ''}`, { status: response.status });
    }
    if (/application\/json/i.test(response.headers.get('content-type') ?? '')) {
      // A server that ignores `stream: true` answers with one whole completion.
      const whole = await response.text();
      const chunk = readChatChunk(whole);
      if (!chunk.text && !chunk.finished) throw new ChatEndpointError('invalid-response', `the reply held no choices: ${clip(whole)}`);
      yield chunk.text;
      return;
    }
    if (!response.body) throw new ChatEndpointError('invalid-response', 'the chat endpoint answered with no body');

    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseDataParser();
    let finished = false;
    try {
      for (;;) {
        let next: ReadableStreamReadResult<string>;
        try {
          next = await reader.read();
        } catch (cause) {
          if (signal.aborted) return;
          throw new ChatEndpointError('stream-interrupted', 'the reply stream broke off before it was finished', { cause });
        }
        const events = next.done ? parser.end() : parser.push(next.value);
        for (const data of events) {
          const chunk = readChatChunk(data);
          if (chunk.text) yield chunk.text;
          finished ||= chunk.finished;
          if (chunk.done) return;
        }
        if (next.done) break;
      }
    } finally {
      // Ends the request when the caller stops early (a blocked reply, the Stop button).
      reader.cancel().catch(() => undefined);
    }
    if (!finished && !signal.aborted) throw new ChatEndpointError('stream-interrupted', 'the reply stream ended without finishing ([DONE] or finish_reason never came)');
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);
const originOf = (url: string) => new URL(url).origin;

function errorMessage(error: unknown): string {
  if (isRecord(error) && typeof error.message === 'string') return clip(error.message);
  return clip(typeof error === 'string' ? error : JSON.stringify(error));
}

/** The human part of an HTTP error body: OpenAI's `{ error: { message } }`, else the text itself. */
function errorBodyMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && parsed.error !== undefined) return errorMessage(parsed.error);
  } catch {
    // not JSON: show the text
  }
  return clip(text.trim());
}
