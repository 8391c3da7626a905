import type { Db } from './db';

// A record that could not be moved waits here with the exact reason and payload (sync rule 4). Transient
// failures retry automatically with backoff ("retrying"), then wait for a person ("open"); a person replays
// (the new attempt links to the old row) or ignores with a reason. One active row per record.

export type FailureState = 'retrying' | 'open' | 'resolved' | 'replayed' | 'ignored';

export interface Failure {
  id: number;
  flow: string;
  sourceSystem: string;
  sourceKey: string;
  targetSystem: string | null;
  recordType: string | null;
  code: string;
  reason: string;
  payload: unknown;
  attempts: number;
  state: FailureState;
  retryable: boolean;
  nextAttemptAt: string | null;
  replayOf: number | null;
  resolution: string | null;
  firstRunId: string | null;
  lastRunId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FailureInput {
  flow: string;
  sourceSystem: string;
  sourceKey: string;
  targetSystem?: string | null;
  recordType?: string | null;
  runId: string;
  code: string;
  reason: string;
  payload: unknown;
  retryable?: boolean;
  /** The failure this attempt replays (a person's replay), so the history reads as one chain. */
  replayOf?: number | null;
}

/** Automatic retries for transient failures before a person is asked: 1, 2, 4, 8, 16 min. */
export const MAX_AUTOMATIC_ATTEMPTS = 5;
const retryDelayMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

const columns = `id, flow, source_system AS sourceSystem, source_key AS sourceKey, target_system AS targetSystem,
  record_type AS recordType, code, reason, payload, attempts, state, retryable, next_attempt_at AS nextAttemptAt,
  replay_of AS replayOf, resolution, first_run_id AS firstRunId, last_run_id AS lastRunId, created_at AS createdAt,
  updated_at AS updatedAt`;

type Row = Omit<Failure, 'payload' | 'retryable'> & { payload: string | null; retryable: number };
const toFailure = (r: Row): Failure => ({ ...r, payload: r.payload ? (JSON.parse(r.payload) as unknown) : null, retryable: r.retryable === 1 });

export function activeFailure(db: Db, flow: string, sourceSystem: string, sourceKey: string): Failure | null {
  const row = db
    .prepare(`SELECT ${columns} FROM failures WHERE flow = ? AND source_system = ? AND source_key = ? AND state IN ('retrying', 'open') ORDER BY id DESC LIMIT 1`)
    .get(flow, sourceSystem, sourceKey) as Row | undefined;
  return row ? toFailure(row) : null;
}

export function recordFailure(db: Db, f: FailureInput, now = new Date()): Failure {
  const active = activeFailure(db, f.flow, f.sourceSystem, f.sourceKey);
  const attempts = (active?.attempts ?? 0) + 1;
  const retrying = f.retryable === true && attempts < MAX_AUTOMATIC_ATTEMPTS;
  const next = retrying ? new Date(now.getTime() + retryDelayMs(attempts)).toISOString() : null;
  const iso = now.toISOString();
  const payload = f.payload === undefined ? null : JSON.stringify(f.payload);
  if (active) {
    db.prepare(
      `UPDATE failures SET last_run_id = ?, code = ?, reason = ?, payload = ?, attempts = ?, state = ?, retryable = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
    ).run(f.runId, f.code, f.reason, payload, attempts, retrying ? 'retrying' : 'open', f.retryable ? 1 : 0, next, iso, active.id);
    return getFailure(db, active.id)!;
  }
  const info = db
    .prepare(
      `INSERT INTO failures (flow, source_system, source_key, target_system, record_type, first_run_id, last_run_id, code, reason, payload,
         attempts, state, retryable, next_attempt_at, replay_of, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      f.flow, f.sourceSystem, f.sourceKey, f.targetSystem ?? null, f.recordType ?? null, f.runId, f.runId, f.code, f.reason, payload,
      retrying ? 'retrying' : 'open', f.retryable ? 1 : 0, next, f.replayOf ?? null, iso, iso,
    );
  return getFailure(db, Number(info.lastInsertRowid))!;
}

export function resolveFailure(db: Db, flow: string, sourceSystem: string, sourceKey: string, runId?: string): void {
  db.prepare(
    `UPDATE failures SET state = 'resolved', resolution = ?, updated_at = ? WHERE flow = ? AND source_system = ? AND source_key = ? AND state IN ('retrying', 'open')`,
  ).run(runId ? `resolved by run ${runId}` : 'resolved', new Date().toISOString(), flow, sourceSystem, sourceKey);
}

/** A person replays: the old row is closed as "replayed"; if the replay fails, the new row points back to it. */
export function markReplayed(db: Db, id: number, runId: string): void {
  db.prepare(`UPDATE failures SET state = 'replayed', resolution = ?, updated_at = ? WHERE id = ? AND state IN ('retrying', 'open')`).run(
    `replayed in run ${runId}`,
    new Date().toISOString(),
    id,
  );
}

export function ignoreFailure(db: Db, id: number, reason: string): Failure | null {
  const changed = db
    .prepare(`UPDATE failures SET state = 'ignored', resolution = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN ('retrying', 'open')`)
    .run(reason, new Date().toISOString(), id).changes;
  return changed ? getFailure(db, id) : null;
}

export function getFailure(db: Db, id: number): Failure | null {
  const row = db.prepare(`SELECT ${columns} FROM failures WHERE id = ?`).get(id) as Row | undefined;
  return row ? toFailure(row) : null;
}

export function listFailures(db: Db, opts: { flow?: string; states?: FailureState[]; limit?: number } = {}): Failure[] {
  const states = opts.states ?? ['retrying', 'open'];
  const rows = db
    .prepare(
      `SELECT ${columns} FROM failures WHERE state IN (${states.map(() => '?').join(',')}) ${opts.flow ? 'AND flow = ?' : ''} ORDER BY id DESC LIMIT ?`,
    )
    .all(...states, ...(opts.flow ? [opts.flow] : []), opts.limit ?? 1000) as Row[];
  return rows.map(toFailure);
}

/** Transient failures whose next automatic attempt is due. */
export function dueRetries(db: Db, flow: string, now = new Date()): Failure[] {
  return (
    db.prepare(`SELECT ${columns} FROM failures WHERE flow = ? AND state = 'retrying' AND next_attempt_at <= ? ORDER BY id`).all(flow, now.toISOString()) as Row[]
  ).map(toFailure);
}

export function countOpenFailures(db: Db, flow: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM failures WHERE flow = ? AND state IN ('retrying', 'open')`).get(flow) as { n: number }).n;
}
