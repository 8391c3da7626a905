import type { FlowName } from '../../../shared/api';
import type { Db } from './db';

// The `schedules` table (migration 2): one row per flow of the profile. `updated_at` changes only when a
// person changes the schedule (set, pause, resume), so the scheduler can tell "still the schedule I ran" from
// "changed while the run was going" and never overwrite a person's change with its own bookkeeping.

export interface ScheduleRow {
  flow: string;
  spec: string;
  preset: string | null;
  paused: boolean;
  lastRunAt: string | null;
  nextRunAt: string | null;
  updatedAt: string;
}

interface Raw {
  flow: string;
  spec: string;
  preset: string | null;
  paused: number;
  last_run_at: string | null;
  next_run_at: string | null;
  updated_at: string;
}

const toRow = (r: Raw): ScheduleRow => ({
  flow: r.flow,
  spec: r.spec,
  preset: r.preset,
  paused: r.paused !== 0,
  lastRunAt: r.last_run_at,
  nextRunAt: r.next_run_at,
  updatedAt: r.updated_at,
});

export function getScheduleRow(db: Db, flow: FlowName): ScheduleRow | null {
  const r = db.prepare('SELECT * FROM schedules WHERE flow = ?').get(flow) as Raw | undefined;
  return r ? toRow(r) : null;
}

export function listScheduleRows(db: Db): ScheduleRow[] {
  return (db.prepare('SELECT * FROM schedules ORDER BY flow').all() as Raw[]).map(toRow);
}

/** A person's change: the whole definition at once, keeping when it last ran. */
export function saveScheduleRow(db: Db, row: Omit<ScheduleRow, 'lastRunAt'>): void {
  db.prepare(
    `INSERT INTO schedules (flow, spec, preset, paused, next_run_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (flow) DO UPDATE SET spec = excluded.spec, preset = excluded.preset, paused = excluded.paused,
       next_run_at = excluded.next_run_at, updated_at = excluded.updated_at`,
  ).run(row.flow, row.spec, row.preset, row.paused ? 1 : 0, row.nextRunAt, row.updatedAt);
}

export function recordScheduledStart(db: Db, flow: FlowName, at: string): void {
  db.prepare('UPDATE schedules SET last_run_at = ? WHERE flow = ?').run(at, flow);
}

/** Moves the next run, unless a person changed or paused the schedule since `seen` was read. */
export function recordNextRun(db: Db, flow: FlowName, nextRunAt: string | null, seen: Pick<ScheduleRow, 'spec' | 'updatedAt'>): boolean {
  return (
    db.prepare('UPDATE schedules SET next_run_at = ? WHERE flow = ? AND spec = ? AND updated_at = ? AND paused = 0').run(nextRunAt, flow, seen.spec, seen.updatedAt)
      .changes === 1
  );
}
