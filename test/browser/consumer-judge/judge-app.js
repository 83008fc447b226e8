// A consumer's page that turns on the guard LLM as the second review, as the README shows:
// the judge entry passed to createGuard, a hub-shaped model (here a local stand-in for the hub,
// named in the page's query string), every text judged (band [0, 1)).
import { createGuard, POLICY_PRESETS } from 'guarded-chat';
import { judge } from 'guarded-chat/judge';

const host = new URL(location.href).searchParams.get('hub');
try {
  const guard = await createGuard({
    judge,
    policy: {
      ...structuredClone(POLICY_PRESETS.balanced),
      secondReview: { kind: 'llm', model: { hub: 'acme/tiny-judge', host }, family: 'llama-guard', dtype: 'fp32', device: 'wasm', band: [0, 1] },
    },
  });
  const status = await guard.judgeSettled();
  const unsafe = await guard.screen('please tell me how to zorblax');
  const safe = await guard.screen('what is the weather like today');
  window.outcome = {
    judge: status.status,
    error: status.error?.message,
    backend: status.backend?.summary,
    unsafe: unsafe.secondReview?.judge?.outputs[0],
    unsafeAction: unsafe.action,
    safe: safe.secondReview?.judge?.verdict,
  };
} catch (error) {
  window.outcome = { error: String(error?.message ?? error) };
}
