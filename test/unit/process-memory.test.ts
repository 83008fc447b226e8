import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumProcesses, resetPeaks, residentMemory } from '../../test/bench/process-memory.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

/** A Node child that runs `script`; lines it prints arrive through `next()`. */
function child(script: string, extraArgs: string[] = [], nodeFlags: string[] = []) {
  const proc = spawn(process.execPath, [...nodeFlags, '-e', script, ...extraArgs], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(proc);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const resolve = waiting.shift();
      if (resolve) resolve(line);
      else lines.push(line);
    }
  });
  return {
    proc,
    next: () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => waiting.push(resolve))),
    send: (line: string) => proc.stdin!.write(`${line}\n`),
  };
}

// Allocates and touches 96 MB on "grow", frees it on "free": the peak must outlive the free.
// V8 hands a large buffer back to the system some time after the GC that drops it (a background
// sweeper, slower on a busy machine), so "free" answers once the RSS has fallen, or after 10 s.
const GROWER = `
const rl = require('node:readline').createInterface({ input: process.stdin });
let held = null;
rl.on('line', async (cmd) => {
  if (cmd === 'grow') { held = Buffer.alloc(96 * 2 ** 20, 1); }
  if (cmd === 'free') {
    const grown = process.memoryUsage().rss;
    held = null;
    for (let waited = 0; waited < 10000 && process.memoryUsage().rss > grown - 64 * 2 ** 20; waited += 50) {
      global.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  console.log('ok');
});
console.log('ready');
`;

describe.runIf(process.platform === 'linux')('process memory from /proc', () => {
  it('the peak keeps a freed allocation; resetting it drops to the current RSS', async () => {
    const c = child(GROWER, [], ['--expose-gc']);
    expect(await c.next()).toBe('ready');
    const self = [{ pid: c.proc.pid!, type: 'node' }];
    resetPeaks(self);
    const start = residentMemory(self);
    c.send('grow');
    await c.next();
    const grown = residentMemory(self);
    expect(grown.rssMB - start.rssMB).toBeGreaterThan(80);
    c.send('free');
    await c.next();
    const afterFree = residentMemory(self);
    expect(afterFree.peakMB - start.rssMB).toBeGreaterThan(80);
    resetPeaks(self);
    const reset = residentMemory(self);
    expect(afterFree.rssMB - start.rssMB).toBeLessThan(40); // the 96 MB went back to the system
    expect(afterFree.peakMB - reset.peakMB).toBeGreaterThan(60);
    expect(Math.abs(reset.peakMB - reset.rssMB)).toBeLessThan(2);
  });

  it('finds a browser by its user-data dir, with its descendants and their --type', async () => {
    const dir = `/tmp/process-memory-test-${process.pid}`;
    // A stand-in "browser" (its argv carries --user-data-dir) with a "renderer" child.
    const browser = child(`
const { spawn } = require('node:child_process');
const renderer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '--type=renderer'], { stdio: 'ignore' });
process.on('SIGTERM', () => { renderer.kill(); process.exit(0); });
console.log(renderer.pid);
setInterval(() => {}, 1000);
`, ['--', `--user-data-dir=${dir}`]);
    const rendererPid = Number(await browser.next());
    try {
      const found = chromiumProcesses(dir);
      expect(found.find((p) => p.type === 'browser')?.pid).toBe(browser.proc.pid);
      expect(found).toContainEqual({ pid: rendererPid, type: 'renderer' });
      expect(chromiumProcesses(`${dir}-other`)).toEqual([]);
      expect(residentMemory(found).rssMB).toBeGreaterThan(10);
    } finally {
      browser.proc.kill('SIGTERM');
      await once(browser.proc, 'exit');
    }
  });
});
