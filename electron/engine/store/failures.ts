import type { Db } from './db';

// A record that could not be moved waits here, with the exact reason and payload, until a person fixes
// the cause and replays it (sync rule 4). One open row per record: a repeat failure counts an attempt.

export interface FailureInput {
  flow: string;
  sourceSystem: string;
  sourceKey: string;
  runId: string;
  code: string;
  reason: string;
  payload: unknown;
}

export function recordFailure(db: Db, f: FailureInput): void {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO failures (flow, source_system, source_key, first_run_id, last_run_id, code, reason, payload, created_at, updated_at)
     VALUES (@flow, @sourceSystem, @sourceKey, @runId, @runId, @code, @reason, @payload, @now, @now)
     ON CONFLICT (flow, source_system, source_key) WHERE state = 'open' DO UPDATE SET
       last_run_id = excluded.last_run_id, code = excluded.code, reason = excluded.reason,
       payload = excluded.payload, attempts = attempts + 1, updated_at = excluded.updated_at`,
  ).run({ ...f, payload: f.payload === undefined ? null : JSON.stringify(f.payload), now });
}

export function resolveFailure(db: Db, flow: string, sourceSystem: string, sourceKey: string): void {
  db.prepare(
    `UPDATE failures SET state = 'resolved', updated_at = ? WHERE flow = ? AND source_system = ? AND source_key = ? AND state = 'open'`,
  ).run(new Date().toISOString(), flow, sourceSystem, sourceKey);
}

export function countOpenFailures(db: Db, flow: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM failures WHERE flow = ? AND state = 'open'`).get(flow) as { n: number }).n;
}
