import { describe, expect, it } from 'vitest';
import type { JudgeReading } from '../../src/policy/verdict.js';
import { judgedScores } from '../../src/screen/judge-review.js';
import { JudgeClient, ManualReviewClock, type JudgeRemote } from '../../src/worker/judge-client.js';
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

/** Deadlines that never pass by themselves: no assertion here rests on the machine's speed. */
const manual = () => ({ clock: new ManualReviewClock(), gate: null });

describe('JudgeClient: one review at a time, bounded, with a deadline', () => {
  const request = { text: 'x', direction: 'input' as const };

  it('notes a judge that is loading or failed, without asking it', async () => {
    expect(await new JudgeClient({ status: 'loading', model: 'a/b' }).judge(request, 1000)).toMatchObject({ note: 'judge-loading' });
    expect(await new JudgeClient({ status: 'failed', model: 'a/b', message: 'integrity' }).judge(request, 1000)).toEqual({ note: 'judge-unavailable', message: 'integrity' });
  });

  it('turns the answer into a reading', async () => {
    const { remote, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 8, manual());
    const outcome = client.judge(request, 1000);
    answer(1);
    expect(await outcome).toEqual({ reading: { family: 'llama-guard', verdict: 'safe', categories: [], covers: ['harmful'], outputs: ['safe'], firstTokenMs: 1, totalMs: 2 } });
  });

  it('answers judge-busy past the waiting limit, and takes reviews again once some finish', async () => {
    const { remote, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 2, manual());
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
    const { remote, cancelled, answer } = controllableRemote();
    const clock = new ManualReviewClock();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 8, { clock, gate: null });
    const late = client.judge(request, 20);
    const other = client.judge(request, 5000);
    expect(clock.expireAll()).toBe(2);
    expect(await late).toEqual({ note: 'judge-timeout', message: 'no verdict within 20 ms' });
    expect(await other).toEqual({ note: 'judge-timeout', message: 'no verdict within 5000 ms' });
    expect(cancelled).toEqual([1, 2]);
    const next = client.judge(request, 20);
    answer(3);
    expect(await next).toHaveProperty('reading'); // a review answered in time cancels its deadline
    expect(clock.expireAll()).toBe(0);
  });

  it('holds reviews at the gate, counting them as waiting, until it opens', async () => {
    const { remote, answer, pending } = controllableRemote();
    let open = () => undefined as void;
    const control = { clock: new ManualReviewClock(), gate: new Promise<void>((resolve) => (open = resolve)) as Promise<void> | null };
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 2, control);
    const held = [client.judge(request, 20), client.judge(request, 20)];
    expect(client.waitingReviews).toBe(2);
    expect(await client.judge(request, 20)).toMatchObject({ note: 'judge-busy' });
    await Promise.resolve();
    expect(pending.size).toBe(0); // nothing reached the judge yet
    control.gate = null;
    open();
    await new Promise((resolve) => setTimeout(resolve, 0));
    answer(1);
    answer(2);
    expect((await Promise.all(held)).every((o) => 'reading' in o)).toBe(true);
    expect(client.waitingReviews).toBe(0);
  });

  it('cancels the review of a screen the page cancelled, waiting or running', async () => {
    const { remote, cancelled, answer } = controllableRemote();
    const client = new JudgeClient({ status: 'ready', model: 'a/b', remote }, 8, manual());
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
    expect(await new JudgeClient({ status: 'ready', model: 'a/b', remote }, 8, manual()).judge(request, 1000)).toEqual({ note: 'judge-failed', message: 'device lost' });
  });
});
