import { describe, expect, it } from 'vitest';
import { SseDataParser } from '../../src/components/guarded-chat/sse-parser.js';

/** Feeds `text` to a fresh parser in pieces of `size` characters; returns every event's data. */
function parseInPieces(text: string, size: number): string[] {
  const parser = new SseDataParser();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
  out.push(...parser.end());
  return out;
}

const STREAM =
  ': keep-alive\n\n' +
  'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n' +
  'event: message\nid: 7\nretry: 100\ndata: {"choices":[{"delta":{"content":"lo"}}]}\n\n' +
  'data: first line\ndata: second line\n\n' +
  'data:no-space\n\n' +
  'data: [DONE]\n\n';

const EXPECTED = ['{"choices":[{"delta":{"content":"Hel"}}]}', '{"choices":[{"delta":{"content":"lo"}}]}', 'first line\nsecond line', 'no-space', '[DONE]'];

describe('SseDataParser', () => {
  it('returns the data of each event, joining multi-line data and skipping comments and other fields', () => {
    expect(parseInPieces(STREAM, STREAM.length)).toEqual(EXPECTED);
  });

  it('gives the same events however the network splits the stream (every piece size 1..40)', () => {
    for (let size = 1; size <= 40; size++) expect(parseInPieces(STREAM, size)).toEqual(EXPECTED);
  });

  it('accepts CRLF and lone CR line endings, even with CR and LF in different chunks', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const cr = STREAM.replaceAll('\n', '\r');
    for (let size = 1; size <= 12; size++) {
      expect(parseInPieces(crlf, size)).toEqual(EXPECTED);
      expect(parseInPieces(cr, size)).toEqual(EXPECTED);
    }
  });

  it('holds an unfinished event until its blank line arrives', () => {
    const parser = new SseDataParser();
    expect(parser.push('data: {"a"')).toEqual([]);
    expect(parser.push(':1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual(['{"a":1}']);
  });

  it('keeps an empty data line as an empty line of the event', () => {
    expect(parseInPieces('data: a\ndata:\ndata: b\n\n', 3)).toEqual(['a\n\nb']);
  });

  it('on end, returns a last event that was not closed by a blank line', () => {
    expect(parseInPieces('data: x\n\ndata: [DONE]', 4)).toEqual(['x', '[DONE]']);
    expect(parseInPieces('data: x\n\ndata: [DONE]\n', 4)).toEqual(['x', '[DONE]']);
  });

  it('ignores blank lines with no data and lines with no colon other than "data"', () => {
    expect(parseInPieces('\n\n\nretry\nfoo\ndata\n\n', 2)).toEqual(['']);
  });
});
