import type { LanguageVerdict } from '../../policy/verdict.js';
import { detectLanguage, type LanguageModel, type LanguageOptions } from './detect-language.js';

/** Loads a language-id model; called at most once per `LanguageIdentifier`. */
export type LanguageModelLoader = () => Promise<LanguageModel>;

/**
 * The language-id step as the pipeline holds it: the model loads on the first text that needs it
 * (only policies with a `language` section do), once. When it cannot load or run, every text
 * counts as covered and its verdict says why: the screen goes on with the other layers, as
 * before the step existed. A failed load is not retried (it would fail the same way on every
 * screen); a new worker tries again.
 */
export class LanguageIdentifier {
  private model: Promise<LanguageModel> | null = null;

  constructor(private readonly load: LanguageModelLoader) {}

  /** Starts loading now (e.g. when a policy with a `language` section is set), so the first screen does not wait. */
  prepare(): void {
    this.model ??= this.load();
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
      return { language: 'und', confidence: 0, uncoveredShare: 0, covered: true, basis: 'unavailable', failed: `language-id: ${message}` };
    }
  }
}
