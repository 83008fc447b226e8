import { GuardError, type BackendRequest, type ChatHandler, type Guard, type GuardErrorDetail, type GuardProgressDetail, type GuardVerdictDetail, type Verdict } from '../src/index.js';
import { judge } from '../src/judge/index.js';
import { el } from './element.js';
import { ModelPanel } from './model-panel.js';
import { PolicyPanel } from './policy-panel.js';
import { RedTeamConsole } from './redteam-console.js';
import { setUpTabs } from './tabs.js';
import { unsafeResponder, type UnsafeKind } from './unsafe-responder.js';
import { VerdictView } from './verdict-view.js';

// The chat loads the default shipped model (models/guard-use-lite) from this build's own files.
const MANIFEST_URL = new URL('models/guard-use-lite/manifest.json', document.baseURI).href;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const prompt = byId<HTMLTextAreaElement>('prompt');
const status = byId<HTMLParagraphElement>('status');
const scoreRows = document.querySelector<HTMLTableSectionElement>('#scores tbody')!;
const chat = document.querySelector('guarded-chat')!;
const unsafe = byId<HTMLInputElement>('unsafe');
const unsafeKind = byId<HTMLSelectElement>('unsafe-kind');
const verdicts = new VerdictView(byId<HTMLOListElement>('verdicts'));

const requested = new URLSearchParams(location.search).get('backend');
const backend: BackendRequest = requested === 'webgpu' || requested === 'wasm' ? requested : 'auto';

setUpTabs(byId('tabs'));
// Set before the chat's first update: the chat loads the page's guard on this backend, and the
// rest of the page uses that same guard (one worker, one model, one policy).
chat.backend = backend;
// The guard LLM for the policy tab's "Second review" switch: its worker starts only when it is turned on.
chat.judge = judge;

/** The classifier's score per model label for the screen box's text. */
function renderScores(labels: readonly string[], result: Verdict): void {
  scoreRows.replaceChildren(...labels.map((label) => {
    const score = result.scores[label] ?? 0;
    const meter = el('meter', { min: 0, max: 1, low: 0.25, high: 0.5, optimum: 0, 'aria-label': `${label} score` });
    meter.value = score;
    return el('tr', { 'data-label': label },
      el('th', { scope: 'row' }, label),
      el('td', { class: 'score' }, score.toFixed(3)),
      el('td', {}, meter));
  }));
}

/**
 * Where the chat's replies come from: the built-in responder (optionally swapped for one that
 * misbehaves on purpose), or an OpenAI-compatible endpoint. The API key goes to the chat's
 * `apiKey` property and nowhere else (the chat keeps it out of the DOM and its events).
 */
function wireChatBackend(): void {
  // Unset, the chat falls back to its built-in offline responder.
  const builtIn: ChatHandler | undefined = chat.handler;
  const useEndpoint = byId<HTMLInputElement>('backend-endpoint');
  const fields = byId<HTMLDivElement>('endpoint-fields');
  const url = byId<HTMLInputElement>('endpoint-url');
  const chatModel = byId<HTMLInputElement>('endpoint-model');
  const apiKey = byId<HTMLInputElement>('endpoint-key');
  const update = () => {
    const endpoint = useEndpoint.checked;
    fields.hidden = !endpoint;
    // The unsafe responder is a handler, which would win over the endpoint: it belongs to the built-in choice.
    unsafe.disabled = endpoint;
    unsafeKind.disabled = endpoint || !unsafe.checked;
    chat.handler = !endpoint && unsafe.checked ? unsafeResponder(unsafeKind.value as UnsafeKind) : builtIn;
    chat.endpoint = endpoint ? url.value.trim() : '';
    chat.chatModel = endpoint ? chatModel.value.trim() : '';
    chat.apiKey = endpoint ? apiKey.value : undefined;
  };
  for (const control of [unsafe, unsafeKind, byId('backend-builtin'), useEndpoint]) control.addEventListener('change', update);
  for (const field of [url, chatModel, apiKey]) field.addEventListener('input', update);
  update();
}

/** The example prompts above the chat: each fills the composer (the visitor still sends it). */
function wireExamples(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('.examples button[data-example]')) {
    button.addEventListener('click', () => {
      chat.draft = button.dataset.example!;
      void chat.updateComplete.then(() => chat.shadowRoot?.querySelector<HTMLTextAreaElement>('textarea')?.focus());
    });
  }
}

function describeCache(guard: Guard): string {
  const { fromCache, fromNetwork, storageProblem } = guard.cache;
  return fromNetwork.length === 0
    ? 'model from this device\'s cache'
    : `${fromNetwork.length} file(s) downloaded${fromCache.length ? `, ${fromCache.length} from cache` : ''}${storageProblem ? ` (not cached: ${storageProblem.code})` : ''}`;
}

async function main(): Promise<void> {
  wireChatBackend();
  wireExamples();
  chat.addEventListener('guard-progress', (event) => {
    const { overall, file } = (event as CustomEvent<GuardProgressDetail>).detail;
    const done = overall.total ? Math.round((100 * overall.loaded) / overall.total) : 0;
    status.textContent = `Loading the model: ${done}% (${file})`;
  });
  let guard: Guard;
  try {
    guard = await new Promise<Guard>((resolve, reject) => {
      chat.addEventListener('guard-ready', () => resolve(chat.activeGuard!), { once: true });
      chat.addEventListener('guard-error', (event) => reject((event as CustomEvent<GuardErrorDetail>).detail.error), { once: true });
    });
  } catch (error) {
    status.textContent = error instanceof GuardError ? `Could not load the guard (${error.code}): ${error.message}` : String(error);
    document.body.dataset.error = error instanceof GuardError ? error.code : 'unknown';
    return;
  }
  const ready = `Backend ${guard.backend.summary}; model file ${guard.backend.modelFile}; ${describeCache(guard)}.`;
  status.textContent = ready;

  // One guard for the whole page: the chat, the screen box and the red team share its worker and policy.
  chat.addEventListener('guard-verdict', (event) => {
    const { verdict, text } = (event as CustomEvent<GuardVerdictDetail>).detail;
    verdicts.add(verdict, { origin: 'chat', text });
  });

  let latest = 0;
  const screenNow = async (): Promise<void> => {
    const ticket = ++latest;
    const text = prompt.value;
    try {
      const result = await guard.screen(text);
      if (ticket !== latest) return; // a newer keystroke already has its own screen
      renderScores(guard.labels, result);
      if (text) verdicts.add(result, { origin: 'screen box', text }, 'screen box');
      status.textContent = `${ready} ${result.reason} (${result.timings.totalMs.toFixed(1)} ms)`;
      document.body.dataset.screened = String(ticket);
    } catch (error) {
      status.textContent = `Screen failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  prompt.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(screenNow, 120);
  });

  new PolicyPanel(byId('policy'), guard, () => {
    status.textContent = `${ready} Policy: ${guard.policy.name ?? 'custom'}.`;
    if (prompt.value) void screenNow();
  });
  const guardStatus = document.createElement('guard-status');
  guardStatus.guard = guard;
  new ModelPanel(byId('model'), guard, MANIFEST_URL, guardStatus);
  new RedTeamConsole(byId('redteam'), guard);
  document.body.dataset.backend = guard.backend.name;
  if (prompt.value) await screenNow();
}

void main();
