// The harness page puts the library's public entry here (test/browser/pages/harness.html).
declare global {
  interface Window {
    guardedChat: typeof import('../../src/index.js');
  }
}
export {};
