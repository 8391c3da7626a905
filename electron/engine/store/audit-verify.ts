import type { AuditVerification } from '../../../shared/audit';
import { AUDIT_ANCHOR_KEY, AuditAnchor, auditRowHash, type AuditRow } from './audit';
import { forgetVerified, rememberVerified, verifiedPoint, verifiedPointText, type VerifiedPoint } from './audit-verify-point';
import type { Db } from './db';
import { getSetting } from './settings';

// `ferry audit verify`: walks the hash chain from its start (or from the anchor retention left) and then checks
// that the trail still reaches every point it is known to have reached: the last event of each finished run
// (runs.audit_head), the last retention event, and the highest id SQLite ever handed out.
// A check may instead resume from where the last passing one got to (audit-verify-point.ts): it confirms that
// event still has the hash recorded then, walks only the newer events, and does the same end-of-trail checks.
// It cannot see an edit among the older events; a full check can, so the auditor's command stays full.

export interface VerifyOptions {
  /** Continue from the last verified point when there is one, instead of hashing every kept event. */
  resume?: boolean;
}

interface Head {
  runId: string;
  flow: string;
  finishedAt: string | null;
}

type Problem = NonNullable<AuditVerification['problem']>;

/** What a walk found, and what the settings should remember of it. */
interface Verdict {
  result: AuditVerification;
  /** The newest event the walk reached (the resumed-from point when nothing followed it). */
  reached: { id: number; hash: string } | null;
  /** Events up to `reached` checked, by this walk and, when it resumed, by the earlier ones. */
  total: number;
  from: VerifiedPoint | null;
  /** The stored point as the walk read it (see settle). */
  pointText: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const span = (from: number, to: number) => (from === to ? `event #${from} is` : `events #${from}–#${to} are`);
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Checks the trail in one read snapshot, so events appended meanwhile cannot confuse it. Full unless asked. */
export function verifyAudit(db: Db, options: VerifyOptions = {}): AuditVerification {
  const verdict = db.transaction(() => {
    const steps = walk(db, 10_000, options.resume === true);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  })();
  return settle(db, verdict);
}

/**
 * The same check for a host that must keep answering meanwhile (the app: a million events take seconds to hash):
 * a slice of events at a time, each in its own read snapshot, with the event loop free between slices. The chain
 * carries over from slice to slice; the end of the trail is checked in the same snapshot as the last slice, so
 * events appended meanwhile are simply checked too. One check of each kind at a time per database: callers share
 * it, and a full check running answers a request to resume as well.
 */
export function verifyAuditInSlices(db: Db, options: VerifyOptions & { sliceRows?: number } = {}): Promise<AuditVerification> {
  const kind = options.resume === true ? 'resume' : 'full';
  const running = inFlight.get(db) ?? {};
  const shared = running.full ?? running[kind];
  if (shared) return shared;
  const check = (async () => {
    const steps = walk(db, options.sliceRows ?? 500, kind === 'resume');
    for (;;) {
      const step = db.transaction(() => steps.next())();
      if (step.done) return settle(db, step.value);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })().finally(() => delete running[kind]);
  running[kind] = check;
  inFlight.set(db, running);
  return check;
}

const inFlight = new WeakMap<Db, { full?: Promise<AuditVerification>; resume?: Promise<AuditVerification> }>();

/**
 * Remembers where a passing check got to, after the walk (a write of its own, so a read snapshot never has to
 * become a write). A failing check forgets the point: a broken trail is checked in full until it passes again.
 * When another check settled while this one walked, its verdict stands (it may have seen what this one could not).
 */
function settle(db: Db, { result, reached, total, from, pointText }: Verdict): AuditVerification {
  db.transaction(() => {
    if (!result.ok || reached === null) forgetVerified(db);
    else if (verifiedPointText(db) === pointText) {
      const now = new Date().toISOString();
      rememberVerified(db, { id: reached.id, hash: reached.hash, verifiedAt: now, checked: total, fullCheckAt: from?.fullCheckAt ?? now });
    }
  }).immediate();
  return result;
}

/** Walks the chain `batch` events at a time, yielding between batches; returns the verdict. */
function* walk(db: Db, batch: number, resume: boolean): Generator<void, Verdict> {
  const anchor = getSetting<AuditAnchor | null>(db, AUDIT_ANCHOR_KEY, AuditAnchor.nullable(), null);
  const pointText = verifiedPointText(db);
  const stored = resume ? verifiedPoint(db) : null;
  // Retention may have removed the remembered event with the older ones: then there is nothing to resume from.
  const from = stored !== null && stored.id >= (anchor?.id ?? 1) ? stored : null;
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
  const scope: Pick<AuditVerification, 'scope' | 'resumedAfter' | 'fullCheckAt'> = from
    ? { scope: 'resumed', resumedAfter: { id: from.id, verifiedAt: from.verifiedAt, checked: from.checked }, fullCheckAt: from.fullCheckAt }
    : { scope: 'full' };
  const done = (ok: boolean, firstBadId: number | null, problem: Problem | null, message: string): Verdict => ({
    result: { ok, checked, firstBadId, problem, message, ...scope },
    reached: prev,
    total: (from?.checked ?? 0) + checked,
    from,
    pointText,
  });
  const bad = (problem: Problem, firstBadId: number, message: string) => done(false, firstBadId, problem, message);

  if (from) {
    const problem = pointProblem(db, from) ?? startProblem(db.prepare('SELECT id, prev_hash FROM audit_events ORDER BY id LIMIT 1').get() as StartRow, anchor);
    if (problem) return bad(...problem);
    prev = { id: from.id, hash: from.hash };
  }

  const page = db.prepare('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT ?');
  let after = from ? from.id : (anchor?.id ?? 1) - 1;
  for (;;) {
    const rows = page.all(after, batch) as AuditRow[];
    for (const row of rows) {
      if (auditRowHash(row) !== row.hash) {
        return bad('edited', row.id, `Event #${row.id} was changed after it was written: its contents no longer match its hash. ${checked} events before it check out.`);
      }
      if (prev === null) {
        const problem = startProblem(row, anchor);
        if (problem) return bad(...problem);
      } else if (row.prev_hash !== prev.hash) {
        if (row.id !== prev.id + 1) {
          return bad('missing', row.id, `${span(prev.id + 1, row.id - 1)} missing: event #${row.id} does not follow on from event #${prev.id}. ${checked} events before the gap check out.`);
        }
        if (prev.id === from?.id) {
          // The remembered event still has the hash recorded then, so this one was rewritten to point elsewhere.
          return bad('edited', row.id, `Event #${row.id} was changed after it was written: it no longer points back to event #${prev.id}, which is as the check of ${when(from.verifiedAt)} found it.`);
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

  if (from) {
    // The events up to the point were walked by earlier checks; the ones the end checks rely on are looked up by
    // index instead: still there, with the hash each run and the last retention recorded.
    const headThere = db.prepare('SELECT 1 FROM audit_events WHERE run_id = ? AND hash = ? ORDER BY id DESC LIMIT 1');
    for (const [hash, head] of heads) if (headThere.get(head.runId, hash)) heads.delete(hash);
    if (anchor?.retentionHash !== undefined && retentionAt === null) {
      retentionAt = (db.prepare(`SELECT at FROM audit_events WHERE flow = 'audit' AND hash = ?`).get(anchor.retentionHash) as { at: string } | undefined)?.at ?? null;
    }
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

  if (from) {
    const news = checked === 0 ? 'no new events since event #' : `${plural(checked, 'new event')} checked after event #`;
    return done(
      true,
      null,
      null,
      `The audit trail is intact: ${news}${from.id}, which the check of ${when(from.verifiedAt)} found intact. Events up to it were last checked in full on ${when(from.fullCheckAt)}.`,
    );
  }
  const message =
    checked === 0
      ? 'The audit trail is empty: there is nothing to check yet.'
      : `The audit trail is intact: ${plural(checked, 'event')} checked${anchor ? `, from event #${anchor.id} on (older events were removed by retention)` : ''}.`;
  return done(true, null, null, message);
}

type StartRow = { id: number; prev_hash: string | null } | undefined;
type Found = [Problem, number, string];

/** The first kept event must be where the trail starts (event 1, or the anchor) and point back to what it should. */
function startProblem(row: StartRow, anchor: AuditAnchor | null): Found | null {
  if (row === undefined) return null;
  if (anchor && row.id !== anchor.id) {
    return ['missing', row.id, `The oldest kept events are missing: the trail should start at event #${anchor.id} but starts at event #${row.id}.`];
  }
  if (row.prev_hash === (anchor ? anchor.prevHash : null)) return null;
  return anchor
    ? ['edited', row.id, `Event #${row.id}, where the trail starts since the last retention, was rewritten: it no longer points back to the last removed event.`]
    : ['missing', row.id, `The oldest events are missing: event #${row.id}, the first one left, points back to an event that is no longer there.`];
}

/** The remembered event must still be there, unchanged and with the hash the last check recorded. */
function pointProblem(db: Db, point: VerifiedPoint): Found | null {
  const row = db.prepare('SELECT * FROM audit_events WHERE id = ?').get(point.id) as AuditRow | undefined;
  const then = `the check of ${when(point.verifiedAt)}`;
  if (row === undefined) {
    const later = db.prepare('SELECT 1 FROM audit_events WHERE id > ? LIMIT 1').get(point.id) !== undefined;
    return later
      ? ['missing', point.id, `Event #${point.id} is missing: ${then} found it intact, and later events are still there.`]
      : ['truncated', point.id, `The newest events are missing: event #${point.id}, which ${then} found intact, is no longer in the trail, nor anything after it.`];
  }
  if (auditRowHash(row) !== row.hash) {
    return ['edited', point.id, `Event #${point.id} was changed after it was written: its contents no longer match its hash (${then} found it intact).`];
  }
  if (row.hash !== point.hash) {
    return ['edited', point.id, `Event #${point.id} was changed after ${then} found it intact: it was rewritten with a new hash.`];
  }
  return null;
}
