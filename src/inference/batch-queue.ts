/** A job's place in a run: which rows of the run are its own. */
interface Pending<I, O> {
  input: I;
  rows: number;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Runs `fn` as a new task, after the messages already queued. A MessageChannel rather than
 * `setTimeout(fn, 0)`: browsers may delay timers (to 1 ms, or 4 ms once nested), and this wait
 * sits in front of every screen.
 */
function nextMacrotask(fn: () => void): void {
  if (typeof MessageChannel === 'undefined') {
    setTimeout(fn, 0);
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(null);
}

/** Runs a batch of inputs at once; returns one output per input, in order. */
export type BatchRunner<I, O> = (inputs: I[]) => Promise<O[]>;

export interface BatchQueueOptions<I> {
  /** Rows (model inputs) one run may take; a single job larger than this still runs alone. */
  maxRows: number;
  /** Rows a job needs (e.g. its token windows); default 1. */
  rowsOf?: (input: I) => number;
}

/**
 * Gathers jobs that arrive together into one model run, and runs one batch at a time (an
 * onnxruntime-web session must not overlap runs). Jobs that arrive while a run is going on
 * wait and form the next batch. Each caller gets its own output or error.
 */
export class BatchQueue<I, O> {
  private waiting: Pending<I, O>[] = [];
  private running = false;
  private scheduled = false;
  /** Batches run so far and jobs in them (for reports and tests). */
  readonly stats = { runs: 0, jobs: 0, largestRun: 0 };

  constructor(private readonly runner: BatchRunner<I, O>, private readonly options: BatchQueueOptions<I>) {}

  push(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, rows: this.options.rowsOf?.(input) ?? 1, resolve, reject });
      this.schedule();
    });
  }

  /** Jobs not yet started. */
  get size(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // A macrotask, not a microtask: messages already queued behind this one join the batch.
    nextMacrotask(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private takeBatch(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    let rows = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (batch.length > 0 && rows + next.rows > this.options.maxRows) break;
      batch.push(this.waiting.shift()!);
      rows += next.rows;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.takeBatch();
        this.stats.runs += 1;
        this.stats.jobs += batch.length;
        this.stats.largestRun = Math.max(this.stats.largestRun, batch.length);
        try {
          const outputs = await this.runner(batch.map((p) => p.input));
          if (outputs.length !== batch.length) throw new Error(`batch runner gave ${outputs.length} outputs for ${batch.length} inputs`);
          batch.forEach((p, i) => p.resolve(outputs[i]!));
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
