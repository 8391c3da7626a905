import type { FlowName, ReplayPreview, RunSummary } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import { getFailure } from '../store/failures';
import type { Profile } from '../store/profile';
import type { RunOptions } from './runner';

// "What would a retry send?": the failure is replayed as a dry run (current mappings and reference data, no
// write, no link, the failure left as it is), which puts the would-be payload in the audit trail as a
// preview-* event of a run of its own; that event is what the person sees.

interface Row {
  action: string;
  outcome: string;
  targetKey: string | null;
  reason: string | null;
  capture: string | null;
}

export async function previewReplay(profile: Profile, runFlow: (flow: FlowName, opts: RunOptions) => Promise<RunSummary>, id: number): Promise<ReplayPreview> {
  const failure = getFailure(profile.db, id);
  if (!failure) throw new FerryError('failure_unknown', `There is no failure number ${id}.`);
  if (failure.state !== 'open' && failure.state !== 'retrying') {
    throw new FerryError('failure_closed', `Failure ${id} is already ${failure.state}; there is nothing to preview.`);
  }
  const run = await runFlow(failure.flow as FlowName, { replay: [failure], dryRun: true });
  if (run.error) throw new FerryError('preview_failed', `Ferry could not preview a retry of ${failure.sourceKey}: ${run.error}`);
  const rows = profile.db
    .prepare(
      `SELECT action, outcome, target_key AS targetKey, reason, capture FROM audit_events
       WHERE source_system = ? AND source_key = ? AND run_id = ? ORDER BY id`,
    )
    .all(failure.sourceSystem, failure.sourceKey, run.runId) as Row[];
  // The would-be write when there is one (a record may also leave a conflict note before it), else the last word.
  const event = [...rows].reverse().find((r) => r.action.startsWith('preview-') && r.action !== 'preview-failed' && r.capture) ?? rows.at(-1) ?? null;
  const base = { failureId: failure.id, flow: failure.flow, sourceKey: failure.sourceKey, runId: run.runId };
  if (!event) {
    return { ...base, outcome: 'nothing', action: null, targetKey: null, reason: `${failure.sourceKey} is no longer where Ferry reads it from, so a retry would send nothing.`, payload: null };
  }
  const capture = event.capture ? (JSON.parse(event.capture) as { payload?: unknown }) : null;
  const outcome: ReplayPreview['outcome'] =
    event.outcome === 'failed' ? 'would-fail' : event.action.startsWith('preview-') ? 'would-send' : event.action === 'unchanged' ? 'unchanged' : 'skipped';
  return { ...base, outcome, action: event.action, targetKey: event.targetKey, reason: event.reason, payload: capture && 'payload' in capture ? capture.payload : capture };
}
