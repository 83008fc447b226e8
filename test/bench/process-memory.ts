/**
 * Peak resident memory of processes (Chromium's, or this one), read from Linux's /proc: the kernel keeps each
 * process's high-water mark (VmHWM), and writing 5 to /proc/PID/clear_refs resets it to the
 * current RSS. So a phase's true peak is: reset, run the phase, read VmHWM. This sees the whole
 * renderer (page, guard worker, WASM heaps, ORT threads) and the GPU process, which the JS
 * memory APIs cannot.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface ChromiumProcess {
  pid: number;
  /** Chromium's `--type=` switch: 'renderer', 'gpu-process', 'utility', 'zygote'; 'browser' for the root. */
  type: string;
}

const MB = 1024; // /proc/PID/status reports kB

function readCmdline(pid: number): string[] {
  try {
    // Chromium's child processes rewrite their title: the arguments then arrive joined by spaces
    // in one string, so split on both (the switches read here hold no spaces).
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return []; // the process ended between listing and reading
  }
}

function parentOf(pid: number): number {
  try {
    // Field 4 of /proc/PID/stat; the command name (field 2) may hold spaces, so split after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** Every live process of the Chromium started with this user-data dir (the browser and its descendants). */
export function chromiumProcesses(userDataDir: string): ChromiumProcess[] {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const root = pids.find((pid) => {
    const args = readCmdline(pid);
    return args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='));
  });
  if (root === undefined) return [];
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: ChromiumProcess[] = [];
  const visit = (pid: number) => {
    const type = readCmdline(pid).find((a) => a.startsWith('--type='))?.slice('--type='.length) ?? (pid === root ? 'browser' : 'other');
    out.push({ pid, type });
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return out;
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) / MB : 0;
  } catch {
    return 0;
  }
}

/** Current and peak RSS (MB) of a set of processes, summed (a sum of per-process peaks). */
export function residentMemory(processes: readonly ChromiumProcess[]): { rssMB: number; peakMB: number } {
  let rssMB = 0;
  let peakMB = 0;
  for (const p of processes) {
    rssMB += statusField(p.pid, 'VmRSS');
    peakMB += statusField(p.pid, 'VmHWM');
  }
  return { rssMB, peakMB };
}

/** Starts a new peak: each process's high-water mark drops to its current RSS. */
export function resetPeaks(processes: readonly ChromiumProcess[]): void {
  for (const p of processes) {
    try {
      writeFileSync(`/proc/${p.pid}/clear_refs`, '5');
    } catch {
      // gone, or not ours to reset: its peak then spans its whole life, which only overstates
    }
  }
}

/**
 * Measures one phase: resets the peaks of the processes `select` picks, runs `phase`, and
 * returns the RSS before, the peak during (both summed over those processes) and the phase's result.
 */
export async function peakDuring<T>(userDataDir: string, select: (p: ChromiumProcess) => boolean, phase: () => Promise<T>): Promise<{ value: T; startMB: number; peakMB: number; processes: string[] }> {
  const before = chromiumProcesses(userDataDir).filter(select);
  resetPeaks(before);
  const startMB = residentMemory(before).rssMB;
  const value = await phase();
  // Processes started during the phase (a GPU process on first use) count from their birth.
  const after = chromiumProcesses(userDataDir).filter(select);
  return { value, startMB, peakMB: residentMemory(after).peakMB, processes: after.map((p) => `${p.type} ${p.pid}`) };
}
