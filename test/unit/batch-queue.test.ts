import { describe, expect, it } from 'vitest';
import { BatchQueue } from '../../src/inference/batch-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('BatchQueue', () => {
  it('runs calls that arrive together as one batch, each caller getting its own output', async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((x) => x * 10);
    }, { maxRows: 100 });
    const outputs = await Promise.all(Array.from({ length: 50 }, (_, i) => queue.push(i)));
    expect(outputs).toEqual(Array.from({ length: 50 }, (_, i) => i * 10));
    expect(batches).toHaveLength(1);
    expect(queue.stats).toEqual({ runs: 1, jobs: 50, largestRun: 50 });
  });

  it('never overlaps runs: calls arriving mid-run form the next batch', async () => {
    // The first run is held open until the later calls are in, so "mid-run" does not depend on
    // timers (a 1 ms timer once raced the queue's hand-off on a loaded machine and lost).
    let active = 0;
    let maxActive = 0;
    const batches: number[][] = [];
    let started!: () => void;
    const firstRunStarted = new Promise<void>((resolve) => { started = resolve; });
    let release!: () => void;
    const firstRunReleased = new Promise<void>((resolve) => { release = resolve; });
    const queue = new BatchQueue<number, number>(async (inputs) => {
      active++;
      maxActive = Math.max(maxActive, active);
      batches.push(inputs);
      if (batches.length === 1) {
        started();
        await firstRunReleased;
      } else {
        await tick();
      }
      active--;
      return inputs;
    }, { maxRows: 100 });
    const first = queue.push(1);
    await firstRunStarted;
    const rest = [queue.push(2), queue.push(3)];
    release();
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3]);
    expect(maxActive).toBe(1);
    expect(batches).toEqual([[1], [2, 3]]);
    expect(queue.stats.runs).toBe(2);
  });

  it('splits by rows, and still runs a job bigger than the limit on its own', async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs;
    }, { maxRows: 4, rowsOf: (x) => x });
    await Promise.all([queue.push(2), queue.push(2), queue.push(9), queue.push(1)]);
    expect(batches).toEqual([[2, 2], [9], [1]]);
  });

  it('rejects every caller of a failed batch, and keeps serving later ones', async () => {
    let fail = true;
    const queue = new BatchQueue<number, number>(async (inputs) => {
      if (fail) throw new Error('model run failed');
      return inputs;
    }, { maxRows: 10 });
    const failed = await Promise.allSettled([queue.push(1), queue.push(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await queue.push(3)).toBe(3);
  });
});
