/**
 * Server-sent events, reduced to what chat endpoints use: the `data` of each event.
 *
 * The wire format (WHATWG HTML, "server-sent events"): lines end in LF, CRLF or CR; an empty
 * line ends an event; `data:` lines of one event are joined with LF; one space after the colon
 * is dropped; lines starting with `:` are comments (keep-alives); other fields (`event`, `id`,
 * `retry`) carry nothing a chat reply needs. Network chunks split lines anywhere, even between
 * the CR and the LF of one line ending, so the parser keeps the unfinished tail between pushes.
 */
export class SseDataParser {
  private buffer = '';
  private data: string[] = [];
  /** The last chunk ended in CR: a LF starting the next chunk belongs to the same line ending. */
  private pendingCr = false;

  /** Feeds decoded text; returns the `data` of every event the text completed, in order. */
  push(chunk: string): string[] {
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    const events: string[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i), events);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /**
   * The stream ended. Per the format, an event not closed by an empty line is dropped; we
   * return it anyway when it holds data, since some servers end with `data: [DONE]` and no
   * blank line, and a caller that wants the strict reading can ignore it.
   */
  end(): string[] {
    const events: string[] = [];
    if (this.buffer) this.line(this.buffer, events);
    this.buffer = '';
    if (this.data.length > 0) events.push(this.data.join('\n'));
    this.data = [];
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }
}
