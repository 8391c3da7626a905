import type { FlowCounts, FlowName } from '../../../shared/api';
import type { Logger } from '../log';
import type { Db } from '../store/db';

export interface FlowProgress {
  flow: FlowName;
  runId: string;
  page: number;
  processed: number;
  counts: FlowCounts;
  /** Set while the run waits for a request budget or before a retry. */
  waiting?: { system: string; reason: 'rate-limit' | 'retry'; ms: number };
}

/** What every flow gets from the runner: the database, its run, live counts and a way to report progress. */
export interface FlowContext {
  db: Db;
  flow: FlowName;
  runId: string;
  /** Preview: everything but the writes (no remote write, no link, no cursor, no failure row). */
  dryRun: boolean;
  counts: FlowCounts;
  log: Logger;
  /**
   * The engine's clock (ms since 1970) for business dates: which periods are over, which period is open now,
   * when a webhook expires. The wall clock in production; the sandbox world's clock in tests and demos pinned
   * to another day.
   */
  now(): number;
  progress(p: { page: number; processed: number }): void;
}
