import { describe, expect, it } from 'vitest';
import { lookBackWindow, SENTENCE_END, sentenceWindows } from '../../src/screen/look-back.js';

describe('lookBackWindow', () => {
  it('is the whole reply while it is short', () => {
    expect(lookBackWindow('One. Two.', 100)).toBe('One. Two.');
  });

  it('keeps the tail, widened back to a sentence start', () => {
    const reply = `${'Filler sentence number one. '.repeat(10)}The last sentence is here.`;
    const window = lookBackWindow(reply, 40);
    expect(window.endsWith('The last sentence is here.')).toBe(true);
    expect(window.startsWith('Filler sentence number one.') || window.startsWith('The last')).toBe(true);
    expect(window.length).toBeLessThan(80);
  });
});

describe('SENTENCE_END', () => {
  it('matches finished sentences, not words in progress', () => {
    for (const done of ['Hello.', 'Really?! ', 'He said "no."', 'line\n', 'Fine…']) expect(SENTENCE_END.test(done), done).toBe(true);
    for (const open of ['Hello', 'e.g', 'Wait, ']) expect(SENTENCE_END.test(open), open).toBe(false);
  });
});

describe('sentenceWindows', () => {
  it('gives one window per finished sentence, each ending with its sentence, in order', () => {
    const reply = 'Sure. Here is how to do it! Then more? And an open';
    const windows = sentenceWindows(reply);
    expect(windows.map((w) => w.text)).toEqual(['Sure. ', 'Sure. Here is how to do it! ', 'Sure. Here is how to do it! Then more? ']);
    expect(windows.map((w) => reply.slice(0, w.end))).toEqual(['Sure.', 'Sure. Here is how to do it!', 'Sure. Here is how to do it! Then more?']);
    for (const w of windows) expect(reply.slice(w.start, w.start + w.text.length)).toBe(w.text);
  });

  it('skips sentences that ended at or before `from`, so a growing reply screens each sentence once', () => {
    const first = 'One. Two.';
    const ends = sentenceWindows(first).map((w) => w.end);
    expect(ends).toEqual([4, 9]);
    const grown = `${first}\n\nThree. Fo`;
    expect(sentenceWindows(grown, ends.at(-1)).map((w) => w.text)).toEqual(['One. Two.\n\nThree. ']);
  });

  it('does not end sentences inside numbers or abbreviations in progress; closing quotes and CJK stops count', () => {
    expect(sentenceWindows('Pi is 3.14 and e.g')).toEqual([]);
    expect(sentenceWindows('He said "no." Then left').map((w) => w.text)).toEqual(['He said "no." ']);
    expect(sentenceWindows('你好。世界').map((w) => w.text)).toEqual(['你好。']);
  });

  it('looks back at most `maxChars` (widened to a sentence start), and says where each window starts', () => {
    const reply = `${'A benign filler sentence. '.repeat(20)}The harmful one. Tail.`;
    const windows = sentenceWindows(reply, 0, 60);
    const harmful = windows.find((w) => w.text.includes('The harmful one.'))!;
    expect(harmful.text.endsWith('The harmful one. ')).toBe(true);
    expect(harmful.text.length).toBeLessThan(100);
    expect(reply.slice(harmful.start, harmful.start + harmful.text.length)).toBe(harmful.text);
    expect(harmful.text).not.toContain('Tail');
  });
});
