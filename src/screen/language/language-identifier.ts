import type { LanguageVerdict } from '../../policy/verdict.js';
import type { CacheReport, OptionalPartStatus } from '../../types.js';
import { detectLanguage, tooShortToJudge, type LanguageModel, type LanguageOptions } from './detect-language.js';

/** A loaded language-id model, with where its file came from when it went through the model store. */
export interface LoadedLanguageModel {
  model: LanguageModel;
  cache?: CacheReport;
}

/** Loads a language-id model; called at most once per `LanguageIdentifier`. */
export type LanguageModelLoader = () => Promise<LanguageModel | LoadedLanguageModel>;

const loaded = (result: LanguageModel | LoadedLanguageModel): LoadedLanguageModel => ('predict' in result ? { model: result } : result);

/**
 * The language-id step as the pipeline holds it: the model loads on the first text that needs it
 * (only policies with a `language` section do), once. When it cannot load or run, every text
 * counts as covered and its verdict says why: the screen goes on with the other layers, as
 * before the step existed. A failed load is not retried (it would fail the same way on every
 * screen); a new worker tries again.
 */
export class LanguageIdentifier {
  private model: Promise<LanguageModel> | null = null;
  private current: OptionalPartStatus = { state: 'off' };

  /**
   * @param onStatus hears every change of `status` (loading, then ready or unavailable), so the
   *   page's guard can say whether languages are checked.
   */
  constructor(private readonly load: LanguageModelLoader, private readonly onStatus?: (status: OptionalPartStatus) => void) {}

  /** Whether the model is loading, ready or unavailable (and why); `off` until a policy needs it. */
  get status(): OptionalPartStatus {
    return this.current;
  }

  private setStatus(status: OptionalPartStatus): void {
    this.current = status;
    this.onStatus?.(status);
  }

  /** Starts loading now (e.g. when a policy with a `language` section is set), so the first screen does not wait. */
  prepare(): void {
    if (this.model) return;
    this.setStatus({ state: 'loading' });
    this.model = Promise.resolve().then(() => this.load()).then(
      (result) => {
        const { model, cache } = loaded(result);
        this.setStatus({ state: 'ready', ...(cache ? { cache } : {}) });
        return model;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.setStatus({ state: 'unavailable', message: `language-id: ${message}` });
        throw error;
      },
    );
    this.model.catch(() => undefined); // the failure is reported on the screens that need the model
  }

  /**
   * The language of a text under `options`, given its readings: the text as written, then as
   * normalized. The first decides, unless a later one is plainly (most of the probability) in a
   * covered language: look-alike letters or an encoding must not pass English off as another
   * language. A later reading that is merely unclear does not count: normalizing folds real
   * Cyrillic or Greek into a jumble. Never rejects.
   */
  async identify(readings: readonly string[], options: LanguageOptions): Promise<LanguageVerdict> {
    this.prepare();
    try {
      const model = await this.model!;
      const [first = '', ...others] = readings;
      const found = detectLanguage(first, model, options);
      if (found.covered) return found;
      for (const reading of new Set(others)) {
        if (reading === first) continue;
        const other = detectLanguage(reading, model, options);
        if (other.covered && other.basis === 'language' && other.uncoveredShare < 0.5) return other;
      }
      return found;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A text too short to judge counts as covered with or without the model.
      const basis = tooShortToJudge(readings[0] ?? '', options) ? 'short-text' : 'unavailable';
      return { language: 'und', confidence: 0, uncoveredShare: 0, covered: true, basis, failed: `language-id: ${message}` };
    }
  }
}
