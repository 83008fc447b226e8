import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { GuardError } from '../errors.js';
import type { Verdict } from '../policy/verdict.js';
import { replaceSpans } from '../screen/rules/rule-hit.js';
import { sha256Hex } from '../store/sha256.js';

/** How much of a screened text the audit log keeps. */
export type AuditTextMode = 'redacted' | 'hashed' | 'full' | 'none';

export interface AuditOptions {
  /** Default `redacted`: PII and secrets replaced by placeholders whatever the verdict was. */
  text?: AuditTextMode;
  /** Oldest entries are dropped past this many (default 5,000). */
  maxEntries?: number;
  /** IndexedDB database name (default `guarded-chat-audit`). */
  database?: string;
}

/** One logged decision. Its JSONL export is what the red-team runner and `npm run eval` read. */
export interface AuditEntry {
  id?: number;
  time: string;
  direction: 'input' | 'output';
  action: Verdict['action'];
  reason: string;
  /** The top fired category, or `benign` when allowed: a label for re-running the case. */
  label: string;
  fired: { category: string; score: number; layer: string }[];
  /** Per `AuditOptions.text`: redacted text, `sha256:<hex>`, the full text, or absent. */
  text?: string;
  conversation?: string;
  policy?: string;
  backend: string;
}

interface AuditSchema extends DBSchema {
  entries: { key: number; value: AuditEntry };
}

/** Replaces every PII and secret span with its placeholder, whatever the policy did with it. */
export function redactForLog(text: string, verdict: Verdict): string {
  return replaceSpans(text, verdict.hits.filter((h) => h.source === 'original' && (h.category === 'pii' || h.category === 'secrets')));
}

/**
 * An opt-in local record of the guard's decisions (IndexedDB), for the evidence a team needs:
 * what was screened, what was decided and why. Text is redacted by default, never sent anywhere.
 */
export class AuditLog {
  private constructor(private readonly db: IDBPDatabase<AuditSchema>, private readonly options: Required<Omit<AuditOptions, 'database'>>) {}

  static async open(options: AuditOptions = {}): Promise<AuditLog> {
    try {
      const db = await openDB<AuditSchema>(options.database ?? 'guarded-chat-audit', 1, {
        upgrade(database) {
          database.createObjectStore('entries', { keyPath: 'id', autoIncrement: true });
        },
      });
      return new AuditLog(db, { text: options.text ?? 'redacted', maxEntries: options.maxEntries ?? 5000 });
    } catch (cause) {
      throw new GuardError('storage-unavailable', 'the audit log could not open IndexedDB', { cause });
    }
  }

  /** Records one verdict on `text`. */
  async record(text: string, verdict: Verdict, context: { conversation?: string; policy?: string } = {}): Promise<void> {
    const fired = verdict.categories.filter((c) => c.fired).map((c) => ({ category: c.category, score: c.score, layer: c.layer }));
    const entry: AuditEntry = {
      time: new Date().toISOString(),
      direction: verdict.direction,
      action: verdict.action,
      reason: verdict.reason,
      label: verdict.action === 'allow' ? 'benign' : fired[0]?.category ?? verdict.action,
      fired,
      backend: verdict.backend,
      ...(context.conversation ? { conversation: context.conversation } : {}),
      ...(context.policy ? { policy: context.policy } : {}),
    };
    const mode = this.options.text;
    if (mode === 'redacted') entry.text = redactForLog(text, verdict);
    else if (mode === 'hashed') entry.text = `sha256:${await sha256Hex(new TextEncoder().encode(text))}`;
    else if (mode === 'full') entry.text = text;
    const tx = this.db.transaction('entries', 'readwrite');
    await tx.store.add(entry);
    const count = await tx.store.count();
    if (count > this.options.maxEntries) {
      let cursor = await tx.store.openCursor();
      for (let excess = count - this.options.maxEntries; cursor && excess > 0; excess--) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
    }
    await tx.done;
  }

  /** Every entry, oldest first. */
  entries(): Promise<AuditEntry[]> {
    return this.db.getAll('entries');
  }

  /** The log as JSONL (one entry a line): the format the red-team runner imports as cases. */
  async exportJsonl(): Promise<string> {
    return (await this.entries()).map((e) => JSON.stringify(e)).join('\n') + '\n';
  }

  clear(): Promise<void> {
    return this.db.clear('entries');
  }

  close(): void {
    this.db.close();
  }
}
