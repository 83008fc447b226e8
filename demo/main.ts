import { createGuard, GuardError, type BackendRequest, type Verdict } from '../src/index.js';

// The shipped safety model (models/guard-bert-mini), served from this build's own files.
const DEMO_MODEL = { name: 'guard-bert-mini' } as const;

const prompt = document.querySelector<HTMLTextAreaElement>('#prompt')!;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const scoreRows = document.querySelector<HTMLTableSectionElement>('#scores tbody')!;

const requested = new URLSearchParams(location.search).get('backend');
const backend: BackendRequest = requested === 'webgpu' || requested === 'wasm' ? requested : 'auto';

function renderScores(labels: readonly string[], result: Verdict): void {
  scoreRows.replaceChildren(
    ...labels.map((label) => {
      const score = result.scores[label] ?? 0;
      const row = document.createElement('tr');
      row.dataset.label = label;
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = label;
      const value = document.createElement('td');
      value.className = 'score';
      value.textContent = score.toFixed(3);
      const bar = document.createElement('td');
      const meter = document.createElement('meter');
      meter.min = 0;
      meter.max = 1;
      meter.low = 0.25;
      meter.high = 0.5;
      meter.optimum = 0;
      meter.value = score;
      meter.setAttribute('aria-label', `${label} score`);
      bar.append(meter);
      row.append(name, value, bar);
      return row;
    }),
  );
}

async function main(): Promise<void> {
  let guard;
  try {
    guard = await createGuard({
      model: DEMO_MODEL,
      backend,
      onProgress: ({ overall, file }) => {
        const percent = overall.total ? Math.round((100 * overall.loaded) / overall.total) : 0;
        status.textContent = `Loading the model: ${percent}% (${file})`;
      },
    });
  } catch (error) {
    status.textContent = error instanceof GuardError ? `Could not load the guard (${error.code}): ${error.message}` : String(error);
    document.body.dataset.error = error instanceof GuardError ? error.code : 'unknown';
    return;
  }
  const { fromCache, fromNetwork, storageProblem } = guard.cache;
  const cacheState = fromNetwork.length === 0
    ? 'model from this device\'s cache'
    : `${fromNetwork.length} file(s) downloaded${fromCache.length ? `, ${fromCache.length} from cache` : ''}${storageProblem ? ` (not cached: ${storageProblem.code})` : ''}`;
  const ready = `Backend ${guard.backend.summary}; model file ${guard.backend.modelFile}; ${cacheState}.`;
  status.textContent = ready;
  document.body.dataset.backend = guard.backend.name;
  // The chat below shares this guard: one worker, one copy of the model.
  document.querySelector('guarded-chat')!.guard = guard;

  let latest = 0;
  const screenNow = async (): Promise<void> => {
    const ticket = ++latest;
    const text = prompt.value;
    try {
      const result = await guard.screen(text);
      if (ticket !== latest) return; // a newer keystroke already has its own screen
      renderScores(guard.labels, result);
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
  if (prompt.value) await screenNow();
}

void main();
