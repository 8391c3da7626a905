import type { AuditVerification } from '../../../shared/audit';
import { AUDIT_ANCHOR_KEY, AuditAnchor, auditRowHash, type AuditRow } from './audit';
import type { Db } from './db';
import { getSetting } from './settings';

// `ferry audit verify`: walks the hash chain from its start (or from the anchor retention left) and then checks
// that the trail still reaches every point it is known to have reached: the last event of each finished run
// (runs.audit_head), the last retention event, and the highest id SQLite ever handed out.

interface Head {
  runId: string;
  flow: string;
  finishedAt: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const span = (from: number, to: number) => (from === to ? `event #${from} is` : `events #${from}–#${to} are`);

/** Checks the whole retained trail in one read snapshot, so events appended meanwhile cannot confuse it. */
export function verifyAudit(db: Db): AuditVerification {
  return db.transaction(() => {
    const steps = walk(db, 10_000);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  })();
}

/**
 * The same check for a host that must keep answering meanwhile (the app: a million events take seconds to hash):
 * a slice of events at a time, each in its own read snapshot, with the event loop free between slices. The chain
 * carries over from slice to slice; the end of the trail is checked in the same snapshot as the last slice, so
 * events appended meanwhile are simply checked too. One check at a time per database: callers share it.
 */
export function verifyAuditInSlices(db: Db, sliceRows = 500): Promise<AuditVerification> {
  const running = inFlight.get(db);
  if (running) return running;
  const check = (async () => {
    const steps = walk(db, sliceRows);
    for (;;) {
      const step = db.transaction(() => steps.next())();
      if (step.done) return step.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })().finally(() => inFlight.delete(db));
  inFlight.set(db, check);
  return check;
}

const inFlight = new WeakMap<Db, Promise<AuditVerification>>();

/** Walks the chain `batch` events at a time, yielding between batches; returns the verdict. */
function* walk(db: Db, batch: number): Generator<void, AuditVerification> {
  const anchor = getSetting<AuditAnchor | null>(db, AUDIT_ANCHOR_KEY, AuditAnchor.nullable(), null);
  const heads = new Map<string, Head>();
  for (const r of db.prepare('SELECT id, flow, finished_at, audit_head FROM runs WHERE audit_head IS NOT NULL').iterate() as Iterable<{
    id: string;
    flow: string;
    finished_at: string | null;
    audit_head: string;
  }>) {
    heads.set(r.audit_head, { runId: r.id, flow: r.flow, finishedAt: r.finished_at });
  }

  let checked = 0;
  let prev: { id: number; hash: string } | null = null;
  let retentionAt: string | null = null;
  const bad = (problem: 'edited' | 'missing' | 'truncated', firstBadId: number, message: string): AuditVerification => ({
    ok: false,
    checked,
    firstBadId,
    problem,
    message,
  });

  const page = db.prepare('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT ?');
  let after = (anchor?.id ?? 1) - 1;
  for (;;) {
    const rows = page.all(after, batch) as AuditRow[];
    for (const row of rows) {
      if (auditRowHash(row) !== row.hash) {
        return bad('edited', row.id, `Event #${row.id} was changed after it was written: its contents no longer match its hash. ${checked} events before it check out.`);
      }
      if (prev === null) {
        const expected = anchor ? anchor.prevHash : null;
        if (anchor && row.id !== anchor.id) {
          return bad('missing', row.id, `The oldest kept events are missing: the trail should start at event #${anchor.id} but starts at event #${row.id}.`);
        }
        if (row.prev_hash !== expected) {
          return anchor
            ? bad('edited', row.id, `Event #${row.id}, where the trail starts since the last retention, was rewritten: it no longer points back to the last removed event.`)
            : bad('missing', row.id, `The oldest events are missing: event #${row.id}, the first one left, points back to an event that is no longer there.`);
        }
      } else if (row.prev_hash !== prev.hash) {
        if (row.id !== prev.id + 1) {
          return bad('missing', row.id, `${span(prev.id + 1, row.id - 1)} missing: event #${row.id} does not follow on from event #${prev.id}. ${checked} events before the gap check out.`);
        }
        // Nothing is missing between them, so the previous event was rewritten with a freshly computed hash.
        checked--;
        return bad('edited', prev.id, `Event #${prev.id} was changed after it was written: event #${row.id} no longer points back to it. ${checked} events before it check out.`);
      }
      heads.delete(row.hash);
      if (anchor?.retentionHash === row.hash) retentionAt = row.at;
      prev = { id: row.id, hash: row.hash };
      checked++;
    }
    if (rows.length < batch) break;
    after = rows[rows.length - 1]!.id;
    yield;
  }

  // The end of the trail: nothing may have been cut off after the last event that is left.
  const lastId = prev?.id ?? null;
  const firstGone = (lastId ?? (anchor ? anchor.id - 1 : 0)) + 1;
  const endsAt = lastId === null ? 'it is now empty' : `it now ends at event #${lastId}`;
  const seq = (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'`).get() as { seq: number } | undefined)?.seq ?? 0;
  if (seq > (lastId ?? 0)) {
    return bad('truncated', firstGone, `The newest events are missing: ${span(firstGone, seq)} gone from the end of the trail, and ${endsAt}.`);
  }
  if (anchor?.retentionHash !== undefined && retentionAt === null) {
    return bad('truncated', firstGone, `The newest events are missing: the event that recorded the last retention is no longer in the trail, and ${endsAt}.`);
  }
  // A run's last event may be gone only because retention removed it, which happens only to runs that had
  // finished before the last retention event (still present, checked above).
  const lost = [...heads.values()]
    .filter((h) => retentionAt === null || h.finishedAt === null || h.finishedAt > retentionAt)
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  if (lost.length > 0) {
    const first = lost[0]!;
    const others = lost.length > 1 ? ` (and ${plural(lost.length - 1, 'later run')})` : '';
    return bad(
      'truncated',
      firstGone,
      `The newest events are missing: the last event of run ${first.runId} (${first.flow}, finished ${first.finishedAt ?? 'at an unknown time'})${others} is no longer in the trail, and ${endsAt}.`,
    );
  }

  const message =
    checked === 0
      ? 'The audit trail is empty: there is nothing to check yet.'
      : `The audit trail is intact: ${plural(checked, 'event')} checked${anchor ? `, from event #${anchor.id} on (older events were removed by retention)` : ''}.`;
  return { ok: true, checked, firstBadId: null, problem: null, message };
}
