import { flowNames, type FlowName, type RunSummary } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import { appendAudit } from '../store/audit';
import { getFailure, ignoreFailure, listFailures, type Failure } from '../store/failures';
import type { Profile } from '../store/profile';
import type { RunOptions } from './runner';

// What a person does with the failures queue: replay some or all (through the current mappings, in a run of
// their own), or ignore one with a reason that stays in the audit trail.

export async function replay(
  profile: Profile,
  runFlow: (flow: FlowName, opts: RunOptions) => Promise<RunSummary>,
  opts: { ids?: number[]; all?: boolean; flow?: FlowName },
): Promise<{ runs: RunSummary[]; replayed: number }> {
  let chosen: Failure[];
  if (opts.ids && opts.ids.length > 0) {
    chosen = opts.ids.map((id) => {
      const f = getFailure(profile.db, id);
      if (!f) throw new FerryError('failure_unknown', `There is no failure number ${id}.`);
      if (f.state !== 'open' && f.state !== 'retrying') throw new FerryError('failure_closed', `Failure ${id} is already ${f.state}; there is nothing to replay.`);
      return f;
    });
  } else {
    chosen = listFailures(profile.db, { flow: opts.flow });
  }
  const runs: RunSummary[] = [];
  for (const flow of flowNames) {
    const group = chosen.filter((f) => f.flow === flow);
    if (group.length > 0) runs.push(await runFlow(flow, { replay: group }));
  }
  return { runs, replayed: chosen.length };
}

export function ignore(profile: Profile, id: number, reason: string): Failure {
  const before = getFailure(profile.db, id);
  if (!before) throw new FerryError('failure_unknown', `There is no failure number ${id}.`);
  return profile.db.transaction(() => {
    const f = ignoreFailure(profile.db, id, reason);
    if (!f) throw new FerryError('failure_closed', `Failure ${id} is already ${before.state}; it cannot be ignored.`);
    auditPersonsChoice(profile.db, f, 'ignore', `Ignored by a person: ${reason}`);
    return f;
  })();
}

/** A person's decision on a waiting record (ignore it, post it in another period), in its audit trail. */
export function auditPersonsChoice(db: Profile['db'], f: Failure, action: string, reason: string): void {
  appendAudit(db, {
    runId: null,
    flow: f.flow,
    recordType: f.recordType ?? 'record',
    sourceSystem: f.sourceSystem,
    sourceKey: f.sourceKey,
    targetSystem: f.targetSystem,
    action,
    outcome: 'skipped',
    reason,
  });
}
