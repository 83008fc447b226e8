import { describe, expect, it } from 'vitest';
import type { JudgeReading } from '../../src/policy/verdict.js';
import { judgedScores } from '../../src/screen/judge-review.js';
import { JudgeClient, type JudgeRemote } from '../../src/worker/judge-client.js';
import type { JudgeAnswer } from '../../src/judge/judge-worker-api.js';

const reading = (verdict: JudgeReading['verdict'], categories: JudgeReading['categories'] = []): JudgeReading => ({
  family: 'llama-guard', verdict, categories, covers: ['harmful', 'toxic'], outputs: [], firstTokenMs: 0, totalMs: 0,
});

describe('judgedScores: what a guard LLM\'s answer sets', () => {
  it('clears the covered categories when safe', () => {
    expect(judgedScores(reading('safe'), 'safe')).toEqual(new Map([['harmful', 0], ['toxic', 0]]));
  });

  it('sets the named categories to 1 and clears the other covered ones when unsafe, even ones it does not cover', () => {
    expect(judgedScores(reading('unsafe', [{ label: 'S14', category: 'injection' }, { label: 'S1', category: 'harmful' }]), 'safe'))
      .toEqual(new Map([['harmful', 1], ['toxic', 0], ['injection', 1]]));
  });

  it('reads a controversial answer as the policy says', () => {
    const named = [{ label: 'Politically Sensitive Topics', category: 'harmful' }];
    expect(judgedScores(reading('controversial', named), 'safe')?.get('harmful')).toBe(0);
    expect(judgedScores(reading('controversial', named), 'unsafe')?.get('harmful')).toBe(1);
  });

  it('gives nothing for an answer that could not be read', () => {
    expect(judgedScores(reading('unparsable'), 'unsafe')).toBeNull();
  });
});

/** A judge worker stand-in whose reviews finish when the test says (the queue logic is what is tested). */
function controllableRemote() {
  const pending = new Map<number, (answer: JudgeAnswer) => void>();
  const cancelled: number[] = [];
  const remote: JudgeRemote = {
    review: (id) => new Promise((resolve) => pending.set(id, resolve)),
    cancel: (id) => void cancelled.push(id),
  };
  const answer = (id: number) => pending.get(id)!({
    family: 'llama-guard', decision: { verdict: 'safe', categories: [] }, covers: ['harmful'], outputs: ['safe'], runs: 1, firstTokenMs: 1, totalMs: 2,
  });
  return { remote, answer, cancelled, pending };
}

describe('JudgeClient: one review at a time, bounded, with a deadline', () => {
  const request = { text: 'x', direction: 'input' as const };

  it('notes a judge that is loading or failed, without asking it', async () => {
    expect(await new JudgeClient({ status: 'loading', model: 'a/b' }).judge(request, 1000)).toMatchObject({ note: 'judge-loading' });
    expect(await new JudgeClient({ status: 'failed', model: 'a/b', message: 'integrity' }).judge(request, 1000)).toEqual({ note: 'judge-unavailable', message: 'integrity' });
  });

  it('turns the answer into a reading', async () => {
    const { remote, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote });
    const outcome = client.judge(request, 1000);
    answer(1);
    expect(await outcome).toEqual({ reading: { family: 'llama-guard', verdict: 'safe', categories: [], covers: ['harmful'], outputs: ['safe'], firstTokenMs: 1, totalMs: 2 } });
  });

  it('answers judge-busy past the waiting limit, and takes reviews again once some finish', async () => {
    const { remote, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 2);
    const first = client.judge(request, 1000);
    const second = client.judge(request, 1000);
    expect(await client.judge(request, 1000)).toMatchObject({ note: 'judge-busy' });
    answer(1);
    answer(2);
    await Promise.all([first, second]);
    const fourth = client.judge(request, 1000);
    answer(3);
    expect(await fourth).toHaveProperty('reading');
  });

  it('cancels a review that passes its deadline and notes the timeout', async () => {
    const { remote, cancelled } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote });
    expect(await client.judge(request, 20)).toEqual({ note: 'judge-timeout', message: 'no verdict within 20 ms' });
    expect(cancelled).toEqual([1]);
  });

  it('cancels the review of a screen the page cancelled, waiting or running', async () => {
    const { remote, cancelled, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote });
    const first = client.judge(request, 1000, 7);
    const second = client.judge(request, 1000, 8);
    client.cancelScreen(8);
    client.cancelScreen(99); // no review: nothing happens
    expect(await second).toEqual({ note: 'judge-cancelled', message: 'the screen was cancelled' });
    expect(cancelled).toEqual([2]);
    answer(1);
    expect(await first).toHaveProperty('reading');
  });

  it('notes a review that failed', async () => {
    const remote: JudgeRemote = { review: () => Promise.reject(new Error('device lost')), cancel: () => undefined };
    expect(await new JudgeClient({ status: 'ready', model: 'a/b', remote }).judge(request, 1000)).toEqual({ note: 'judge-failed', message: 'device lost' });
  });
});
