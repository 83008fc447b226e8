import type { JudgeFamilyName } from '../../policy/policy.js';

/** One text for the judge to review, and what it is. */
export interface JudgeRequest {
  text: string;
  /** `input`: a user's prompt; `output`: a model's reply (judged as the reply to `prompt`). */
  direction: 'input' | 'output';
  /** For a reply: the prompt it answers, when the page screened one in the same conversation. */
  prompt?: string;
}

/** A chat the model's own chat template turns into its prompt. */
export type JudgeChat = { role: 'user' | 'assistant'; content: string }[];

/** One model run: the chat, and any variables the family's template reads besides it. */
export interface JudgePrompt {
  messages: JudgeChat;
  /** E.g. ShieldGemma's `guideline`. */
  templateArgs?: Record<string, string>;
}

/** A category the model named, and ours for it. */
export interface JudgeCategory {
  /** The model's own name for it, e.g. `S9` or `Violent`. */
  label: string;
  /** Ours: `harmful`, `toxic`, `injection` or `jailbreak`. */
  category: string;
}

/** What the model answered, read. */
export interface JudgeDecision {
  /**
   * `unparsable`: the output matched none of the family's forms; the verdict carries a
   * `judge-unparsable` note and the policy's failure mode decides.
   */
  verdict: 'safe' | 'unsafe' | 'controversial' | 'unparsable';
  /** Categories named (empty when safe, or when the model named none it maps). */
  categories: JudgeCategory[];
}

/**
 * A guard-model family: how to ask it about a text and how to read its answer. Prompts are
 * chats for the model's chat template (the family's instructions and taxonomy live in the
 * template, or in the chat we build), so the tokenizer's special tokens are the model's own.
 */
export interface JudgeAdapter {
  family: JudgeFamilyName;
  /**
   * Our categories the family judges: a `safe` answer clears these (the classifier's scores on
   * them are replaced); categories it does not cover keep the classifier's.
   */
  covers(direction: JudgeRequest['direction']): readonly string[];
  /** One prompt per model run (ShieldGemma asks about one policy per run). */
  prompts(request: JudgeRequest): JudgePrompt[];
  /** Reads the runs' outputs (in the order of `prompts`). */
  parse(outputs: readonly string[], request: JudgeRequest): JudgeDecision;
  /** Enough new tokens for the longest answer the family gives. */
  maxNewTokens: number;
}

/** The chat for a prompt alone, or a reply with the prompt before it (an empty turn when it is not known). */
export function conversationOf(request: JudgeRequest): JudgeChat {
  if (request.direction === 'input') return [{ role: 'user', content: request.text }];
  return [
    { role: 'user', content: request.prompt ?? '' },
    { role: 'assistant', content: request.text },
  ];
}
