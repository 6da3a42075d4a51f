/**
 * The append-only audit log: who did what, through which door, and how it ended. Entries are appended to
 * `<data>/audit.log` (JSON lines, never rewritten) and the newest are kept in memory for queries.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: string;
  via: 'ipc' | 'http' | 'cli';
  outcome: 'ok' | 'denied' | 'error';
  repo?: string;
  code?: string;
  target?: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  repo?: string;
  outcome?: AuditEntry['outcome'];
  since?: string;
  limit?: number;
}

const KEEP_IN_MEMORY = 10_000;

export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  private seq = 0;
  private readonly file: string | undefined;

  constructor(options: { dataDir?: string; now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    this.file = options.dataDir === undefined ? undefined : join(options.dataDir, 'audit.log');
    if (this.file !== undefined && existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.remember(JSON.parse(line) as AuditEntry);
        } catch {
          // A torn last line from a crash is skipped, not fatal: the rest of the log stays readable.
        }
      }
    }
  }

  private readonly now: () => Date;

  private remember(entry: AuditEntry): void {
    this.seq = Math.max(this.seq, entry.seq);
    this.entries.push(entry);
    if (this.entries.length > KEEP_IN_MEMORY) this.entries.splice(0, this.entries.length - KEEP_IN_MEMORY);
  }

  record(entry: Omit<AuditEntry, 'seq' | 'time'>): AuditEntry {
    const full: AuditEntry = { seq: this.seq + 1, time: this.now().toISOString(), ...entry };
    if (this.file !== undefined) appendFileSync(this.file, `${JSON.stringify(full)}\n`, { mode: 0o600 });
    this.remember(full);
    return full;
  }

  /** Newest first. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = Math.min(q.limit ?? 100, 1000);
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i]!;
      if (q.since !== undefined && e.time < q.since) break;
      if (q.actor !== undefined && e.actor !== q.actor) continue;
      if (q.action !== undefined && e.action !== q.action) continue;
      if (q.repo !== undefined && e.repo !== q.repo) continue;
      if (q.outcome !== undefined && e.outcome !== q.outcome) continue;
      out.push(e);
    }
    return out;
  }
}
