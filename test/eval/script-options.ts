import { validatePolicy, type ClassifierReviewPolicy, type MultilingualReaderPolicy, type Policy } from '../../src/policy/policy.js';
import { POLICY_PRESETS } from '../../src/policy/presets.js';

/**
 * `--review '{"model":{"url":"/models/NAME/"},"margin":[2,1],"labels":["injection"]}'` of the eval
 * and bench scripts: a classifier second review to add to the preset, checked as a policy would be.
 * Its model is named by `url`, a path under the project root (the scripts serve the root).
 */
export function parseReviewOption(json: string): ClassifierReviewPolicy {
  return parsePolicyPart<ClassifierReviewPolicy>('--review', json, (review) => ({ ...POLICY_PRESETS.balanced, secondReview: review }));
}

/**
 * `--multilingual '{"model":{"url":"/models/guard-use-m3/"},"languages":["zh"]}'` of the eval and
 * bench scripts: a multilingual reader to add to the preset's language step, checked the same way.
 */
export function parseMultilingualOption(json: string): MultilingualReaderPolicy {
  const preset = POLICY_PRESETS.balanced;
  return parsePolicyPart<MultilingualReaderPolicy>('--multilingual', json, (reader) => ({ ...preset, language: { ...preset.language!, multilingual: reader } }));
}

/** A JSON option holding part of a policy whose model is named by `url`: parsed, and validated inside the policy `into` puts it in. */
function parsePolicyPart<T extends { model?: { url?: string } }>(option: string, json: string, into: (part: T) => Policy): T {
  let part: T;
  try {
    part = JSON.parse(json) as T;
  } catch (error) {
    throw new Error(`${option} is not JSON: ${(error as Error).message}`);
  }
  const problems = validatePolicy(into(part));
  if (problems.length > 0 || typeof part.model?.url !== 'string') {
    throw new Error(`${option}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ') || 'model.url must be a path under the project root'}`);
  }
  return part;
}

/** `--direction input|output` of the eval and bench scripts: screen the rows as prompts or as model replies. */
export function parseDirectionOption(value: string | undefined): 'input' | 'output' {
  if (value !== 'input' && value !== 'output') throw new Error(`--direction: input or output, not ${JSON.stringify(value)}`);
  return value;
}
