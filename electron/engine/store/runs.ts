import crypto from 'node:crypto';
import type { FlowCounts, FlowName, RunListItem, RunSummary } from '../../../shared/api';
import type { Db } from './db';

export const zeroCounts = (): FlowCounts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

interface RunRow {
  id: string;
  flow: FlowName;
  started_at: string;
  finished_at: string | null;
  outcome: RunSummary['outcome'];
  counts: string;
  requests: number;
  waited_ms: number;
  error: string | null;
}

const toSummary = (r: RunRow): RunSummary => ({
  runId: r.id,
  flow: r.flow,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  outcome: r.outcome,
  counts: JSON.parse(r.counts) as FlowCounts,
  requests: r.requests,
  waitedMs: r.waited_ms,
  error: r.error,
});

export function startRun(db: Db, flow: FlowName, opts: { dryRun?: boolean; trigger?: string } = {}): RunSummary {
  const id = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomBytes(3).toString('hex')}`;
  db.prepare(`INSERT INTO runs (id, flow, started_at, outcome, counts, dry_run, trigger) VALUES (?, ?, ?, 'running', ?, ?, ?)`).run(
    id,
    flow,
    new Date().toISOString(),
    JSON.stringify(zeroCounts()),
    opts.dryRun ? 1 : 0,
    opts.trigger ?? 'manual',
  );
  return getRun(db, id)!;
}

export function finishRun(
  db: Db,
  id: string,
  result: { outcome: RunSummary['outcome']; counts: FlowCounts; requests: number; waitedMs: number; error: string | null },
): RunSummary {
  db.prepare(
    `UPDATE runs SET finished_at = ?, outcome = ?, counts = ?, requests = ?, waited_ms = ?, error = ? WHERE id = ?`,
  ).run(new Date().toISOString(), result.outcome, JSON.stringify(result.counts), result.requests, result.waitedMs, result.error, id);
  return getRun(db, id)!;
}

export function getRun(db: Db, id: string): RunSummary | null {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toSummary(row) : null;
}

export function lastRun(db: Db, flow: FlowName): RunSummary | null {
  const row = db.prepare('SELECT * FROM runs WHERE flow = ? ORDER BY started_at DESC, rowid DESC LIMIT 1').get(flow) as
    | RunRow
    | undefined;
  return row ? toSummary(row) : null;
}

/** The most recent runs, newest first, with what started each (a person, the schedule, a replay). */
export function listRuns(db: Db, opts: { flows: readonly FlowName[]; limit: number }): RunListItem[] {
  // Only flows this version knows: a row left by a removed flow must not break the whole list.
  const rows = db
    .prepare(`SELECT * FROM runs WHERE flow IN (${opts.flows.map(() => '?').join(', ')}) ORDER BY started_at DESC, rowid DESC LIMIT ?`)
    .all(...opts.flows, opts.limit) as (RunRow & { trigger: string })[];
  return rows.map((r) => ({ ...toSummary(r), trigger: r.trigger }));
}
