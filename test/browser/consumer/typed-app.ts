// A TypeScript app's use of the packed package: it typechecks against the shipped declarations
// (strict, skipLibCheck off), the elements included through HTMLElementTagNameMap.
import { createGuard, GuardError, type RuntimeUrls, type Verdict } from 'guarded-chat';

const runtime: RuntimeUrls = { webgpu: { wasm: '/ort/a.wasm', mjs: '/ort/a.mjs' } };
const guard = await createGuard({ policy: 'strict', runtime });
const verdict: Verdict = await guard.screen('hello');
console.log(verdict.action, guard.loadTimings.totalMs, guard.backend.summary, GuardError.name);

const chat = document.createElement('guarded-chat');
chat.model = 'hub:acme/guard-small@v2';
chat.draft = 'What is the capital of France?';
chat.addEventListener('guard-ready', () => console.log(chat.activeGuard?.labels));
