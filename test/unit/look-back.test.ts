import { describe, expect, it } from 'vitest';
import { lookBackWindow, SENTENCE_END } from '../../src/screen/look-back.js';

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
