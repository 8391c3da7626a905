import type { FailureInfo, RunSummary, Status } from '../shared/api';

// What the tray shows and when Ferry raises a notification, from what the engine reports (status and the
// failures queue). Pure, so the rules are tested under Node: notify only when something got worse since the
// last look — more records waiting for a person, or a flow whose newest run could not run at all (most often
// a connection problem) — never for what was already there when Ferry started.

export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed';

export interface Snapshot {
  lastRun: RunSummary | null;
  /** Records waiting for a person (state open). */
  needsAttention: number;
  /** Records Ferry retries by itself. */
  retrying: number;
  /** Flows whose newest run could not run (outcome failed), with that run. */
  failedRuns: RunSummary[];
  /** The failures list was cut at this many. */
  capped: boolean;
}

export interface ShellStatus {
  engine: EngineState;
  engineMessage: string | null;
  snapshot: Snapshot | null;
}

export interface ShellNotification {
  kind: 'failures' | 'connection';
  title: string;
  body: string;
  /** The run it is about, when it is about one. */
  runId?: string;
}

export function snapshotOf(status: Status, failures: FailureInfo[], limit: number): Snapshot {
  const runs = status.flows.map((f) => f.lastRun).filter((r): r is RunSummary => r !== null);
  const lastRun = runs.reduce<RunSummary | null>((a, r) => (a === null || r.startedAt > a.startedAt ? r : a), null);
  return {
    lastRun,
    needsAttention: failures.filter((f) => f.state === 'open').length,
    retrying: failures.filter((f) => f.state === 'retrying').length,
    failedRuns: runs.filter((r) => r.outcome === 'failed'),
    capped: failures.length >= limit,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function when(iso: string, now: Date): string {
  const d = new Date(iso);
  const hm = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === now.toDateString() ? hm : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${hm}`;
}

const outcomeWords: Record<RunSummary['outcome'], string> = {
  running: 'running',
  ok: 'done',
  partial: 'done, some records failed',
  failed: 'could not run',
};

/** The lines of the tray's status (the first one is also its tooltip). */
export function statusLines(s: ShellStatus, now = new Date()): string[] {
  if (s.engine === 'starting') return ['Ferry is starting…'];
  if (s.engine === 'restarting') return ['Ferry’s sync engine is restarting…'];
  if (s.engine === 'failed') return [`Ferry cannot open its data: ${s.engineMessage ?? 'see the log file'}`];
  const snap = s.snapshot;
  if (!snap) return ['Ferry is running'];
  const lines: string[] = [];
  const r = snap.lastRun;
  lines.push(r ? `Last run: ${r.flow} at ${when(r.startedAt, now)}, ${outcomeWords[r.outcome]}` : 'No runs yet');
  const more = snap.capped ? '+' : '';
  if (snap.needsAttention > 0) lines.push(`${plural(snap.needsAttention, 'record needs', 'records need')}${more} attention`);
  if (snap.retrying > 0) lines.push(`${plural(snap.retrying, 'record', 'records')}${more} waiting to be retried`);
  for (const f of snap.failedRuns) lines.push(`${f.flow} could not run`);
  if (lines.length === 1 && r) lines.push('Nothing needs attention');
  return lines;
}

/** Notifications for what got worse between two looks; none for the first look. */
export function notificationsFor(prev: Snapshot | null, next: Snapshot): ShellNotification[] {
  if (!prev) return [];
  const out: ShellNotification[] = [];
  const added = next.needsAttention - prev.needsAttention;
  if (added > 0) {
    out.push({
      kind: 'failures',
      title: added === 1 ? 'A record needs attention' : `${added} records need attention`,
      body: `${plural(next.needsAttention, 'record waits', 'records wait')} in Needs attention with the reason and what to fix.`,
    });
  }
  const seen = new Set(prev.failedRuns.map((r) => r.runId));
  for (const run of next.failedRuns) {
    if (seen.has(run.runId)) continue;
    out.push({ kind: 'connection', title: `${run.flow} could not run`, body: run.error ?? 'Open Ferry to see why.', runId: run.runId });
  }
  return out;
}
