import type { CDPSession, Page } from 'playwright-core';

/** JS heap in use (bytes) after a full garbage collection, on the page and in each of its workers. */
export interface HeapUsage {
  page: number;
  workers: number[];
}

/**
 * Measures a page's JS heap and its dedicated workers' through the DevTools protocol: each
 * target is garbage-collected (`HeapProfiler.collectGarbage`), then asked its heap in use
 * (`Runtime.getHeapUsage`). Workers are reached by auto-attaching to them from the page's
 * session and messaging them through `Target.sendMessageToTarget`.
 */
export class HeapMeter {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private readonly workers = new Set<string>();

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type === 'worker') this.workers.add(event.sessionId);
    });
    cdp.on('Target.detachedFromTarget', (event) => {
      if (event.sessionId) this.workers.delete(event.sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
      if (message.id === undefined) return;
      this.waiting.get(message.id)?.(message.error ? Promise.reject(new Error(JSON.stringify(message.error))) : message.result);
      this.waiting.delete(message.id);
    });
  }

  static async attach(page: Page): Promise<HeapMeter> {
    const cdp = await page.context().newCDPSession(page);
    const meter = new HeapMeter(cdp);
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return meter;
  }

  private sendToWorker<T>(sessionId: string, method: string): Promise<T> {
    const id = this.nextId++;
    const answered = new Promise<T>((resolve) => this.waiting.set(id, resolve as (result: unknown) => void));
    void this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    return answered;
  }

  /** Garbage-collects the page and its workers, then reads their heaps. */
  async measure(): Promise<HeapUsage> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await this.cdp.send('Runtime.getHeapUsage');
    const workers: number[] = [];
    for (const sessionId of this.workers) {
      await this.sendToWorker(sessionId, 'HeapProfiler.collectGarbage');
      workers.push((await this.sendToWorker<{ usedSize: number }>(sessionId, 'Runtime.getHeapUsage')).usedSize);
    }
    return { page: usedSize, workers };
  }

  async detach(): Promise<void> {
    await this.cdp.detach();
  }
}
