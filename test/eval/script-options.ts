import { validatePolicy, type ClassifierReviewPolicy } from '../../src/policy/policy.js';
import { POLICY_PRESETS } from '../../src/policy/presets.js';

/**
 * `--review '{"model":{"url":"/models/NAME/"},"margin":[2,1],"labels":["injection"]}'` of the eval
 * and bench scripts: a classifier second review to add to the preset, checked as a policy would be.
 * Its model is named by `url`, a path under the project root (the scripts serve the root).
 */
export function parseReviewOption(json: string): ClassifierReviewPolicy {
  let review: ClassifierReviewPolicy;
  try {
    review = JSON.parse(json) as ClassifierReviewPolicy;
  } catch (error) {
    throw new Error(`--review is not JSON: ${(error as Error).message}`);
  }
  const problems = validatePolicy({ ...POLICY_PRESETS.balanced, secondReview: review });
  if (problems.length > 0 || typeof review.model?.url !== 'string') {
    throw new Error(`--review: ${problems.map((p) => `${p.path} ${p.message}`).join('; ') || 'model.url must be a path under the project root'}`);
  }
  return review;
}

/** `--direction input|output` of the eval and bench scripts: screen the rows as prompts or as model replies. */
export function parseDirectionOption(value: string | undefined): 'input' | 'output' {
  if (value !== 'input' && value !== 'output') throw new Error(`--direction: input or output, not ${JSON.stringify(value)}`);
  return value;
}
