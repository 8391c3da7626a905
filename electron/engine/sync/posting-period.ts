import type { FlowName, RunSummary } from '../../../shared/api';
import { FerryError } from '../../../shared/errors';
import { isoDay } from '../mapping/periods';
import { getFailure } from '../store/failures';
import { setPostingDate } from '../store/posting-dates';
import type { Profile } from '../store/profile';
import { periodFixFor } from './failure-triage';
import { auditPersonsChoice, replay } from './failures-service';
import type { RunOptions } from './runner';

// "Post in 2026-12": a person moves a record refused for its closed fiscal period to the open period Ferry
// named. The choice is stored (so any later retry keeps it) and written to the audit trail, then the record
// is retried at once. The date is today by the engine's clock — never taken from the screen that asked — and
// the flow asks CloudSuite about it again before posting.

export async function postInOpenPeriod(
  profile: Profile,
  runFlow: (flow: FlowName, opts: RunOptions) => Promise<RunSummary>,
  id: number,
  now: number,
): Promise<{ runs: RunSummary[]; replayed: number; openPeriod: string; postingDate: string }> {
  const f = getFailure(profile.db, id);
  if (!f) throw new FerryError('failure_unknown', `There is no failure number ${id}.`);
  if (f.state !== 'open' && f.state !== 'retrying') throw new FerryError('failure_closed', `Failure ${id} is already ${f.state}; there is nothing to post.`);
  const fix = periodFixFor(f, isoDay(now));
  if (!fix) {
    throw new FerryError(
      'not_applicable',
      `Failure ${id} (${f.recordType ?? 'record'} ${f.sourceKey}) is not waiting for a closed period with an open one to post in. Retry it if its period was reopened in CloudSuite.`,
    );
  }
  profile.db.transaction(() => {
    setPostingDate(profile.db, { flow: f.flow, sourceKey: f.sourceKey, postingDate: fix.postingDate, period: fix.openPeriod, closedPeriod: fix.closedPeriod, recordDate: fix.recordDate });
    auditPersonsChoice(
      profile.db,
      f,
      'choose-period',
      `A person chose to post it in the open period ${fix.openPeriod}, dated ${fix.postingDate}, because its period ${fix.closedPeriod} is closed; it keeps its own date ${fix.recordDate}.`,
    );
  })();
  const result = await replay(profile, runFlow, { ids: [id] });
  return { ...result, openPeriod: fix.openPeriod, postingDate: fix.postingDate };
}
