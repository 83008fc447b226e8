// The harness page puts the library's public entry here (test/browser/pages/harness.html).
declare global {
  interface Window {
    guardedChat: typeof import('../../src/index.js');
    /** Fault injection for recovery tests (not part of the package). */
    guardFaults: typeof import('../../src/testing/guard-faults.js');
    /** A shipped model's classifier on the main thread, to run its rows in chosen groupings. */
    classifierProbe: typeof import('./harness/classifier-probe.js');
    /** The judge entry (`guarded-chat/judge`). */
    guardedChatJudge: typeof import('../../src/judge/index.js');
  }
}
export {};
