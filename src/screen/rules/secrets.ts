import { matchAll, withoutOverlaps, type RuleHit } from './rule-hit.js';

const secret = (rule: string, placeholder = '[SECRET]') => ({ rule: `secret.${rule}`, category: 'secrets' as const, placeholder });

/**
 * Credentials by their documented formats: PEM private keys, cloud and SaaS API keys, JWTs,
 * and `password=…`-style assignments. Most specific first.
 */
const SECRET_PATTERNS: [RegExp, ReturnType<typeof secret>, number?][] = [
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----/g, secret('private-key', '[PRIVATE_KEY]')],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, secret('aws-access-key-id', '[AWS_KEY]')],
  [/\baws_secret_access_key\s*[=:]\s*["']?([A-Za-z0-9/+=]{40})\b/gi, secret('aws-secret-access-key', '[AWS_SECRET]'), 1],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/g, secret('github-token', '[GITHUB_TOKEN]')],
  [/\bgithub_pat_[A-Za-z0-9_]{82}\b/g, secret('github-token', '[GITHUB_TOKEN]')],
  [/\bglpat-[A-Za-z0-9_-]{20}\b/g, secret('gitlab-token', '[GITLAB_TOKEN]')],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, secret('slack-token', '[SLACK_TOKEN]')],
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}\b/g, secret('stripe-key', '[STRIPE_KEY]')],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, secret('google-api-key', '[GOOGLE_API_KEY]')],
  [/\bsk-ant-[A-Za-z0-9_-]{32,}\b/g, secret('anthropic-key', '[API_KEY]')],
  [/\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}\b/g, secret('openai-key', '[API_KEY]')],
  [/\bhf_[A-Za-z0-9]{34}\b/g, secret('huggingface-token', '[API_KEY]')],
  [/\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, secret('sendgrid-key', '[API_KEY]')],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, secret('jwt', '[JWT]')],
  [/\b(?:password|passwd|pwd|pass|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\b\s*[=:]\s*["']?([^\s"',;]{6,})/gi, secret('password-assignment', '[PASSWORD]'), 1],
];

/** Secrets in `text`, spans exact for redaction. */
export function findSecrets(text: string): RuleHit[] {
  return withoutOverlaps(SECRET_PATTERNS.flatMap(([pattern, hit, group]) => matchAll(text, pattern, hit, undefined, group ?? 0)));
}
